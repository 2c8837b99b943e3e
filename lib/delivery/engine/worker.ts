// The outbox worker: claims due deliveries (leased, SKIP LOCKED), delivers them, repeats; while
// a full batch is being delivered it claims the next one. Destinations are sent to in parallel, and
// one still sending after a short wait finishes in the background: a slow platform delays only its
// own rows. Runs inside the server in embedded mode
// and, with PostgreSQL, also as `npm run worker` processes; any number of them share the queue.

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { runAudienceSyncOnce } from "@/lib/audiences/sync/deliver";
import { database } from "@/lib/db";
import { keepTablesUp } from "@/lib/db/upkeep";
import { type ClaimedDelivery, claimDue, releaseClaims } from "@/lib/delivery/engine/claim";
import { type DeliverOptions, deliverClaimed, timed } from "@/lib/delivery/engine/deliver";
import { processHeapSyncs } from "@/lib/traits/heap-outbox";
import { recomputeDueProfiles } from "@/lib/traits/recompute";

export interface WorkerOptions extends DeliverOptions {
  batchSize?: number;
  leaseMs?: number;
  idleMs?: number;
  /** While deliveries keep coming, how often the other queues are looked at when they were last found empty. */
  otherQueuesPollMs?: number;
  /**
   * How long a pass waits for a destination still sending before letting it finish in the
   * background (default 2 s): a slow or hanging platform delays its own rows, never the others'.
   */
  patienceMs?: number;
  onError?: (error: unknown) => void;
}

export interface RunningWorker {
  id: string;
  /** Resolves when the current batch has been recorded (a batch claimed ahead is released). */
  stop(): Promise<void>;
  /** Claims and delivers until nothing is due (tests and benchmarks). */
  drain(): Promise<number>;
}

function claimBatch(
  workerId: string,
  opts: WorkerOptions,
  skipDestinations: string[] = [],
): Promise<ClaimedDelivery[]> {
  return timed(opts, "claim", () =>
    claimDue(database().raw, workerId, opts.batchSize ?? 500, opts.leaseMs ?? 60_000, opts.now?.(), skipDestinations),
  );
}

const UPKEEP_EVERY_MS = 10_000;
let upkeepDueAt = 0;

/**
 * The queues beside the event outbox: the audience outbox, dirty profiles' computed traits and
 * changed traits for Heap; then, every 10 s, table upkeep (lib/db/upkeep.ts). Returns how many
 * audience and Heap rows it claimed, and whether any of them had work.
 */
async function runOtherQueues(workerId: string, opts: WorkerOptions): Promise<{ claimed: number; busy: boolean }> {
  const audienceRows = await runAudienceSyncOnce(workerId, opts);
  const recomputed = await recomputeDueProfiles({
    now: opts.now?.(),
    limit: Math.min(opts.batchSize ?? 200, 200),
  }).catch((error: unknown) => {
    (opts.onError ?? console.error)(error);
    return 0;
  });
  const heapRows = await processHeapSyncs(workerId, opts);
  if (Date.now() >= upkeepDueAt) {
    upkeepDueAt = Date.now() + UPKEEP_EVERY_MS;
    await keepTablesUp(database().raw, database().mode).catch(opts.onError ?? console.error);
  }
  return { claimed: audienceRows + heapRows, busy: audienceRows + recomputed + heapRows > 0 };
}

/**
 * One pass: claim up to batchSize due deliveries and deliver them, then the other queues.
 * Returns how many outbox rows it claimed.
 */
export async function runOnce(workerId: string, opts: WorkerOptions): Promise<number> {
  const claimed = await claimBatch(workerId, opts);
  await deliverClaimed(claimed, opts);
  return claimed.length + (await runOtherQueues(workerId, opts)).claimed;
}

/** Claimed outbox rows and when (performance.now()) they were claimed. */
type Batch = { rows: ClaimedDelivery[]; at: number };

