-- Raw payloads leave Event for their own table, partitioned by month of "receivedAt" like Event, so
-- payload retention detaches and drops whole months (lib/retention/partitions.ts) and returns their
-- disk, where clearing them in place wrote a new version of every row and every index entry and grew
-- the table. Hand-written: Prisma cannot express partitions.
-- Primary key only: every reader and the retention job come by (eventRowId, receivedAt).
CREATE TABLE "EventPayload" (
    "workspaceId" TEXT NOT NULL,
    "eventRowId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "EventPayload_pkey" PRIMARY KEY ("eventRowId","receivedAt")
) PARTITION BY RANGE ("receivedAt");

-- A partition per month that has payloads, the current month and three ahead, and a DEFAULT.
DO $$
DECLARE
  m timestamp;
BEGIN
  FOR m IN
    SELECT DISTINCT date_trunc('month', "receivedAt") FROM "Event" WHERE "payload" <> '{"expired":true}'::jsonb
    UNION
    SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => k) FROM generate_series(0, 3) AS k
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "EventPayload" FOR VALUES FROM (%L) TO (%L)',
      'EventPayload_' || to_char(m, '"y"YYYY"m"MM'), m, m + interval '1 month');
  END LOOP;
END $$;
CREATE TABLE "EventPayload_default" PARTITION OF "EventPayload" DEFAULT;

-- Payloads already cleared ({"expired":true}) have no row: a missing row is what expired means now.
INSERT INTO "EventPayload" ("workspaceId", "eventRowId", "receivedAt", "payload")
SELECT "workspaceId", "id", "receivedAt", "payload" FROM "Event" WHERE "payload" <> '{"expired":true}'::jsonb;

-- The space of the dropped column comes back as Event's months are dropped (no table rewrite here).
ALTER TABLE "Event" DROP COLUMN "payload";
