// Writes what happened to each delivery of a request: one attempt row (the engineer's log)
// and the delivery's new state, in one statement.
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

export function loggable(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  const text = JSON.stringify(body);
  return text.length > MAX_LOGGED_BODY ? JSON.stringify({ truncated: text.slice(0, MAX_LOGGED_BODY) }) : text;
}

/**
 * The logged request body as it concerns each of `count` events: when the body carries the events as
 * one top-level array (data, events, elements, inputs), each event's copy keeps the envelope and only
 * its own element, plus where it sat in the batch; otherwise every event shares the whole body.
 */
export function eventRequestBodies(body: unknown, count: number): unknown[] {
  if (count > 1 && body && typeof body === "object" && !Array.isArray(body)) {
    const arrays = Object.entries(body).filter(([, v]) => Array.isArray(v) && v.length === count);
    if (arrays.length === 1) {
      const [key, list] = arrays[0] as [string, unknown[]];
      return list.map((element, i) => ({ ...body, [key]: [element], _batch: { position: i + 1, size: count } }));
    }
  }
  return Array.from({ length: count }, () => body);
}

/** The outbox table, its attempt log and the log's key to it: deliveries, or another outbox with the same columns. */
export interface OutboxTables {
  outbox: "Delivery" | "TraitSync";
  attempts: "DeliveryAttempt" | "TraitSyncAttempt";
  key: "deliveryId" | "syncId";
}

export const DELIVERY_TABLES: OutboxTables = { outbox: "Delivery", attempts: "DeliveryAttempt", key: "deliveryId" };

/** One statement: the attempt rows and the outbox rows' new state (a data-modifying CTE is atomic). */
export async function recordOutcomes(exchange: Exchanged, settled: Settled[], now = new Date(), tables: OutboxTables = DELIVERY_TABLES): Promise<void> {
  if (settled.length === 0) return;
  const answer = exchange.answer && "status" in exchange.answer ? exchange.answer : null;
  const bodies = eventRequestBodies(exchange.request?.body, settled.length).map(loggable);
  await database().raw.query(
    `WITH t AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS t(id, did, att, outcome, reason, next, status, ack, body)
     ), attempts AS (
       INSERT INTO "${tables.attempts}" ("id","${tables.key}","attempt","requestUrl","requestHeaders","requestBody","responseStatus","responseBody","latencyMs","outcome","reason","nextAttemptAt","createdAt")
       SELECT t.id, t.did, t.att, $10, $11::jsonb, t.body::jsonb, $12::int, $13::jsonb, $14::int, t.outcome, t.reason, t.next::timestamp, $15::timestamp FROM t
     )
     UPDATE "${tables.outbox}" d SET "status" = t.status::"DeliveryStatus", "attempts" = t.att, "nextAttemptAt" = COALESCE(t.next::timestamp, d."nextAttemptAt"),
       "lastError" = CASE WHEN t.status = 'succeeded' THEN NULL ELSE t.reason END,
       "deliveredAt" = CASE WHEN t.status = 'succeeded' THEN $15::timestamp ELSE d."deliveredAt" END,
       "ack" = COALESCE(t.ack::jsonb, d."ack"), "leaseUntil" = NULL, "leasedBy" = NULL, "updatedAt" = $15::timestamp
     FROM t WHERE d."id" = t.did AND d."status" <> 'succeeded'`,
    [
      settled.map(() => randomUUID()),
      settled.map((s) => s.deliveryId),
      settled.map((s) => s.attempt),
      settled.map((s) => s.outcome),
      settled.map((s) => s.reason),
      settled.map((s) => s.nextAttemptAt?.toISOString() ?? null),
      settled.map((s) => s.status),
      settled.map((s) => (s.ack === undefined ? null : JSON.stringify(s.ack))),
      bodies,
      exchange.request?.url ?? "",
      JSON.stringify(exchange.request?.headers ?? {}),
      answer?.status ?? null,
      loggable(answer ? answer.body : exchange.answer ? { network_error: (exchange.answer as { networkError: string }).networkError } : null),
      exchange.latencyMs,
      now.toISOString(),
    ],
  );
}
