// Claiming from an outbox reads its due-queue index in order (oldest due first) and stops at the
// batch size. The planner alone does not always do so: it picks by estimated row counts, and an
// outbox's statistics are often stale (autovacuum analyzes a minute or more later). On statistics
// of a settled outbox a burst's rows look rare, on a never-analyzed table they look few, and either
// way reading every due row and sorting them looked cheaper: per claim, the whole backlog (30,000
// rows and 25 ms instead of 500 and 5 ms; a million rows per claim after a large import). So a claim
// names each due status as a constant (`status = 'pending'`: an index on (status, nextAttemptAt)
// then yields its rows in order; with `status IN (...)` it cannot) and runs in a transaction with
// sorting disabled: ordered index reads are the only plan left. JIT off too: a disabled step's
// prohibitive cost estimate would otherwise buy a JIT compilation (~800 ms).
import type { DbHandle } from "@/lib/db/connection";

/** Transaction-local planner settings under which a claim reads its due index in order. */
export const ORDERED_CLAIM_SETTINGS = "SET LOCAL enable_sort = off; SET LOCAL jit = off";

/**
 * The CTE `due` of a claim: ids of `table`'s due, unleased rows at `$3` (now), oldest first, at
 * most `$4`, locked (SKIP LOCKED), that also meet `where` (on the table as `alias`). One ordered
 * scan per due status; each wrapped, as a UNION's arm may not lock rows itself.
 */
export function dueCte(table: string, alias: string, where = "TRUE"): string {
  const scan = (status: "pending" | "retrying") => `SELECT * FROM (
         SELECT ${alias}."id", ${alias}."nextAttemptAt" FROM "${table}" ${alias}
         WHERE ${alias}."status" = '${status}' AND ${alias}."nextAttemptAt" <= $3::timestamp
           AND (${alias}."leaseUntil" IS NULL OR ${alias}."leaseUntil" < $3::timestamp) AND ${where}
         ORDER BY ${alias}."nextAttemptAt" LIMIT $4 FOR UPDATE SKIP LOCKED) ${status}`;
  return `due AS MATERIALIZED (
       SELECT "id" FROM (${scan("pending")} UNION ALL ${scan("retrying")}) q
       ORDER BY "nextAttemptAt" LIMIT $4
     )`;
}

export interface ClaimArgs {
  workerId: string;
  limit: number;
  leaseMs: number;
  now: Date;
}

/**
 * Runs claim `sql` ($1 lease until, $2 worker id, $3 now, $4 limit, then `extra`) in its own
 * transaction under ORDERED_CLAIM_SETTINGS.
 */
export function claimInOrder<T>(
  db: Pick<DbHandle, "transaction">,
  sql: string,
  { workerId, limit, leaseMs, now }: ClaimArgs,
  extra: unknown[] = [],
): Promise<T[]> {
  return db.transaction(async (raw) => {
    await raw.exec(ORDERED_CLAIM_SETTINGS);
    // Unnamed: planned on each run for the queue as it is then. A named statement keeps a generic
    // plan after five runs, and an idle worker's five runs were on an empty queue: that plan read the
    // whole outbox per claim once a burst arrived, until the connection next dropped its plans.
    return raw.query<T>(sql, [
      new Date(now.getTime() + leaseMs).toISOString(),
      workerId,
      now.toISOString(),
      limit,
      ...extra,
    ]);
  });
}
