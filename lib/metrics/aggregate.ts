// The rollup aggregator: folds new Event rows and DeliveryAttempt rows into hourly counters,
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
  /** The BRIN index on seq: new block ranges are summarized before counting (see step). */
  index: string;
  /** The sequence behind the table's seq column. */
  sequence: string;
  /** Count the rows with $1 < seq <= $2 into the rollup tables (upserts adding to counters), in order. */
  countSql: string[];
}

const EVENT_COUNT_SQL = `INSERT INTO "EventRollup" AS r ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status","count","firstSeenAt","lastSeenAt")
  SELECT e."workspaceId", date_trunc('hour', e."receivedAt"), coalesce(e."sourceId", ''), e."sourceEvent",
    coalesce(e."mappingId", ''), coalesce(e."canonicalEventId", ''), e."status"::text, count(*), min(e."receivedAt"), max(e."receivedAt")
  FROM "Event" e WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status") DO UPDATE
  SET "count" = r."count" + EXCLUDED."count", "firstSeenAt" = LEAST(r."firstSeenAt", EXCLUDED."firstSeenAt"),
    "lastSeenAt" = GREATEST(r."lastSeenAt", EXCLUDED."lastSeenAt")`;

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

// The outbox rows ingest wrote with those events (same statement, so committed with them), as
// `queued` at the event's arrival hour. A backfill's rows (created later) count themselves (backfill.ts).
const QUEUED_COUNT_SQL = `INSERT INTO "DeliveryRollup" AS r ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket","count","latencySumMs")
  SELECT e."workspaceId", date_trunc('hour', e."receivedAt"), d."destinationId", coalesce(e."canonicalEventId", ''), 'queued', '', -1, count(*), 0
  FROM "Event" e JOIN "Delivery" d ON d."eventRowId" = e."id" AND d."createdAt" = e."receivedAt"
  WHERE e."seq" > $1::bigint AND e."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4
  ON CONFLICT ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket") DO UPDATE
  SET "count" = r."count" + EXCLUDED."count"`;

// Exact repeats (200 duplicate) store no event: their DuplicateCall rows count as status `duplicate`.
const DUPLICATE_COUNT_SQL = `INSERT INTO "EventRollup" AS r ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status","count","firstSeenAt","lastSeenAt")
  SELECT c."workspaceId", date_trunc('hour', c."receivedAt"), coalesce(c."sourceId", ''), c."sourceEvent",
    coalesce(c."mappingId", ''), coalesce(c."canonicalEventId", ''), 'duplicate', count(*), min(c."receivedAt"), max(c."receivedAt")
  FROM "DuplicateCall" c WHERE c."seq" > $1::bigint AND c."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4, 5, 6
  ON CONFLICT ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status") DO UPDATE
  SET "count" = r."count" + EXCLUDED."count", "firstSeenAt" = LEAST(r."firstSeenAt", EXCLUDED."firstSeenAt"),
    "lastSeenAt" = GREATEST(r."lastSeenAt", EXCLUDED."lastSeenAt")`;

/** An attempt's outcome as a delivery outcome: a retry with no next time was the last one (dead). */
export const ATTEMPT_OUTCOME_SQL = `CASE a."outcome" WHEN 'success' THEN 'sent' WHEN 'skipped' THEN 'skipped' WHEN 'permanent' THEN 'dead'
  ELSE CASE WHEN a."nextAttemptAt" IS NULL THEN 'dead' ELSE 'retrying' END END`;

const DELIVERY_COUNT_SQL = `INSERT INTO "DeliveryRollup" AS r ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket","count","latencySumMs")
  SELECT d."workspaceId", date_trunc('hour', a."createdAt"), d."destinationId", coalesce(e."canonicalEventId", ''),
    ${ATTEMPT_OUTCOME_SQL}, ${ATTEMPT_REASON_SQL}, CASE WHEN x."id" IS NULL THEN -1 ELSE width_bucket(x."latencyMs", ${LATENCY_BOUNDS_SQL}) END,
    count(*), coalesce(sum(x."latencyMs"), 0)
  FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId" JOIN "Event" e ON e."id" = d."eventRowId"
    LEFT JOIN "HttpExchange" x ON x."id" = a."exchangeId"
  WHERE a."seq" > $1::bigint AND a."seq" <= $2::bigint
  GROUP BY 1, 2, 3, 4, 5, 6, 7
  ON CONFLICT ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket") DO UPDATE
  SET "count" = r."count" + EXCLUDED."count", "latencySumMs" = r."latencySumMs" + EXCLUDED."latencySumMs"`;

export const STREAMS: Stream[] = [
  {
    name: "events",
    index: `"Event_seq_idx"`,
    sequence: `"Event_seq_seq"`,
    countSql: [EVENT_COUNT_SQL, LABEL_COUNT_SQL, QUEUED_COUNT_SQL],
  },
  {
    name: "duplicates",
    index: `"DuplicateCall_seq_idx"`,
    sequence: `"DuplicateCall_seq_seq"`,
    countSql: [DUPLICATE_COUNT_SQL],
  },
  {
    name: "delivery_attempts",
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

// Open transactions that began by the pending time (other than this one): rows they inserted
// may still commit. Only client backends of this database insert events. The time is compared
// in SQL: a JS Date would cut it to milliseconds, earlier than the transactions it must wait for.
const SETTLED_SQL = `SELECT NOT EXISTS (
  SELECT 1 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'
    AND datname = current_database()
    AND xact_start <= (SELECT "pendingAt" FROM "RollupCheckpoint" WHERE "stream" = $1)) AS "settled"`;

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
    const [{ settled } = { settled: false }] = await raw.query<{ settled: boolean }>(SETTLED_SQL, [stream.name]);
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
