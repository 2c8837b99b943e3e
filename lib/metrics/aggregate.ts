// The rollup aggregator: folds new Event rows and DeliveryAttempt rows into hourly counters (per
// label: EventRollup; without the label: EventStatusRollup; per destination: DeliveryRollup, by day:
// DeliveryDayRollup, without canonical event and reason: DeliveryHealthRollup),
// following each table's `seq` (a sequence value handed out inside the inserting transaction).
//
// Sequence values are taken in one order and committed in another, so "everything up to the
// largest seq I can see" would skip a row whose transaction commits later. The watermark is safe
// instead: a run reads the sequence's last value N and then the time T; a row with seq <= N was
// inserted by a transaction that began before T. Once no transaction that began by T is still
// open (pg_stat_activity), every row with seq <= N is committed or gone for good, so N becomes
// the position. Counting rows (position, N] and moving the checkpoint happen in ONE transaction:
// a worker killed in between rolls both back and the next run counts them exactly once.

import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { LATENCY_BOUNDS_SQL } from "@/lib/metrics/latency";
import { ATTEMPT_REASON_SQL } from "@/lib/metrics/reasons";

interface Stream {
  name: string;
  /** The table whose rows are counted: only transactions writing to it can hold its seq values. */
  table: string;
  /** The BRIN index on seq: new block ranges are summarized before counting (see step). */
  index: string;
  /** The sequence behind the table's seq column. */
  sequence: string;
  /** Count the rows with $1 < seq <= $2 into the rollup tables (upserts adding to counters), in order. */
  countSql: string[];
}

// The counters of one delta (ws, bucket, src, sev, mp, ce, st, n, first, last) into EventRollup and,
// without the label, into EventStatusRollup (the mapping kept only where there is no canonical event).
const countDeltaSql = (delta: string) => `WITH delta AS (${delta}),
  labelled AS (
    INSERT INTO "EventRollup" AS r ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status","count","firstSeenAt","lastSeenAt")
    SELECT ws, bucket, src, sev, mp, ce, st, n, first, last FROM delta
    ON CONFLICT ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status") DO UPDATE
    SET "count" = r."count" + EXCLUDED."count", "firstSeenAt" = LEAST(r."firstSeenAt", EXCLUDED."firstSeenAt"),
      "lastSeenAt" = GREATEST(r."lastSeenAt", EXCLUDED."lastSeenAt"))
  INSERT INTO "EventStatusRollup" AS s ("workspaceId","bucket","canonicalEventId","mappingId","status","count")
  SELECT ws, bucket, ce, CASE WHEN ce = '' THEN mp ELSE '' END, st, sum(n) FROM delta GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT ("workspaceId","bucket","canonicalEventId","mappingId","status") DO UPDATE SET "count" = s."count" + EXCLUDED."count"`;

const EVENT_COUNT_SQL = countDeltaSql(`SELECT e."workspaceId" AS ws, date_trunc('hour', e."receivedAt") AS bucket,
    coalesce(e."sourceId", '') AS src, e."sourceEvent" AS sev, coalesce(e."mappingId", '') AS mp, coalesce(e."canonicalEventId", '') AS ce,
    e."status"::text AS st, count(*) AS n, min(e."receivedAt") AS first, max(e."receivedAt") AS last
  FROM "Event" e WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4, 5, 6, 7`);

// The same rows into the labels table (one row per distinct label, no time bucket): the unmapped
// list, label search and list totals read it (lib/events/labels.ts).
const LABEL_COUNT_SQL = `INSERT INTO "EventLabel" AS l ("workspaceId","sourceId","sourceEvent","kind","status","mappingId","canonicalEventId","count","firstSeenAt","lastSeenAt")
  SELECT e."workspaceId", coalesce(e."sourceId", ''), e."sourceEvent", e."kind", e."status"::text, coalesce(e."mappingId", ''),
    coalesce(e."canonicalEventId", ''), count(*), min(e."receivedAt"), max(e."receivedAt")
  FROM "Event" e WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("workspaceId","sourceId","sourceEvent","kind","status","mappingId","canonicalEventId") DO UPDATE
  SET "count" = l."count" + EXCLUDED."count", "firstSeenAt" = LEAST(l."firstSeenAt", EXCLUDED."firstSeenAt"),
    "lastSeenAt" = GREATEST(l."lastSeenAt", EXCLUDED."lastSeenAt")`;

