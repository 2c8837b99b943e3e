// Group commit: calls arriving while a transaction is in flight wait and are written
// together in the next one, so N concurrent requests cost one commit, not N. An idle
// server writes a lone call within the same turn of the event loop; each caller gets its own answer.

import { database } from "@/lib/db";
import type { Call, CallResult } from "@/lib/ingest/calls";
import { idKey } from "@/lib/ingest/identity";
import { storeCalls } from "@/lib/ingest/store-calls";
import { applySuppressions, mergeAnswers } from "@/lib/privacy/suppress-calls";

const MAX_CALLS_PER_COMMIT = 1_000;

interface Waiting {
  calls: Call[];
  /** (workspace, event_id) of its events: a repeat must not share the database with its original. */
  keys: string[];
  resolve: (results: CallResult[]) => void;
  reject: (error: unknown) => void;
}

const eventKeys = (calls: Call[]) =>
  calls.flatMap((c) => (c.kind === "event" ? [idKey(c.workspaceId, c.eventId)] : []));

class GroupCommitter {
  private queue: Waiting[] = [];
  private inFlight = 0;
  private pumpScheduled = false;
  /** event keys of the commits in flight, with how many calls carry each. */
  private inFlightKeys = new Map<string, number>();

  constructor(private readonly maxInFlight: number) {}

  get idle(): boolean {
    return this.inFlight === 0 && this.queue.length === 0;
  }

  submit(calls: Call[]): Promise<CallResult[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ calls, keys: eventKeys(calls), resolve, reject });
      this.schedulePump();
    });
  }

  /**
   * Starts commits once the requests read in this turn of the event loop have all been queued
   * (setImmediate runs right after I/O): requests that arrive together share one commit, where
   * starting on the first would send it alone and make the rest wait for the next.
   */
  private schedulePump() {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /**
   * Starts commits while slots are free. A call repeating an event_id whose commit is still in
   * flight waits for that commit (then it is a plain duplicate) instead of joining a concurrent
   * one, whose statement would wait on the original's row lock, holding up its whole group.
   */
  private pump() {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group: Waiting[] = [];
      const held: Waiting[] = [];
      let size = 0;
      while (
        this.queue.length > 0 &&
        (group.length === 0 || size + this.queue[0]!.calls.length <= MAX_CALLS_PER_COMMIT)
      ) {
        const next = this.queue.shift()!;
        if (next.keys.some((k) => this.inFlightKeys.has(k))) {
          held.push(next);
          continue;
        }
        group.push(next);
        size += next.calls.length;
      }
      this.queue.unshift(...held);
      if (group.length === 0) return;
      const keys = group.flatMap((w) => w.keys);
      for (const k of keys) this.inFlightKeys.set(k, (this.inFlightKeys.get(k) ?? 0) + 1);
      this.inFlight++;
      void this.commit(group).finally(() => {
        for (const k of keys) {
          const left = this.inFlightKeys.get(k)! - 1;
          if (left) this.inFlightKeys.set(k, left);
          else this.inFlightKeys.delete(k);
        }
        this.inFlight--;
        this.pump();
      });
    }
  }

  private async commit(group: Waiting[]) {
    try {
      const results = await storeCalls(group.flatMap((w) => w.calls));
      let offset = 0;
      for (const w of group) {
        w.resolve(results.slice(offset, offset + w.calls.length));
        offset += w.calls.length;
      }
    } catch (error) {
      if (group.length > 1) {
        // One bad call must not fail its neighbours: retry each caller on its own.
        await Promise.all(group.map((w) => storeCalls(w.calls).then(w.resolve, w.reject)));
      } else {
        group[0]!.reject(error);
      }
    }
  }
}

const holder = globalThis as unknown as { __tracklayerCommitter?: GroupCommitter };

/**
 * Stores calls durably, batched with whatever else is arriving; resolves after COMMIT. Calls of
 * suppressed people are stored without personal data, or (identify) only answered.
 */
export async function commitCalls(calls: Call[]): Promise<CallResult[]> {
  // PGlite runs one transaction at a time; PostgreSQL gets a few in parallel.
  holder.__tracklayerCommitter ??= new GroupCommitter(database().mode === "embedded" ? 1 : 4);
  const split = await applySuppressions(calls);
  if (split.dropped.size === 0) return holder.__tracklayerCommitter.submit(split.calls);
  const stored = split.calls.length ? await holder.__tracklayerCommitter.submit(split.calls) : [];
  return mergeAnswers(calls.length, split, stored);
}

/** Waits (bounded) until no commit is queued or running: shutdown answers what it accepted. */
export async function drainCommits(timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (holder.__tracklayerCommitter && !holder.__tracklayerCommitter.idle && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
