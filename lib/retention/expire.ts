// Per-workspace expiry in bounded batches (at most `batch` rows per task per workspace per tick, each
// batch one statement): events and raw payloads of workspaces keeping them shorter than the longest
// retention of any workspace (the rest go with their month partitions, partitions.ts), violation
// samples, delivery logs, dead letters, audit entries and duplicate-call records. Payload deletion
// follows a cursor (RetentionCursor) over the events so a tick never rescans rows it already did.
import type { RawSql } from "@/lib/db/connection";
import { monthsBefore } from "@/lib/retention/partitions";
import type { Retention } from "@/lib/retention/settings";

const DAY_MS = 86_400_000;
export const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

export interface Expired {
  events: number;
  payloads: number;
  violationSamples: number;
  deliveryLogs: number;
  deadLetters: number;
  exchanges: number;
  auditEntries: number;
  duplicateCalls: number;
}

const count = async (raw: RawSql, sql: string, params: unknown[]) =>
  Number((await raw.query<{ n: number }>(sql, params))[0]?.n ?? 0);

/** An event deleted in place takes its payload row along (when its month is still there). */
const PAYLOADS_OF_GONE = `payloads AS (DELETE FROM "EventPayload" p USING gone
    WHERE p."eventRowId" = gone."id" AND p."receivedAt" = gone."receivedAt")`;

// Deleting an event deletes its ledger rows too (any a lost race left for its event_id with them), so a
// later call with its event_id is a new event, and
// any delivery still queued for it (no foreign key cascades any more).
const EXPIRE_EVENTS_SQL = `WITH doomed AS (
    SELECT "id", "receivedAt" FROM "Event" WHERE "workspaceId" = $1 AND "receivedAt" < $2::timestamp ORDER BY "receivedAt" LIMIT $3),
  gone AS (DELETE FROM "Event" e USING doomed WHERE e."id" = doomed."id" AND e."receivedAt" = doomed."receivedAt"
    RETURNING e."workspaceId", e."dedupKey", e."id", e."receivedAt"),
  ledger AS (DELETE FROM "EventDedup" d USING gone
    WHERE d."workspaceId" = gone."workspaceId" AND d."dedupKey" = gone."dedupKey"),
  outbox AS (DELETE FROM "Delivery" d USING gone WHERE d."eventRowId" = gone."id"),
  ${PAYLOADS_OF_GONE}
  SELECT count(*)::int AS n FROM gone`;

const EXPIRE_SAMPLES_SQL = `WITH doomed AS (
    SELECT "id", "receivedAt" FROM "Event"
    WHERE "workspaceId" = $1 AND "status" IN ('rejected', 'duplicate_conflict') AND "receivedAt" < $2::timestamp LIMIT $3),
  gone AS (DELETE FROM "Event" e USING doomed WHERE e."id" = doomed."id" AND e."receivedAt" = doomed."receivedAt"
    RETURNING e."id", e."receivedAt"),
  ${PAYLOADS_OF_GONE}
  SELECT count(*)::int AS n FROM gone`;

// One batch of events after the cursor, oldest first: their rows in the narrow EventPayload table go
// (the event row keeps its event_id, times, properties and payloadHash); the cursor moves to the
// batch's last event. Event itself is only read, through its (workspaceId, receivedAt) index.
const EXPIRE_PAYLOADS_SQL = `WITH cur AS (
    SELECT coalesce((SELECT "position" FROM "RetentionCursor" WHERE "workspaceId" = $1 AND "task" = 'payloads'), '-infinity'::timestamp) AS pos,
           coalesce((SELECT "positionId" FROM "RetentionCursor" WHERE "workspaceId" = $1 AND "task" = 'payloads'), '') AS pid),
  batch AS (
    SELECT e."id", e."receivedAt" FROM "Event" e, cur
    WHERE e."workspaceId" = $1 AND e."receivedAt" >= cur.pos AND (e."receivedAt", e."id") > (cur.pos, cur.pid) AND e."receivedAt" < $2::timestamp
    ORDER BY e."receivedAt", e."id" LIMIT $3),
  gone AS (DELETE FROM "EventPayload" p USING batch
    WHERE p."eventRowId" = batch."id" AND p."receivedAt" = batch."receivedAt" AND p."workspaceId" = $1 RETURNING 1),
  last AS (SELECT "id", "receivedAt" FROM batch ORDER BY "receivedAt" DESC, "id" DESC LIMIT 1),
  moved AS (INSERT INTO "RetentionCursor" ("workspaceId", "task", "position", "positionId", "updatedAt")
    SELECT $1, 'payloads', "receivedAt", "id", now() FROM last
    ON CONFLICT ("workspaceId", "task") DO UPDATE SET "position" = excluded."position", "positionId" = excluded."positionId", "updatedAt" = now())
  SELECT count(*)::int AS n FROM gone`;