/** The day counters (reconciliation) of a delivery delta CTE (ws, bucket, dest, ce, outcome, reason, n). */
export const DELIVERY_DAY_UPSERT_SQL = `INSERT INTO "DeliveryDayRollup" AS dd ("workspaceId","day","destinationId","canonicalEventId","outcome","reason","count")
  SELECT ws, date_trunc('day', bucket), dest, ce, outcome, reason, sum(n) FROM delta GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("workspaceId","day","destinationId","canonicalEventId","outcome","reason") DO UPDATE SET "count" = dd."count" + EXCLUDED."count"`;

// The outbox rows ingest wrote with those events (same statement, so committed with them), as
// `queued` at the event's arrival hour (and day). A backfill's rows (created later) count themselves (backfill.ts).
const QUEUED_COUNT_SQL = `WITH delta AS (
    SELECT e."workspaceId" AS ws, date_trunc('hour', e."receivedAt") AS bucket, d."destinationId" AS dest, coalesce(e."canonicalEventId", '') AS ce,
      'queued'::text AS outcome, ''::text AS reason, count(*) AS n
    FROM "Event" e JOIN "Delivery" d ON d."eventRowId" = e."id" AND d."createdAt" = e."receivedAt"
    WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
    GROUP BY 1, 2, 3, 4),
  hourly AS (
    INSERT INTO "DeliveryRollup" AS r ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket","count","latencySumMs")
    SELECT ws, bucket, dest, ce, outcome, reason, -1, n, 0 FROM delta
    ON CONFLICT ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket") DO UPDATE
    SET "count" = r."count" + EXCLUDED."count")
  ${DELIVERY_DAY_UPSERT_SQL}`;

// Exact repeats (200 duplicate) store no event: their DuplicateCall rows count as status `duplicate`.
const DUPLICATE_COUNT_SQL = countDeltaSql(`SELECT c."workspaceId" AS ws, date_trunc('hour', c."receivedAt") AS bucket,
    coalesce(c."sourceId", '') AS src, c."sourceEvent" AS sev, coalesce(c."mappingId", '') AS mp, coalesce(c."canonicalEventId", '') AS ce,
    'duplicate'::text AS st, count(*) AS n, min(c."receivedAt") AS first, max(c."receivedAt") AS last
  FROM "DuplicateCall" c WHERE c."seq" > $1::bigint AND c."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4, 5, 6`);

/** An attempt's outcome as a delivery outcome: a retry with no next time was the last one (dead). */
export const ATTEMPT_OUTCOME_SQL = `CASE a."outcome" WHEN 'success' THEN 'sent' WHEN 'skipped' THEN 'skipped' WHEN 'permanent' THEN 'dead'
  ELSE CASE WHEN a."nextAttemptAt" IS NULL THEN 'dead' ELSE 'retrying' END END`;

