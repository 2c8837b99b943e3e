// What a worker runs with: the real destination modules and base URLs (config base_url, then
// TRACKLAYER_<TYPE>_BASE_URL, then the platform's own) and its settings from the environment
// (lib/env.ts). The one place the worker's defaults live.
import { baseUrlOverride, destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import type { DeliverOptions } from "@/lib/delivery/engine/deliver";
import { retryPolicy } from "@/lib/delivery/engine/policy";
import { workerEnv } from "@/lib/env";

export interface WorkerSettings {
  /** Outbox rows claimed per pass (TRACKLAYER_WORKER_BATCH_SIZE). */
  batchSize: number;
  /** How long a claim is held; a killed worker's rows are claimable again after it (TRACKLAYER_WORKER_LEASE_MS). */
  leaseMs: number;
  /** Audience syncs upload whole member lists: their claims are held longer. */
  audienceLeaseMs: number;
  /** Destinations sent to at once (TRACKLAYER_WORKER_CONCURRENCY). */
  concurrency: number;
  /** How long an idle worker waits before looking for work again. */
  idleMs: number;
  /** While deliveries keep coming, how often the other queues are looked at when last found empty. */
  otherQueuesPollMs: number;
  /**
   * How long a pass waits for a destination still sending before letting it finish in the
   * background: a slow or hanging platform delays its own rows, never the others'.
   */
  patienceMs: number;
  /** How long a retention tick keeps deleting batches (TRACKLAYER_RETENTION_BUDGET_MS; lib/retention/run.ts). */
  retentionBudgetMs: number;
}

export interface WorkerOptions extends DeliverOptions, WorkerSettings {
  /** Unexpected errors (an unreachable database is reported once per outage instead). */
  onError?: (error: unknown) => void;
}

export function workerSettings(): WorkerSettings {
  const settings = workerEnv();
  return {
    batchSize: settings.TRACKLAYER_WORKER_BATCH_SIZE,
    leaseMs: settings.TRACKLAYER_WORKER_LEASE_MS,
    audienceLeaseMs: Math.max(settings.TRACKLAYER_WORKER_LEASE_MS, 5 * 60_000),
    concurrency: settings.TRACKLAYER_WORKER_CONCURRENCY,
    idleMs: 1_000,
    otherQueuesPollMs: 1_000,
    patienceMs: 2_000,
    retentionBudgetMs: settings.TRACKLAYER_RETENTION_BUDGET_MS,
  };
}

export function defaultWorkerOptions(over: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    modules: destinationModules,
    baseUrlFor: (d) => resolveBaseUrl(d.type, baseUrlOverride(d.config)),
    policy: retryPolicy(),
    ...workerSettings(),
    ...over,
  };
}
