// Per-workspace expiry in batches of at most `batch` rows, each batch one statement, within a time
// budget per tick (runExpiry): events, raw payloads and delivery-log rows of workspaces keeping them
// shorter than the longest retention of any workspace (the rest go with their month or day partitions,
// partitions.ts), violation samples, settled outbox rows, dead letters, audit entries and duplicate-call
// records. Payload deletion follows a cursor (RetentionCursor) over the events so a tick never rescans
// rows it already did.
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
  SELECT count(*)::int AS n, (SELECT count(*)::int FROM batch) AS scanned FROM gone`;

const DOOMED_DELIVERIES = `doomed AS (
    SELECT "id" FROM "Delivery" WHERE "workspaceId" = $1 AND "createdAt" < $2::timestamp AND "status" = ANY($3::text[]::"DeliveryStatus"[])
    ORDER BY "createdAt" LIMIT $4)`;

// Outbox rows in a final state, when their log goes with its day partitions (no foreign key: the
// attempts stay unread until then).
const EXPIRE_OUTBOX_SQL = `WITH ${DOOMED_DELIVERIES},
  del AS (DELETE FROM "Delivery" d USING doomed WHERE d."id" = doomed."id" RETURNING 1)
  SELECT count(*)::int AS n FROM del`;

// Outbox rows in a final state of a workspace keeping its log shorter than its day partitions live:
// with their attempts and the exchanges no other delivery's attempt uses.
const EXPIRE_DELIVERIES_SQL = `WITH ${DOOMED_DELIVERIES},
  att AS (DELETE FROM "DeliveryAttempt" a USING doomed WHERE a."deliveryId" = doomed."id" RETURNING a."exchangeId", a."createdAt"),
  del AS (DELETE FROM "Delivery" d USING doomed WHERE d."id" = doomed."id" RETURNING 1),
  ex AS (DELETE FROM "HttpExchange" x WHERE (x."id", x."createdAt") IN (SELECT "exchangeId", "createdAt" FROM att WHERE "exchangeId" IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM "DeliveryAttempt" b WHERE b."exchangeId" = x."id" AND b."createdAt" = x."createdAt"
                    AND b."deliveryId" NOT IN (SELECT "id" FROM doomed)))
  SELECT count(*)::int AS n FROM del`;

// Exchanges past a workspace's shorter delivery-log retention with the attempt rows that point at them
// (no cascade: the same key, so the same day partition), except those a dead letter still within its
// own retention shows.
const EXPIRE_EXCHANGES_SQL = `WITH doomed AS (
    SELECT x."id", x."createdAt" FROM "HttpExchange" x
    WHERE x."destinationId" IN (SELECT "id" FROM "Destination" WHERE "workspaceId" = $1) AND x."createdAt" < $2::timestamp
      AND NOT EXISTS (SELECT 1 FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId"
                      WHERE a."exchangeId" = x."id" AND a."createdAt" = x."createdAt" AND d."status" = 'dead')
    ORDER BY x."createdAt" LIMIT $3),
  gone AS (DELETE FROM "HttpExchange" x USING doomed WHERE x."id" = doomed."id" AND x."createdAt" = doomed."createdAt" RETURNING 1),
  ${["DeliveryAttempt", "TraitSyncAttempt", "AudienceDeliveryAttempt"]
    .map(
      (t, i) =>
        `a${i} AS (DELETE FROM "${t}" a USING doomed WHERE a."exchangeId" = doomed."id" AND a."createdAt" = doomed."createdAt")`,
    )
    .join(",\n  ")}
  SELECT count(*)::int AS n FROM gone`;

const deleteOldest = (table: string, time: string) => `WITH doomed AS (
    SELECT "id" FROM "${table}" WHERE "workspaceId" = $1 AND "${time}" < $2::timestamp ORDER BY "${time}" LIMIT $3),
  gone AS (DELETE FROM "${table}" t USING doomed WHERE t."id" = doomed."id" RETURNING 1)
  SELECT count(*)::int AS n FROM gone`;

const iso = (d: Date) => d.toISOString();

/** What the partition drops remove (partitions.ts): a workspace keeping data as long expires none of it in place. */
export interface Longest {
  /** The longest events retention of any workspace. */
  eventsMonths: number;
  /** The longest payload retention of any workspace. */
  payloadsDays: number;
  /** The longest delivery-log or dead-letter retention of any workspace: the log's days go after it. */
  deliveryLogDays: number;
}

/** One kind of expiry for one workspace: a statement deleting one batch (its last parameter the batch size). */
export interface ExpiryTask {
  workspaceId: string;
  kind: keyof Expired;
  sql: string;
  params: unknown[];
}

/** What a workspace expires in place this tick (each task run batch after batch by runExpiry). */
export function expiryTasks(workspaceId: string, retention: Retention, now: Date, longest: Longest): ExpiryTask[] {
  const task = (kind: keyof Expired, sql: string, ...params: unknown[]): ExpiryTask => ({
    workspaceId,
    kind,
    sql,
    params: [workspaceId, ...params],
  });
  const eventsCutoff = iso(monthsBefore(now, retention.events_months));
  const logsCutoff = iso(daysBefore(now, retention.delivery_logs_days));
  // A log kept shorter than the longest goes row by row; otherwise its day partitions take it.
  const outbox = (days: number) => (days < longest.deliveryLogDays ? EXPIRE_DELIVERIES_SQL : EXPIRE_OUTBOX_SQL);
  return [
    ...(retention.events_months < longest.eventsMonths ? [task("events", EXPIRE_EVENTS_SQL, eventsCutoff)] : []),
    ...(retention.payloads_days < longest.payloadsDays
      ? [task("payloads", EXPIRE_PAYLOADS_SQL, iso(daysBefore(now, retention.payloads_days)))]
      : []),
    task("violationSamples", EXPIRE_SAMPLES_SQL, iso(daysBefore(now, retention.violation_samples_days))),
    task("deliveryLogs", outbox(retention.delivery_logs_days), logsCutoff, ["succeeded", "skipped"]),
    task("deadLetters", outbox(retention.dead_letters_days), iso(daysBefore(now, retention.dead_letters_days)), [
      "dead",
    ]),
    ...(retention.delivery_logs_days < longest.deliveryLogDays
      ? [task("exchanges", EXPIRE_EXCHANGES_SQL, logsCutoff)]
      : []),
    task("auditEntries", deleteOldest("AuditLog", "createdAt"), iso(daysBefore(now, retention.audit_log_days))),
    task("duplicateCalls", deleteOldest("DuplicateCall", "receivedAt"), eventsCutoff),
  ];
}

const nothingExpired = (): Expired => ({
  events: 0,
  payloads: 0,
  violationSamples: 0,
  deliveryLogs: 0,
  deadLetters: 0,
  exchanges: 0,
  auditEntries: 0,
  duplicateCalls: 0,
});

export interface ExpiryRun {
  expired: Record<string, Expired>;
  /** Tasks that still had rows when the budget ran out: they go on next tick. */
  unfinished: number;
}

/**
 * Runs the tasks in rounds, one batch of each per round, while a task's last batch was full and the
 * tick's time budget lasts: every task gets one batch a tick however long the first round took, and
 * one workspace's backlog does not starve the others. A batch is `batch` rows at most, so a tick
 * overruns its budget by one batch per task at most.
 */
export async function runExpiry(
  raw: RawSql,
  tasks: ExpiryTask[],
  { batch, budgetMs, clock = () => performance.now() }: { batch: number; budgetMs: number; clock?: () => number },
): Promise<ExpiryRun> {
  const expired: Record<string, Expired> = {};
  const deadline = clock() + budgetMs;
  let pending = tasks;
  for (let round = 0; pending.length > 0 && (round === 0 || clock() < deadline); round++) {
    const more: ExpiryTask[] = [];
    for (const [i, t] of pending.entries()) {
      if (round > 0 && clock() >= deadline) {
        more.push(...pending.slice(i));
        break;
      }
      const [row] = await raw.query<{ n: number; scanned?: number }>(t.sql, [...t.params, batch]);
      const n = Number(row?.n ?? 0);
      expired[t.workspaceId] ??= nothingExpired();
      expired[t.workspaceId]![t.kind] += n;
      if (Number(row?.scanned ?? n) >= batch) more.push(t);
    }
    pending = more;
  }
  for (const t of tasks) expired[t.workspaceId] ??= nothingExpired();
  return { expired, unfinished: pending.length };
}
