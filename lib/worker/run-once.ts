// One pass of every queue, for tests, benchmarks and `drain()`: claim up to a batch of due
// deliveries and deliver them, then the other queues.
import { database } from "@/lib/db";
import { claimDue } from "@/lib/delivery/engine/claim";
import { deliverClaimed, timed } from "@/lib/delivery/engine/deliver";
import type { WorkerOptions } from "@/lib/worker/options";
import { runOtherQueues } from "@/lib/worker/other-queues";

/** Claims up to a batch of due deliveries (skipping destinations still busy), timed as "claim". */
export function claimBatch(workerId: string, opts: WorkerOptions, skipDestinations: string[] = []) {
  return timed(opts, "claim", () =>
    claimDue(database(), workerId, opts.batchSize, opts.leaseMs, opts.now?.(), skipDestinations),
  );
}

/** Returns how many rows it claimed (outbox, audience and Heap). */
export async function runOnce(workerId: string, opts: WorkerOptions): Promise<number> {
  const claimed = await claimBatch(workerId, opts);
  await deliverClaimed(claimed, opts);
  return claimed.length + (await runOtherQueues(workerId, opts)).claimed;
}
