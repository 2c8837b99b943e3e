// The worker loop: claims due deliveries (leased, SKIP LOCKED), delivers them, repeats; while a
// full batch is being delivered it claims the next one, and while the next batch is sent the
// outcomes of the last one are still being written (its rows stay leased until they are).
// Destinations are sent to in parallel (up to `concurrency` at once), and one still sending after
// a short wait finishes in the background: a slow platform delays only its own rows. The other
// queues (audiences, computed traits, Heap, upkeep) run beside it. Runs inside the server in
// embedded mode and, with PostgreSQL, also as `npm run worker` processes; any number of them
// share the queues.
//
// An unreachable database (restart, failover) is one line when it starts and one when it ends,
// with a backoff in between; the loop itself never dies of an error.

import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import pLimit from "p-limit";
import { database } from "@/lib/db";
import { isDatabaseUnavailable, trackOutages } from "@/lib/db/outage";
import { type ClaimedDelivery, releaseClaims } from "@/lib/delivery/engine/claim";
import { deliverClaimed } from "@/lib/delivery/engine/deliver";
import type { WorkerOptions } from "@/lib/worker/options";
import { runOtherQueues } from "@/lib/worker/other-queues";
import { claimBatch, runOnce } from "@/lib/worker/run-once";

export interface RunningWorker {
  id: string;
  /**
   * Stops claiming, gives back at once every claimed row whose request has not started, waits for
   * the requests in flight to be recorded, then resolves.
   */
  stop(): Promise<void>;
  /** Claims and delivers until nothing is due (tests and benchmarks). */
  drain(): Promise<number>;
}

/** Claimed outbox rows and when (on the worker's lease clock, ms) they were claimed. */
type Batch = { rows: ClaimedDelivery[]; at: number };

/** Rows grouped by destination, in claim order. */
function byDestination(rows: ClaimedDelivery[]): Map<string, ClaimedDelivery[]> {
  const groups = new Map<string, ClaimedDelivery[]>();
  for (const row of rows) {
    const group = groups.get(row.destinationId);
    if (group) group.push(row);
    else groups.set(row.destinationId, [row]);
  }
  return groups;
}

export function startWorker(opts: WorkerOptions): RunningWorker {
  const id = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const outage = trackOutages(`worker ${id}`);
  /** Database outages go to the outage tracker (one line each), everything else to onError. */
  let databaseFailures = 0;
  const report = (error: unknown) => {
    if (!isDatabaseUnavailable(error)) return (opts.onError ?? console.error)(error);
    databaseFailures += 1;
    outage.failed(error);
  };
  const limit = pLimit(opts.concurrency);
  let stopped = false;
  let wake: (() => void) | null = null;
  /** When the other queues are next looked at while deliveries keep the worker busy (0: every pass). */
  let othersDueAt = 0;
  let othersRunning: Promise<void> | null = null;
  /** The other queues' last run found work: run them again without waiting. */
  let othersBusy = false;
  /** Destinations still sending when a pass stopped waiting for them: not claimed until they finish. */
  const slow = new Map<string, Promise<void>>();
  /** Outcomes still being written while the next batch is sent; a pass waits for the previous pass's. */
  let recording: Promise<void>[] = [];
  const recordInBackground = (written: Promise<void>) => recording.push(written.catch(report));

  // The lease is reckoned on the clock the claim wrote it with: the options' `now` when given (tests
  // move it instead of sleeping), else a monotonic clock (a wall-clock jump moves no deadline).
  const leaseClock = () => (opts.now ? opts.now().getTime() : performance.now());
  const claim = async (): Promise<Batch> => {
    const at = leaseClock(); // the lease runs from the claim
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
    if (ahead && leaseClock() - ahead.at < opts.leaseMs / 2) return ahead;
    if (ahead) await release(ahead.rows);
    return claim();
  };

  /**
   * Delivers the rows destination by destination, `concurrency` at a time, waiting for them at
   * most patienceMs; a destination still sending then finishes in the background. Rows claimed for
   * a destination still busy from an earlier pass are given back, and so are rows whose request
   * would start after half their lease or once the worker is stopping (they are due again at once).
   */
  const deliver = async ({ rows, at }: Batch) => {
    const deadline = {
      passed: () => stopped || leaseClock() >= at + opts.leaseMs / 2,
      giveBack: (ids: string[]) => releaseClaims(database().raw, id, ids),
    };
    const busy = rows.filter((r) => slow.has(r.destinationId));
    if (busy.length) await release(busy);
    const groups = byDestination(rows.filter((r) => !slow.has(r.destinationId)));
    const sending = new Map(
      [...groups].map(([destinationId, group]) => [
        destinationId,
        limit(() =>
          deadline.passed()
            ? deadline.giveBack(group.map((r) => r.id))
            : deliverClaimed(group, { ...opts, deadline, recordInBackground }),
        )
          .catch(report)
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
      new Promise((resolve) => {
        timer = setTimeout(resolve, opts.patienceMs);
      }),
    ]);
    clearTimeout(timer);
    for (const [destinationId, task] of sending) slow.set(destinationId, task);
  };

  /** The other queues run beside deliveries, one pass at a time: a slow audience platform holds up neither. */
  const startOtherQueues = () => {
    othersRunning = runOtherQueues(id, opts, report)
      .then(
        (others) => {
          othersBusy = others.busy;
          othersDueAt = others.busy ? 0 : Date.now() + opts.otherQueuesPollMs;
          if (others.busy) wake?.();
        },
        (error: unknown) => {
          report(error);
          othersBusy = false;
          othersDueAt = Date.now() + opts.otherQueuesPollMs;
        },
      )
      .finally(() => {
        othersRunning = null;
      });
  };

  /**
   * One pass of the loop: delivers the batch while the next one is claimed (a full batch suggests
   * more is due), and starts the other queues when they had work, the outbox had none or they were
   * last looked at a while ago. Returns the batch claimed ahead, if any, and whether there was work.
   */
  const pass = async (batch: Batch): Promise<{ ahead: Batch | null; busy: boolean }> => {
    const earlier = recording;
    recording = [];
    const next = batch.rows.length === opts.batchSize ? claim() : Promise.resolve(null);
    const [delivered, claimedAhead] = await Promise.allSettled([deliver(batch), next]);
    await Promise.all(earlier);
    for (const failed of [delivered, claimedAhead]) if (failed.status === "rejected") report(failed.reason);
    const ahead = claimedAhead.status === "fulfilled" && claimedAhead.value?.rows.length ? claimedAhead.value : null;
    if (!othersRunning && (batch.rows.length === 0 || Date.now() >= othersDueAt)) startOtherQueues();
    return { ahead, busy: batch.rows.length > 0 || ahead !== null || (othersBusy && !othersRunning) };
  };

  /** Sleeps ms, or until woken (work finished, or stop()). */
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, ms);
    });

  const loop = async () => {
    let ahead: Batch | null = null;
    while (!stopped) {
      let busy = false;
      const failuresBefore = databaseFailures;
      try {
        const result = await pass(await nextBatch(ahead));
        ahead = result.ahead;
        busy = result.busy;
        if (databaseFailures === failuresBefore) outage.succeeded();
      } catch (error) {
        ahead = null; // its lease lapses; whoever claims next sends it
        if (!isDatabaseUnavailable(error)) {
          report(error);
        } else if (!stopped) {
          databaseFailures += 1;
          await sleep(outage.failed(error));
          continue;
        }
      }
      if (!busy && !stopped) await sleep(opts.idleMs);
    }
    if (ahead) await release(ahead.rows).catch(report);
    await Promise.all([...slow.values(), othersRunning, ...recording]);
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
