// Month partitions of Event (by receivedAt), of its dedup ledger EventDedup (by month) and of the raw
// payloads EventPayload (by receivedAt), and day partitions of the delivery log (HttpExchange and the
// attempt tables, by createdAt): the current month and three ahead (today and seven days ahead) exist
// before rows arrive, rows that landed in a DEFAULT partition move into their own, and partitions wholly
// older than their cutoff are detached and dropped — they go with one catalog change, never a DELETE.
// Event and EventDedup go past the longest events retention of any workspace, EventPayload past the
// longest payload retention (never later than its events: an Event month dropped takes its payloads
// along), the delivery log past the longest delivery-log (or dead-letter) retention.
// Each change waits at most a lock timeout for its table's lock: a detach needs the parent table to
// itself, and while it waits behind a long reader every insert queues behind it (ingestion would
// stop for as long as the report runs). A change that times out is postponed to the next run.
import type { RawSql } from "@/lib/db/connection";
import { sqlState } from "@/lib/db/error-codes";

type Unit = "month" | "day";

interface Partitioned {
  table: string;
  /** The partition key column and its SQL type (for literals): Event by timestamp, the ledger by date. */
  key: string;
  type: "date" | "timestamp";
  /** One partition per month or per day. */
  unit: Unit;
  /** Which retention drops its partitions. */
  retention: keyof DropCutoffs;
}

/** Partitions that ended on or before these instants are dropped. */
export interface DropCutoffs {
  events: Date;
  payloads: Date;
  deliveryLogs: Date;
}

const deliveryLog = (table: string): Partitioned => ({
  table,
  key: "createdAt",
  type: "timestamp",
  unit: "day",
  retention: "deliveryLogs",
});

export const PARTITIONED: Partitioned[] = [
  { table: "Event", key: "receivedAt", type: "timestamp", unit: "month", retention: "events" },
  { table: "EventDedup", key: "month", type: "date", unit: "month", retention: "events" },
  { table: "EventPayload", key: "receivedAt", type: "timestamp", unit: "month", retention: "payloads" },
  ...["HttpExchange", "DeliveryAttempt", "TraitSyncAttempt", "AudienceDeliveryAttempt"].map(deliveryLog),
];

export const MONTHS_AHEAD = 3;
export const DAYS_AHEAD = 7;
const AHEAD: Record<Unit, number> = { month: MONTHS_AHEAD, day: DAYS_AHEAD };

export const dayStart = (at: Date, plus = 0) =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + plus));

export const monthStart = (at: Date, plus = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + plus, 1));