// Attempts into DeliveryRollup (per canonical event and reason), DeliveryDayRollup (the same by day,
// no latency) and DeliveryHealthRollup (per destination, outcome and latency bucket) from one read.
// An attempt counts under the canonical event its outbox row copied at queueing (an event's canonical
// event never changes once stored). Only a row without that copy reads its event, by its full key
// (one month's partition; an OR with "eventReceivedAt IS NULL" in the join would keep the planner from
// pruning, so legacy rows without it take the second branch, by id alone): the others probe nothing.
const DELIVERY_COUNT_SQL = `WITH delta AS (
    SELECT d."workspaceId" AS ws, date_trunc('hour', a."createdAt") AS bucket, d."destinationId" AS dest,
      coalesce(d."canonicalEventId", e."canonicalEventId", '') AS ce,
      ${ATTEMPT_OUTCOME_SQL} AS outcome, ${ATTEMPT_REASON_SQL} AS reason,
      CASE WHEN x."id" IS NULL THEN -1 ELSE width_bucket(x."latencyMs", ${LATENCY_BOUNDS_SQL}) END AS lb,
      count(*) AS n, coalesce(sum(x."latencyMs"), 0) AS ms
    FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId"
      LEFT JOIN LATERAL (
        SELECT "canonicalEventId" FROM "Event"
        WHERE d."canonicalEventId" IS NULL AND "id" = d."eventRowId" AND "receivedAt" = d."eventReceivedAt"
        UNION ALL
        SELECT "canonicalEventId" FROM "Event"
        WHERE d."canonicalEventId" IS NULL AND d."eventReceivedAt" IS NULL AND "id" = d."eventRowId"
      ) e ON true
      LEFT JOIN "HttpExchange" x ON x."id" = a."exchangeId" AND x."createdAt" = a."createdAt"
    WHERE a."seq" > $1::bigint AND a."seq" <= $2::bigint
    GROUP BY 1, 2, 3, 4, 5, 6, 7),
  detailed AS (
    INSERT INTO "DeliveryRollup" AS r ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket","count","latencySumMs")
    SELECT ws, bucket, dest, ce, outcome, reason, lb, n, ms FROM delta
    ON CONFLICT ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket") DO UPDATE
    SET "count" = r."count" + EXCLUDED."count", "latencySumMs" = r."latencySumMs" + EXCLUDED."latencySumMs"),
  daily AS (${DELIVERY_DAY_UPSERT_SQL})
  INSERT INTO "DeliveryHealthRollup" AS h ("workspaceId","bucket","destinationId","outcome","latencyBucket","count","latencySumMs")
  SELECT ws, bucket, dest, outcome, lb, sum(n), sum(ms) FROM delta GROUP BY 1, 2, 3, 4, 5
  ON CONFLICT ("workspaceId","bucket","destinationId","outcome","latencyBucket") DO UPDATE
  SET "count" = h."count" + EXCLUDED."count", "latencySumMs" = h."latencySumMs" + EXCLUDED."latencySumMs"`;

export const STREAMS: Stream[] = [
  {
    name: "events",
    table: `"Event"`,
    index: `"Event_seq_idx"`,
    sequence: `"Event_seq_seq"`,
    countSql: [EVENT_COUNT_SQL, LABEL_COUNT_SQL, QUEUED_COUNT_SQL],
  },
  {
    name: "duplicates",
    table: `"DuplicateCall"`,
    index: `"DuplicateCall_seq_idx"`,
    sequence: `"DuplicateCall_seq_seq"`,
    countSql: [DUPLICATE_COUNT_SQL],
  },
  {
    name: "delivery_attempts",
    table: `"DeliveryAttempt"`,
    index: `"DeliveryAttempt_seq_idx"`,
    sequence: `"DeliveryAttempt_seq_seq"`,
    countSql: [DELIVERY_COUNT_SQL],
  },
];

/** Rows counted per transaction at most: a large backlog (first run on an old install) goes in steps. */
const CHUNK = 50_000;

export interface StepOptions {
  /** Runs inside the transaction after counting, before the checkpoint moves (tests kill it here). */
  afterCounting?: () => Promise<void>;
}

export interface StepResult {
  /** The new position, or null when another worker holds the stream. */
  position: bigint | null;
  counted: boolean;
  /** True when a watermark is pending and the transactions it waits for have not all ended. */
  waiting: boolean;
}

type Checkpoint = { position: string; pendingPosition: string | null; pendingAt: Date | null };

// Open transactions that began by the pending time (other than this one) and write to the stream's
// table: rows they inserted may still commit. A seq value comes from the column default while an
// INSERT runs, and an INSERT holds the table's RowExclusiveLock to its transaction's end, so any
// transaction holding an uncommitted seq holds that lock. Others (a long report, a slow recompute)
// cannot, and are not waited for. The time is compared in SQL: a JS Date would cut it to
// milliseconds, earlier than the transactions it must wait for.
const settledSql = (stream: Stream) => `SELECT NOT EXISTS (
  SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
  WHERE l.locktype = 'relation' AND l.relation = '${stream.table}'::regclass AND l.mode = 'RowExclusiveLock'
    AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND l.pid <> pg_backend_pid()
    AND a.xact_start <= (SELECT "pendingAt" FROM "RollupCheckpoint" WHERE "stream" = $1)) AS "settled"`;