export function startWorker(opts: WorkerOptions): RunningWorker {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const onError = opts.onError ?? console.error;
  const leaseMs = opts.leaseMs ?? 60_000;
  let stopped = false;
  let wake: (() => void) | null = null;
  /** When the other queues are next looked at while deliveries keep the worker busy (0: every pass). */
  let othersDueAt = 0;
  let othersRunning: Promise<void> | null = null;
  /** The other queues' last run found work: run them again without waiting. */
  let othersBusy = false;
  /** Destinations still sending when a pass stopped waiting for them: not claimed until they finish. */
  const slow = new Map<string, Promise<void>>();

  const claim = async (): Promise<Batch> => {
    const at = performance.now(); // the lease runs from the claim
    return { rows: await claimBatch(id, opts, [...slow.keys()]), at };
  };
  const release = (rows: ClaimedDelivery[]) =>
    releaseClaims(
      database().raw,
      id,
      rows.map((c) => c.id),
    );
  /** The batch claimed ahead while at most half its lease has passed; else a fresh claim (a stale batch is given back first). */
  const nextBatch = async (ahead: Batch | null): Promise<Batch> => {
    if (ahead && performance.now() - ahead.at < leaseMs / 2) return ahead;
    if (ahead) await release(ahead.rows);
    return claim();
  };

  /**
   * Delivers the rows destination by destination, in parallel, waiting for them at most
   * patienceMs; a destination still sending then finishes in the background. Rows claimed for a
   * destination that is still busy from an earlier pass are given back, and so are rows whose
   * request would start after half their lease (they are claimed afresh).
   */
  const deliver = async ({ rows, at }: Batch) => {
    const sendOpts: WorkerOptions = {
      ...opts,
      deadline: { at: at + leaseMs / 2, giveBack: (ids) => releaseClaims(database().raw, id, ids) },
    };
    const busy = rows.filter((r) => slow.has(r.destinationId));
    if (busy.length) await release(busy);
    const groups = new Map<string, ClaimedDelivery[]>();
    for (const row of rows) {
      if (slow.has(row.destinationId)) continue;
      const group = groups.get(row.destinationId) ?? [];
      group.push(row);
      groups.set(row.destinationId, group);
    }
    const sending = new Map(
      [...groups].map(([destinationId, group]) => [
        destinationId,
        deliverClaimed(group, sendOpts)
          .catch(onError)
          .finally(() => {
            sending.delete(destinationId);
            slow.delete(destinationId);
            wake?.();
          }),
      ]),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(sending.values()),
      new Promise((resolve) => (timer = setTimeout(resolve, opts.patienceMs ?? 2_000))),
    ]);
    clearTimeout(timer);
    for (const [destinationId, task] of sending) slow.set(destinationId, task);
  };

  /** The other queues run beside deliveries, one pass at a time: a slow audience platform holds up neither. */
  const startOtherQueues = () => {
    othersRunning = runOtherQueues(id, opts)
      .then(
        (others) => {
          othersBusy = others.busy;
          othersDueAt = others.busy ? 0 : Date.now() + (opts.otherQueuesPollMs ?? 1_000);
          if (others.busy) wake?.();
        },
        (error: unknown) => {
          onError(error);
          othersBusy = false;
          othersDueAt = Date.now() + (opts.otherQueuesPollMs ?? 1_000);
        },
      )
      .finally(() => (othersRunning = null));
  };

  /**
   * One pass of the loop: delivers the batch while the next one is claimed (a full batch suggests
   * more is due), and starts the other queues when they had work, the outbox had none or they were
   * last looked at a while ago. Returns the batch claimed ahead, if any, and whether there was work.
   */
  const pass = async (batch: Batch): Promise<{ ahead: Batch | null; busy: boolean }> => {
    const next = batch.rows.length === (opts.batchSize ?? 500) ? claim() : Promise.resolve(null);
    const [delivered, claimedAhead] = await Promise.allSettled([deliver(batch), next]);
    for (const failed of [delivered, claimedAhead]) if (failed.status === "rejected") onError(failed.reason);
    const ahead = claimedAhead.status === "fulfilled" && claimedAhead.value?.rows.length ? claimedAhead.value : null;
    if (!othersRunning && (batch.rows.length === 0 || Date.now() >= othersDueAt)) startOtherQueues();
    return { ahead, busy: batch.rows.length > 0 || ahead !== null || (othersBusy && !othersRunning) };
  };

  const loop = async () => {
    let ahead: Batch | null = null;
    while (!stopped) {
      const result: Awaited<ReturnType<typeof pass>> = await nextBatch(ahead)
        .then(pass)
        .catch((error: unknown) => (onError(error), { ahead: null, busy: false }));
      ahead = result.ahead;
      if (!result.busy && !stopped)
        await new Promise<void>((resolve) => ((wake = resolve), setTimeout(resolve, opts.idleMs ?? 1_000)));
    }
    if (ahead) await release(ahead.rows).catch(onError);
    await Promise.all([...slow.values(), othersRunning]);
  };
  const running = loop();

  return {
    id,
    stop: async () => {
      stopped = true;
      wake?.();
      await running;
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
