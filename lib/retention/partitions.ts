// Month partitions of Event (by receivedAt), of its dedup ledger EventDedup (by month) and of the raw
// payloads EventPayload (by receivedAt): the current month and three ahead exist before rows arrive,
// rows that landed in a DEFAULT partition move into their month's own, and months wholly older than
// the cutoff are detached and dropped — a month goes with one catalog change, never a DELETE. Event
// and EventDedup go past the longest events retention of any workspace, EventPayload past the longest
// payload retention (never later than its events: an Event month dropped takes its payloads along).
import type { RawSql } from "@/lib/db/connection";

interface Partitioned {
  table: string;
  /** The partition key column and its SQL type (for literals): Event by timestamp, the ledger by date. */
  key: string;
  type: "date" | "timestamp";
  /** Which retention drops its months. */
  retention: keyof DropCutoffs;
}

/** Months that ended on or before these instants are dropped. */
export interface DropCutoffs {
  events: Date;
  payloads: Date;
}

export const PARTITIONED: Partitioned[] = [
  { table: "Event", key: "receivedAt", type: "timestamp", retention: "events" },
  { table: "EventDedup", key: "month", type: "date", retention: "events" },
  { table: "EventPayload", key: "receivedAt", type: "timestamp", retention: "payloads" },
];

export const MONTHS_AHEAD = 3;

export const monthStart = (at: Date, plus = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + plus, 1));

/** The instant N calendar months before `at` (the day clamped to the shorter month). */
export function monthsBefore(at: Date, months: number): Date {
  const target = monthStart(at, -months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}

export const partitionName = (table: string, month: Date) =>
  `${table}_y${month.getUTCFullYear()}m${String(month.getUTCMonth() + 1).padStart(2, "0")}`;

const literal = (p: Partitioned, at: Date) =>
  `'${p.type === "date" ? at.toISOString().slice(0, 10) : at.toISOString().replace("T", " ").replace("Z", "")}'::${p.type}`;

/** The month partitions a table has (its DEFAULT aside), oldest first. */
export async function monthPartitions(raw: RawSql, table: string): Promise<{ name: string; month: Date }[]> {
  const rows = await raw.query<{ name: string }>(
    `SELECT c.relname AS "name" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = format('%I', $1::text)::regclass`,
    [table],
  );
  return rows
    .map((r) => ({ name: r.name, m: /_y(\d{4})m(\d{2})$/.exec(r.name) }))
    .filter((r) => r.m)
    .map((r) => ({ name: r.name, month: new Date(Date.UTC(Number(r.m![1]), Number(r.m![2]) - 1, 1)) }))
    .sort((a, b) => a.month.getTime() - b.month.getTime());
}

/** Creates one month's partition in a transaction, moving that month's rows out of DEFAULT first. */
async function createMonth(raw: RawSql, p: Partitioned, month: Date) {
  const name = partitionName(p.table, month);
  const from = literal(p, month);
  const to = literal(p, monthStart(month, 1));
  await raw
    .exec(
      `BEGIN;
       CREATE TABLE "${name}" (LIKE "${p.table}" INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
       WITH moved AS (DELETE FROM "${p.table}_default" WHERE "${p.key}" >= ${from} AND "${p.key}" < ${to} RETURNING *)
       INSERT INTO "${name}" SELECT * FROM moved;
       ALTER TABLE "${p.table}" ATTACH PARTITION "${name}" FOR VALUES FROM (${from}) TO (${to});
       COMMIT;`,
    )
    .catch(async (error: unknown) => {
      await raw.exec("ROLLBACK").catch(() => undefined);
      throw error;
    });
  return name;
}

export interface PartitionChanges {
  created: string[];
  dropped: string[];
}

/**
 * Makes the partitions right for `now`: months ahead created, DEFAULT emptied into month partitions
 * (a stray month already past its cutoff too, so it is dropped below with the rest), months that
 * ended on or before their table's cutoff detached and dropped.
 */
export async function keepPartitions(raw: RawSql, now: Date, cutoffs: DropCutoffs): Promise<PartitionChanges> {
  const changes: PartitionChanges = { created: [], dropped: [] };
  // Payload months never outlive their events' months.
  const dropBeforeOf = (p: Partitioned) =>
    p.retention === "payloads" && cutoffs.payloads < cutoffs.events ? cutoffs.events : cutoffs[p.retention];
  for (const p of PARTITIONED) {
    const dropBefore = dropBeforeOf(p);
    const have = new Set((await monthPartitions(raw, p.table)).map((e) => e.month.getTime()));
    const stray = await raw.query<{ month: string }>(
      `SELECT DISTINCT to_char("${p.key}", 'YYYY-MM') AS "month" FROM "${p.table}_default"`,
    );
    const wanted = [
      ...Array.from({ length: MONTHS_AHEAD + 1 }, (_, k) => monthStart(now, k)).filter(
        (month) => monthStart(month, 1) > dropBefore,
      ),
      ...stray.map((s) => new Date(`${s.month}-01T00:00:00Z`)),
    ];
    for (const month of wanted) {
      if (have.has(month.getTime())) continue;
      have.add(month.getTime());
      changes.created.push(await createMonth(raw, p, month));
    }
    for (const e of await monthPartitions(raw, p.table)) {
      if (monthStart(e.month, 1) > dropBefore) continue;
      // Settled deliveries expired long before (delivery_logs_days); one still queued goes with its event.
      if (p.table === "Event")
        await raw.exec(
          `DELETE FROM "Delivery" d WHERE d."status" IN ('pending', 'retrying') AND EXISTS (SELECT 1 FROM "${e.name}" e WHERE e."id" = d."eventRowId")`,
        );
      await raw.exec(`ALTER TABLE "${p.table}" DETACH PARTITION "${e.name}"; DROP TABLE "${e.name}";`);
      changes.dropped.push(e.name);
    }
  }
  return changes;
}
