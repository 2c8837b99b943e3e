-- AlterTable
ALTER TABLE "Event" ADD COLUMN "orderKey" TEXT;

-- Backfill: the business id of every stored event with a canonical event, chosen as
-- lib/inspector/business-key.ts does (required by its revision, implied by the canonical event's
-- name, else present) and written as text (a number as its digits, a string trimmed, "" as none).
UPDATE "Event" e SET "orderKey" = o."value"
FROM (
  SELECT x."id",
    CASE
      WHEN 'order_id' = ANY(coalesce(r."requiredProperties", '{}')) THEN x."orderId"
      WHEN 'lead_id' = ANY(coalesce(r."requiredProperties", '{}')) THEN x."leadId"
      WHEN c."name" IN ('purchase', 'refund') THEN x."orderId"
      WHEN c."name" IN ('qualify_lead', 'generate_lead') THEN x."leadId"
      ELSE coalesce(x."orderId", x."leadId")
    END AS "value"
  FROM (
    SELECT ev."id", ev."canonicalEventId", ev."mappingRevisionId",
      CASE jsonb_typeof(ev."properties" -> 'order_id')
        WHEN 'number' THEN ev."properties" ->> 'order_id'
        WHEN 'string' THEN nullif(btrim(ev."properties" ->> 'order_id', E' \t\n\r\f'), '')
      END AS "orderId",
      CASE jsonb_typeof(ev."properties" -> 'lead_id')
        WHEN 'number' THEN ev."properties" ->> 'lead_id'
        WHEN 'string' THEN nullif(btrim(ev."properties" ->> 'lead_id', E' \t\n\r\f'), '')
      END AS "leadId"
    FROM "Event" ev WHERE ev."canonicalEventId" IS NOT NULL
  ) x
  JOIN "CanonicalEvent" c ON c."id" = x."canonicalEventId"
  LEFT JOIN "MappingRevision" r ON r."id" = x."mappingRevisionId"
) o
WHERE e."id" = o."id" AND o."value" IS NOT NULL;

-- CreateIndex (partial: events without a business id, most of them, cost no entry)
CREATE INDEX "Event_workspaceId_orderKey_idx" ON "Event"("workspaceId", "orderKey") WHERE "orderKey" IS NOT NULL;
