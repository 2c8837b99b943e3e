// Claiming from an outbox reads its due-queue index in order (oldest due first) and stops at the
// batch size. The planner alone does not always do so: it picks by estimated row counts, and an
// outbox's statistics are often stale (autovacuum analyzes a minute or more later). On statistics
// of a settled outbox a burst's rows look rare, on a never-analyzed table they look few, and either
// way reading every due row and sorting them looked cheaper: per claim, the whole backlog (30,000
// rows and 25 ms instead of 500 and 5 ms; a million rows per claim after a large import). So a claim
// runs in a transaction with sorting disabled: ordered index reads are the only plan left. JIT off
// too: a disabled step's prohibitive cost estimate would otherwise buy a JIT compilation (~800 ms).
// A claim written for this names each due status as a constant (`status = 'pending'`), so an index
// on (status, nextAttemptAt) yields its rows in order; with `status IN (...)` it cannot.
import type { DbHandle } from "@/lib/db/connection";

/** Transaction-local planner settings under which a claim reads its due index in order. */
export const ORDERED_CLAIM_SETTINGS = "SET LOCAL enable_sort = off; SET LOCAL jit = off";

/** Runs one claim statement in its own transaction under ORDERED_CLAIM_SETTINGS. */
export function claimInOrder<T>(db: Pick<DbHandle, "transaction">, sql: string, params: unknown[]): Promise<T[]> {
  return db.transaction(async (raw) => {
    await raw.exec(ORDERED_CLAIM_SETTINGS);
    // Unnamed: planned on each run for the queue as it is then. A named statement keeps a generic
    // plan after five runs, and an idle worker's five runs were on an empty queue: that plan read the
    // whole outbox per claim once a burst arrived, until the connection next dropped its plans.
    return raw.query<T>(sql, params);
  });
}
