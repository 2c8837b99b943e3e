// The outbox worker: claims due deliveries (leased, SKIP LOCKED), delivers them, repeats.
// Runs inside the server in embedded mode and, with PostgreSQL, also as `npm run worker`
// processes; any number of them share the queue.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { database } from "@/lib/db";
import { claimDue } from "@/lib/delivery/engine/claim";
import { deliverClaimed, timed, type DeliverOptions } from "@/lib/delivery/engine/deliver";
import { runAudienceSyncOnce } from "@/lib/audiences/sync/deliver";
import { processHeapSyncs } from "@/lib/traits/heap-outbox";
import { recomputeDueProfiles } from "@/lib/traits/recompute";

export interface WorkerOptions extends DeliverOptions {
  batchSize?: number;
  leaseMs?: number;
  idleMs?: number;
  onError?: (error: unknown) => void;
}

export interface RunningWorker {
  id: string;
  /** Resolves when the current batch has been recorded. */
  stop(): Promise<void>;
  /** Claims and delivers until nothing is due (tests and benchmarks). */
  drain(): Promise<number>;
}

/**
 * One pass: claim up to batchSize due deliveries and deliver them, then the audience outbox,
 * recompute dirty profiles' computed traits and send changed traits to Heap. Returns how many
 * outbox rows it claimed.
 */
export async function runOnce(workerId: string, opts: WorkerOptions): Promise<number> {
  const claimed = await timed(opts, "claim", () => claimDue(database().raw, workerId, opts.batchSize ?? 500, opts.leaseMs ?? 60_000, opts.now?.()));
  await deliverClaimed(claimed, opts);
  const audienceRows = await runAudienceSyncOnce(workerId, opts);
  await recomputeDueProfiles({ now: opts.now?.(), limit: Math.min(opts.batchSize ?? 200, 200) }).catch(opts.onError ?? console.error);
  return claimed.length + audienceRows + (await processHeapSyncs(workerId, opts));
}

export function startWorker(opts: WorkerOptions): RunningWorker {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  let stopped = false;
  let wake: (() => void) | null = null;
  let current: Promise<unknown> = Promise.resolve();

  const loop = async () => {
    while (!stopped) {
      let claimed = 0;
      current = runOnce(id, opts).then(
        (n) => (claimed = n),
        (error: unknown) => (opts.onError ?? console.error)(error),
      );
      await current;
      if (claimed === 0 && !stopped) await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, opts.idleMs ?? 1_000)));
    }
  };
  void loop();

  return {
    id,
    stop: async () => {
      stopped = true;
      wake?.();
      await current;
    },
    drain: async () => {
      let total = 0;
      for (;;) {
        const n = await runOnce(id, opts);
        total += n;
        if (n === 0) return total;
      }
    },
  };
}