/** The instant N calendar months before `at` (the day clamped to the shorter month). */
export function monthsBefore(at: Date, months: number): Date {
  const target = monthStart(at, -months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}

const unitStart = (unit: Unit, at: Date, plus = 0) => (unit === "day" ? dayStart(at, plus) : monthStart(at, plus));
const two = (n: number) => String(n).padStart(2, "0");

/** `Event_y2026m12` for a month, `HttpExchange_y2026m12d03` for a day. */
export const partitionName = (table: string, start: Date, unit: Unit = "month") =>
  `${table}_y${start.getUTCFullYear()}m${two(start.getUTCMonth() + 1)}${unit === "day" ? `d${two(start.getUTCDate())}` : ""}`;

const literal = (p: Partitioned, at: Date) =>
  `'${p.type === "date" ? at.toISOString().slice(0, 10) : at.toISOString().replace("T", " ").replace("Z", "")}'::${p.type}`;

/** The month (or day) partitions a table has (its DEFAULT aside), oldest first; `month` is the start. */
export async function monthPartitions(raw: RawSql, table: string): Promise<{ name: string; month: Date }[]> {
  const rows = await raw.query<{ name: string }>(
    `SELECT c.relname AS "name" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = format('%I', $1::text)::regclass`,
    [table],
  );
  return rows
    .map((r) => ({ name: r.name, m: /_y(\d{4})m(\d{2})(?:d(\d{2}))?$/.exec(r.name) }))
    .filter((r) => r.m)
    .map((r) => ({
      name: r.name,
      month: new Date(Date.UTC(Number(r.m![1]), Number(r.m![2]) - 1, Number(r.m![3] ?? 1))),
    }))
    .sort((a, b) => a.month.getTime() - b.month.getTime());
}

/** How long a partition change waits for a lock before it is postponed to the next run. */
export const PARTITION_LOCK_TIMEOUT_MS = 2_000;

/** Runs `sql` in one transaction that waits at most `lockTimeoutMs` per lock; false when a lock timed out. */
async function changeWithin(raw: RawSql, sql: string, lockTimeoutMs: number): Promise<boolean> {
  try {
    await raw.exec(`BEGIN; SET LOCAL lock_timeout = ${Math.max(1, Math.round(lockTimeoutMs))}; ${sql}; COMMIT;`);
    return true;
  } catch (error) {
    await raw.exec("ROLLBACK").catch(() => undefined);
    if (sqlState(error) === "55P03") return false; // lock_not_available
    throw error;
  }
}

/** Creates one month's (or day's) partition in a transaction, moving its rows out of DEFAULT first. */
function createPartition(raw: RawSql, p: Partitioned, name: string, start: Date, lockTimeoutMs: number) {
  const from = literal(p, start);
  const to = literal(p, unitStart(p.unit, start, 1));
  return changeWithin(
    raw,
    `CREATE TABLE "${name}" (LIKE "${p.table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
     WITH moved AS (DELETE FROM "${p.table}_default" WHERE "${p.key}" >= ${from} AND "${p.key}" < ${to} RETURNING *)
     INSERT INTO "${name}" SELECT * FROM moved;
     ALTER TABLE "${p.table}" ATTACH PARTITION "${name}" FOR VALUES FROM (${from}) TO (${to})`,
    lockTimeoutMs,
  );
}

export interface PartitionChanges {
  created: string[];
  dropped: string[];
  /** Partitions whose creation or drop waited longer than the lock timeout: tried again next run. */
  postponed: string[];
}

/**
 * Makes the partitions right for `now`: months (days) ahead created, DEFAULT emptied into their own
 * partitions (a stray one already past its cutoff too, so it is dropped below with the rest),
 * partitions that ended on or before their table's cutoff detached and dropped.
 */
export async function keepPartitions(
  raw: RawSql,
  now: Date,
  cutoffs: DropCutoffs,
  lockTimeoutMs = PARTITION_LOCK_TIMEOUT_MS,
): Promise<PartitionChanges> {
  const changes: PartitionChanges = { created: [], dropped: [], postponed: [] };
  // Payload months never outlive their events' months.
  const dropBeforeOf = (p: Partitioned) =>
    p.retention === "payloads" && cutoffs.payloads < cutoffs.events ? cutoffs.events : cutoffs[p.retention];
  for (const p of PARTITIONED) {
    const dropBefore = dropBeforeOf(p);
    const have = new Set((await monthPartitions(raw, p.table)).map((e) => e.month.getTime()));
    const stray = await raw.query<{ start: string }>(
      `SELECT DISTINCT to_char("${p.key}", '${p.unit === "day" ? "YYYY-MM-DD" : "YYYY-MM-01"}') AS "start" FROM "${p.table}_default"`,
    );
    const wanted = [
      ...Array.from({ length: AHEAD[p.unit] + 1 }, (_, k) => unitStart(p.unit, now, k)).filter(
        (start) => unitStart(p.unit, start, 1) > dropBefore,
      ),
      ...stray.map((s) => new Date(`${s.start}T00:00:00Z`)),
    ];
    for (const start of wanted) {
      if (have.has(start.getTime())) continue;
      have.add(start.getTime());
      const name = partitionName(p.table, start, p.unit);
      const made = await createPartition(raw, p, name, start, lockTimeoutMs);
      (made ? changes.created : changes.postponed).push(name);
    }
    for (const e of await monthPartitions(raw, p.table)) {
      if (unitStart(p.unit, e.month, 1) > dropBefore) continue;
      // Settled deliveries expired long before (delivery_logs_days); one still queued goes with its event.
      const queued =
        p.table === "Event"
          ? `DELETE FROM "Delivery" d WHERE d."status" IN ('pending', 'retrying') AND EXISTS (SELECT 1 FROM "${e.name}" e WHERE e."id" = d."eventRowId");`
          : "";
      const gone = await changeWithin(
        raw,
        `${queued} ALTER TABLE "${p.table}" DETACH PARTITION "${e.name}"; DROP TABLE "${e.name}"`,
        lockTimeoutMs,
      );
      (gone ? changes.dropped : changes.postponed).push(e.name);
    }
  }
  return changes;
}
