// The queues beside the event outbox: the audience outbox, dirty profiles' computed traits and
// changed traits for Heap, privacy deletion requests; every 2 s the metrics rollups
// (lib/metrics/aggregate.ts); every minute the alert rules (lib/alerts/evaluate.ts: one evaluator
// per workspace and minute across replicas) and retention (lib/retention/run.ts: partitions and bounded
// expiry, one replica at a time; a postponed partition change is logged, lib/retention/postponed.ts);
// every pass, the alert notifications the rules queued (lib/alerts/send-notifications.ts); then,
// every 10 s, table upkeep (lib/db/upkeep.ts).
import { evaluateDueAlerts } from "@/lib/alerts/evaluate";
import { sendDueNotifications } from "@/lib/alerts/send-notifications";
import { runAudienceSyncOnce } from "@/lib/audiences/sync/deliver";
import { database } from "@/lib/db";
import { keepTablesUp } from "@/lib/db/upkeep";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { runDueDeletions } from "@/lib/privacy/deletion-queue";
import { postponementNotices } from "@/lib/retention/postponed";
import { runRetention } from "@/lib/retention/run";
import { processHeapSyncs } from "@/lib/traits/heap-outbox";
import { recomputeDueProfiles } from "@/lib/traits/recompute";
import type { WorkerOptions } from "@/lib/worker/options";

const UPKEEP_EVERY_MS = 10_000;
/** Rollups trail by about two of these (a watermark is taken, then counted once settled): fresh within 15 s. */
const ROLLUP_EVERY_MS = 2_000;
let rollupDueAt = 0;
/** Computed traits are recomputed in small batches: each profile reads its own events. */
const RECOMPUTE_BATCH = 200;
let upkeepDueAt = 0;
/** Alert rules are evaluated once a minute (the lease keeps replicas from repeating a minute). */
const ALERTS_EVERY_MS = 60_000;
let alertsDueAt = 0;
/** Retention: partitions ahead and expired data, in batches within a time budget, once a minute. */
const RETENTION_EVERY_MS = 60_000;
let retentionDueAt = 0;
const noticePostponed = postponementNotices();

/**
 * Runs each queue once; a queue that fails is reported and does not hold up the next one.
 * Returns how many audience and Heap rows it claimed, and whether any queue had work.
 */
export async function runOtherQueues(
  workerId: string,
  opts: WorkerOptions,
  report: (error: unknown) => void = opts.onError ?? console.error,
): Promise<{ claimed: number; busy: boolean }> {
  const count = (work: Promise<number>) =>
    work.catch((error: unknown) => {
      report(error);
      return 0;
    });
  const audienceRows = await count(runAudienceSyncOnce(workerId, { ...opts, leaseMs: opts.audienceLeaseMs }));
  const recomputed = await count(
    recomputeDueProfiles({ now: opts.now?.(), limit: Math.min(opts.batchSize, RECOMPUTE_BATCH) }),
  );
  const heapRows = await count(processHeapSyncs(workerId, opts));
  const deletions = await count(runDueDeletions({ now: opts.now, fetchImpl: opts.fetchImpl, limit: 2 }));
  if (Date.now() >= rollupDueAt) {
    rollupDueAt = Date.now() + ROLLUP_EVERY_MS;
    await aggregateRollups().catch(report);
  }
  if (Date.now() >= alertsDueAt) {
    alertsDueAt = Date.now() + ALERTS_EVERY_MS;
    await evaluateDueAlerts({ now: opts.now?.(), report }).catch(report);
  }
  if (Date.now() >= retentionDueAt) {
    retentionDueAt = Date.now() + RETENTION_EVERY_MS;
    const run = await runRetention({ now: opts.now?.(), budgetMs: opts.retentionBudgetMs }).catch((error: unknown) => {
      report(error);
      return null;
    });
    const postponed = noticePostponed(run);
    if (postponed) console.warn(postponed);
  }
  const notifications = await count(sendDueNotifications(workerId, { now: opts.now?.(), fetchImpl: opts.fetchImpl }));
  if (Date.now() >= upkeepDueAt) {
    upkeepDueAt = Date.now() + UPKEEP_EVERY_MS;
    await keepTablesUp(database().raw, database().mode).catch(report);
  }
  return {
    claimed: audienceRows + heapRows,
    busy: audienceRows + recomputed + heapRows + deletions + notifications > 0,
  };
}