// Outbox rows in a final state, with their attempts and the exchanges no other delivery's attempt uses.
const EXPIRE_DELIVERIES_SQL = `WITH doomed AS (
    SELECT "id" FROM "Delivery" WHERE "workspaceId" = $1 AND "createdAt" < $2::timestamp AND "status" = ANY($3::text[]::"DeliveryStatus"[])
    ORDER BY "createdAt" LIMIT $4),
  att AS (DELETE FROM "DeliveryAttempt" a USING doomed WHERE a."deliveryId" = doomed."id" RETURNING a."exchangeId"),
  del AS (DELETE FROM "Delivery" d USING doomed WHERE d."id" = doomed."id" RETURNING 1),
  ex AS (DELETE FROM "HttpExchange" x WHERE x."id" IN (SELECT "exchangeId" FROM att WHERE "exchangeId" IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM "DeliveryAttempt" b WHERE b."exchangeId" = x."id" AND b."deliveryId" NOT IN (SELECT "id" FROM doomed)))
  SELECT count(*)::int AS n FROM del`;

// Exchanges past the delivery-log retention (their attempt rows go with them, by cascade), except those
// a dead letter still within its own retention shows.
const EXPIRE_EXCHANGES_SQL = `WITH doomed AS (
    SELECT x."id" FROM "HttpExchange" x
    WHERE x."destinationId" IN (SELECT "id" FROM "Destination" WHERE "workspaceId" = $1) AND x."createdAt" < $2::timestamp
      AND NOT EXISTS (SELECT 1 FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId"
                      WHERE a."exchangeId" = x."id" AND d."status" = 'dead')
    ORDER BY x."createdAt" LIMIT $3),
  gone AS (DELETE FROM "HttpExchange" x USING doomed WHERE x."id" = doomed."id" RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

const deleteOldest = (table: string, time: string) => `WITH doomed AS (
    SELECT "id" FROM "${table}" WHERE "workspaceId" = $1 AND "${time}" < $2::timestamp ORDER BY "${time}" LIMIT $3),
  gone AS (DELETE FROM "${table}" t USING doomed WHERE t."id" = doomed."id" RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

const iso = (d: Date) => d.toISOString();

/** What the month drops remove (partitions.ts): a workspace keeping data as long expires none of it in place. */
export interface Longest {
  /** The longest events retention of any workspace. */
  eventsMonths: number;
  /** The longest payload retention of any workspace. */
  payloadsDays: number;
}

/** One tick for one workspace. */
export async function expireWorkspace(
  raw: RawSql,
  workspaceId: string,
  retention: Retention,
  now: Date,
  longest: Longest,
  batch: number,
): Promise<Expired> {
  const eventsCutoff = iso(monthsBefore(now, retention.events_months));
  return {
    events:
      retention.events_months < longest.eventsMonths
        ? await count(raw, EXPIRE_EVENTS_SQL, [workspaceId, eventsCutoff, batch])
        : 0,
    payloads:
      retention.payloads_days < longest.payloadsDays
        ? await count(raw, EXPIRE_PAYLOADS_SQL, [workspaceId, iso(daysBefore(now, retention.payloads_days)), batch])
        : 0,
    violationSamples: await count(raw, EXPIRE_SAMPLES_SQL, [
      workspaceId,
      iso(daysBefore(now, retention.violation_samples_days)),
      batch,
    ]),
    deliveryLogs: await count(raw, EXPIRE_DELIVERIES_SQL, [
      workspaceId,
      iso(daysBefore(now, retention.delivery_logs_days)),
      ["succeeded", "skipped"],
      batch,
    ]),
    deadLetters: await count(raw, EXPIRE_DELIVERIES_SQL, [
      workspaceId,
      iso(daysBefore(now, retention.dead_letters_days)),
      ["dead"],
      batch,
    ]),
    exchanges: await count(raw, EXPIRE_EXCHANGES_SQL, [
      workspaceId,
      iso(daysBefore(now, retention.delivery_logs_days)),
      batch,
    ]),
    auditEntries: await count(raw, deleteOldest("AuditLog", "createdAt"), [
      workspaceId,
      iso(daysBefore(now, retention.audit_log_days)),
      batch,
    ]),
    duplicateCalls: await count(raw, deleteOldest("DuplicateCall", "receivedAt"), [workspaceId, eventsCutoff, batch]),
  };
}
