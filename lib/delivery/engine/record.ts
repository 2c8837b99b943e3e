// Writes what happened to the outbox rows of a request: the exchange (one HttpExchange row), a
// thin attempt row per outbox row pointing at it, and the rows' new state, in one statement.
// Their ids are time-ordered: the log's primary keys grow at their right edge, not on random pages.
import { database } from "@/lib/db";
import { type Exchanged, exchangeRow } from "@/lib/delivery/engine/exchange-log";
import { timeOrderedId } from "@/lib/ids";

export interface Settled {
  deliveryId: string;
  attempt: number;
  outcome: "success" | "retry" | "permanent" | "skipped";
  reason: string;
  status: "succeeded" | "retrying" | "dead" | "skipped";
  nextAttemptAt: Date | null;
  ack?: unknown;
  /** Why a row died without being sent (plan.ts AttemptCode), or was skipped as gone (deliver.ts GONE_REASONS); kept on the attempt. */
  code?: string;
}

/** The outbox table, its attempt log and the log's key to it: deliveries, or another outbox with the same columns. */
export interface OutboxTables {
  outbox: "Delivery" | "TraitSync";
  attempts: "DeliveryAttempt" | "TraitSyncAttempt";
  key: "deliveryId" | "syncId";
}

export const DELIVERY_TABLES: OutboxTables = { outbox: "Delivery", attempts: "DeliveryAttempt", key: "deliveryId" };

/**
 * One statement (a data-modifying CTE is atomic): the exchange that carried `settled` (null when
 * nothing was sent), the outbox rows' new state (found by id list too, so the planner looks them up
 * rather than scanning the outbox) and an attempt row, in the request's order, for each row that
 * changed: none for a row already succeeded (recorded once) or gone (its destination was deleted).
 * That status test is on the text, which the planner does not estimate from the table's statistics:
 * analyzed while nearly every row had succeeded, they made it expect one row here and compare every
 * row with every settled one (a nested loop, 250,000 comparisons a batch) instead of hashing them.
 */
export async function recordOutcomes(
  exchange: Exchanged | null,
  settled: Settled[],
  now = new Date(),
  tables: OutboxTables = DELIVERY_TABLES,
): Promise<void> {
  if (settled.length === 0) return;
  const x = exchange ? { id: timeOrderedId(), ...exchangeRow(exchange, settled.length) } : null;
  // Only the delivery log records codes (trait syncs have no reconciliation).
  const codeColumn = tables.attempts === "DeliveryAttempt" ? `,"code"` : "";
  const codeValue = codeColumn ? ", t.code" : "";
  await database().raw.query(
    `WITH t AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $20::text[])
         WITH ORDINALITY AS t(id, did, att, outcome, reason, next, status, ack, code, pos)
     ), exchange AS (
       INSERT INTO "HttpExchange" ("id","destinationId","requestUrl","requestMethod","requestHeaders","requestBody","batchSize","responseStatus","responseBody","latencyMs","createdAt")
       SELECT $9, $10, $11, $12, $13::jsonb, $14::json, $15::int, $16::int, $17::jsonb, $18::int, $19::timestamp WHERE $9::text IS NOT NULL
     ), updated AS (
       UPDATE "${tables.outbox}" d SET "status" = t.status::"DeliveryStatus", "attempts" = t.att, "nextAttemptAt" = COALESCE(t.next::timestamp, d."nextAttemptAt"),
         "lastError" = CASE WHEN t.status = 'succeeded' THEN NULL ELSE t.reason END,
         "deliveredAt" = CASE WHEN t.status = 'succeeded' THEN $19::timestamp ELSE d."deliveredAt" END,
         "ack" = COALESCE(t.ack::jsonb, d."ack"), "leaseUntil" = NULL, "leasedBy" = NULL, "updatedAt" = $19::timestamp
       FROM t WHERE d."id" = t.did AND d."id" = ANY($2::text[]) AND d."status"::text <> 'succeeded'
       RETURNING d."id"
     )
     INSERT INTO "${tables.attempts}" ("id","${tables.key}","attempt","exchangeId","batchPosition","outcome","reason","nextAttemptAt","createdAt"${codeColumn})
     SELECT t.id, t.did, t.att, $9, t.pos - 1, t.outcome, t.reason, t.next::timestamp, $19::timestamp${codeValue}
     FROM t JOIN updated u ON u."id" = t.did`,
    [
      settled.map(() => timeOrderedId()),
      settled.map((s) => s.deliveryId),
      settled.map((s) => s.attempt),
      settled.map((s) => s.outcome),
      settled.map((s) => s.reason),
      settled.map((s) => s.nextAttemptAt?.toISOString() ?? null),
      settled.map((s) => s.status),
      settled.map((s) => (s.ack === undefined ? null : JSON.stringify(s.ack))),
      x?.id ?? null,
      x?.destinationId ?? null,
      x?.requestUrl ?? null,
      x?.requestMethod ?? null,
      x?.requestHeaders ?? null,
      x?.requestBody ?? null,
      x?.batchSize ?? null,
      x?.responseStatus ?? null,
      x?.responseBody ?? null,
      x?.latencyMs ?? null,
      now.toISOString(),
      settled.map((s) => s.code ?? ""),
    ],
    `record-outcomes-${tables.outbox}`,
  );
}
