// Writes what happened to each delivery of a request: one attempt row (the engineer's log)
// and the delivery's new state, in one transaction.
import { randomUUID } from "node:crypto";
import { database } from "@/lib/db";
import type { HttpAnswer, HttpRequestSpec } from "@/lib/delivery/destinations/types";

export interface Settled {
  deliveryId: string;
  attempt: number;
  outcome: "success" | "retry" | "permanent" | "skipped";
  reason: string;
  status: "succeeded" | "retrying" | "dead" | "skipped";
  nextAttemptAt: Date | null;
  ack?: unknown;
}

export interface Exchanged {
  request: HttpRequestSpec["log"] | null;
  answer: HttpAnswer | { networkError: string } | null;
  latencyMs: number;
}

const MAX_LOGGED_BODY = 16_000;

function loggable(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  const text = JSON.stringify(body);
  return text.length > MAX_LOGGED_BODY ? JSON.stringify({ truncated: text.slice(0, MAX_LOGGED_BODY) }) : text;
}

/** The outbox table, its attempt log and the log's key to it: deliveries, or another outbox with the same columns. */
export interface OutboxTables {
  outbox: "Delivery" | "TraitSync";
  attempts: "DeliveryAttempt" | "TraitSyncAttempt";
  key: "deliveryId" | "syncId";
}

export const DELIVERY_TABLES: OutboxTables = { outbox: "Delivery", attempts: "DeliveryAttempt", key: "deliveryId" };

export async function recordOutcomes(exchange: Exchanged, settled: Settled[], now = new Date(), tables: OutboxTables = DELIVERY_TABLES): Promise<void> {
  if (settled.length === 0) return;
  const answer = exchange.answer && "status" in exchange.answer ? exchange.answer : null;
  const at = now.toISOString();
  await database().transaction(async (raw) => {
    await raw.query(
      `INSERT INTO "${tables.attempts}" ("id","${tables.key}","attempt","requestUrl","requestHeaders","requestBody","responseStatus","responseBody","latencyMs","outcome","reason","nextAttemptAt","createdAt")
       SELECT t.id, t.did, t.att::int, $4, $5::jsonb, $6::jsonb, $7::int, $8::jsonb, $9::int, t.outcome, t.reason, t.next::timestamp, $10::timestamp
       FROM unnest($1::text[], $2::text[], $3::text[], $11::text[], $12::text[], $13::text[]) AS t(id, did, att, outcome, reason, next)`,
      [
        settled.map(() => randomUUID()),
        settled.map((s) => s.deliveryId),
        settled.map((s) => String(s.attempt)),
        exchange.request?.url ?? "",
        JSON.stringify(exchange.request?.headers ?? {}),
        loggable(exchange.request?.body),
        answer?.status ?? null,
        loggable(answer ? answer.body : exchange.answer ? { network_error: (exchange.answer as { networkError: string }).networkError } : null),
        exchange.latencyMs,
        at,
        settled.map((s) => s.outcome),
        settled.map((s) => s.reason),
        settled.map((s) => s.nextAttemptAt?.toISOString() ?? null),
      ],
    );
    await raw.query(
      `UPDATE "${tables.outbox}" d SET "status" = t.status::"DeliveryStatus", "attempts" = t.att::int, "nextAttemptAt" = COALESCE(t.next::timestamp, d."nextAttemptAt"),
         "lastError" = CASE WHEN t.status = 'succeeded' THEN NULL ELSE t.reason END,
         "deliveredAt" = CASE WHEN t.status = 'succeeded' THEN $5::timestamp ELSE d."deliveredAt" END,
         "ack" = COALESCE(t.ack::jsonb, d."ack"), "leaseUntil" = NULL, "leasedBy" = NULL, "updatedAt" = $5::timestamp
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $6::text[], $7::text[]) AS t(id, status, att, next, reason, ack)
       WHERE d."id" = t.id AND d."status" <> 'succeeded'`,
      [
        settled.map((s) => s.deliveryId),
        settled.map((s) => s.status),
        settled.map((s) => String(s.attempt)),
        settled.map((s) => s.nextAttemptAt?.toISOString() ?? null),
        at,
        settled.map((s) => s.reason),
        settled.map((s) => (s.ack === undefined ? null : JSON.stringify(s.ack))),
      ],
    );
  });
}