async function step(raw: RawSql, stream: Stream, opts: StepOptions): Promise<StepResult> {
  await raw.query(`INSERT INTO "RollupCheckpoint" ("stream") VALUES ($1) ON CONFLICT DO NOTHING`, [stream.name]);
  const [cp] = await raw.query<Checkpoint>(
    `SELECT "position"::text AS "position", "pendingPosition"::text AS "pendingPosition", "pendingAt"
     FROM "RollupCheckpoint" WHERE "stream" = $1 FOR UPDATE SKIP LOCKED`,
    [stream.name],
  );
  if (!cp) return { position: null, counted: false, waiting: false };
  let position = BigInt(cp.position);
  let pending = cp.pendingPosition === null ? null : BigInt(cp.pendingPosition);
  let counted = false;
  let waiting = false;
  if (pending !== null && cp.pendingAt) {
    const [{ settled } = { settled: false }] = await raw.query<{ settled: boolean }>(settledSql(stream), [stream.name]);
    if (settled) {
      // A BRIN index reads block ranges it has no summary of in full; nothing summarizes them
      // without autovacuum (embedded), so the aggregator does, for the pages added since last time.
      // A partitioned table's (Event's) BRIN index is its partitions' indexes: each is summarized.
      await raw.query(
        `SELECT brin_summarize_new_values(x.oid) FROM (
           SELECT c.oid FROM pg_class c WHERE c.oid = '${stream.index}'::regclass AND c.relkind = 'i'
           UNION ALL SELECT i.inhrelid FROM pg_inherits i WHERE i.inhparent = '${stream.index}'::regclass) x`,
      );
      const target = pending - position > BigInt(CHUNK) ? position + BigInt(CHUNK) : pending;
      for (const sql of stream.countSql) await raw.query(sql, [position.toString(), target.toString()]);
      await opts.afterCounting?.();
      position = target;
      counted = true;
      if (position >= pending) pending = null;
    } else waiting = true;
  }
  // A new watermark only once the last one is used up: the sequence's last value, then the time.
  if (pending === null) {
    const [{ last } = { last: null }] = await raw.query<{ last: string | null }>(
      `SELECT pg_sequence_last_value('${stream.sequence}'::regclass)::text AS "last"`,
    );
    const lastValue = last === null ? 0n : BigInt(last);
    if (lastValue > position)
      await raw.query(
        `UPDATE "RollupCheckpoint" SET "position" = $2::bigint, "pendingPosition" = $3::bigint, "pendingAt" = clock_timestamp(), "updatedAt" = now() WHERE "stream" = $1`,
        [stream.name, position.toString(), lastValue.toString()],
      );
    else await setPosition(raw, stream.name, position, null);
  } else await setPosition(raw, stream.name, position, pending);
  return { position, counted, waiting };
}

const setPosition = (raw: RawSql, name: string, position: bigint, pending: bigint | null) =>
  raw.query(
    `UPDATE "RollupCheckpoint" SET "position" = $2::bigint, "pendingPosition" = $3::bigint,
       "pendingAt" = CASE WHEN $3::bigint IS NULL THEN NULL ELSE "pendingAt" END, "updatedAt" = now() WHERE "stream" = $1`,
    [name, position.toString(), pending?.toString() ?? null],
  );

/** One step of one stream in its own transaction. */
export function aggregateStep(stream: Stream, opts: StepOptions = {}): Promise<StepResult> {
  return database().transaction((raw) => step(raw, stream, opts));
}

/**
 * Brings every stream up to date as far as is safe now: a few steps each (take a watermark,
 * count up to it once it is settled, take the next). Returns how many steps counted rows.
 */
export async function aggregateRollups(opts: StepOptions & { maxSteps?: number } = {}): Promise<number> {
  let counted = 0;
  for (const stream of STREAMS) {
    for (let i = 0; i < (opts.maxSteps ?? 8); i++) {
      const result = await aggregateStep(stream, opts);
      if (result.counted) counted++;
      if (result.position === null || result.waiting || (!result.counted && i > 0)) break;
    }
  }
  return counted;
}
