// The live feed behind /inspector: one poller per workspace per process reads newly stored events
// from the database (so every app instance, and embedded mode, sees every event whichever
// instance ingested it) and fans them out to that workspace's open streams.

import { db } from "@/lib/db";
import { isDatabaseUnavailable, trackOutages } from "@/lib/db/outage";
import { loadEventLookups } from "@/lib/events/serialize";
import { type LiveRow, liveRowSelect, matches, toLiveRow } from "@/lib/inspector/live-rows";
import { logFailure } from "@/lib/log";
import { processGlobal } from "@/lib/process-global";
import type { InspectorFilter } from "@/lib/validations/inspector";

const POLL_MS = 400;
/** Transactions commit out of receivedAt order: re-read this far back and drop rows already seen. */
const OVERLAP_MS = 3_000;
/** At most this many rows per poll; beyond it the oldest of the burst are skipped (the stream says how many). */
const MAX_ROWS = 500;

export interface Subscriber {
  filter: InspectorFilter;
  send(rows: LiveRow[], skipped: number): void;
}

class WorkspaceFeed {
  readonly subscribers = new Set<Subscriber>();
  private cursor = new Date();
  private seen = new Map<string, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly workspaceId: string,
    private readonly onIdle: () => void,
  ) {}

  /** A database outage is one line and a slower poll, not a stack trace per poll. */
  private readonly outage = trackOutages("inspector live feed");

  add(subscriber: Subscriber) {
    this.subscribers.add(subscriber);
    this.timer ??= setTimeout(() => void this.tick(), POLL_MS);
  }

  remove(subscriber: Subscriber) {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) {
      clearTimeout(this.timer);
      this.onIdle();
    }
  }

  private async tick() {
    let wait = POLL_MS;
    try {
      await this.poll();
      this.outage.succeeded();
    } catch (error) {
      if (isDatabaseUnavailable(error)) wait = Math.max(POLL_MS, this.outage.failed(error));
      else logFailure("inspector.poll", error);
    }
    this.timer = this.subscribers.size ? setTimeout(() => void this.tick(), wait) : undefined;
  }

  private async poll() {
    const since = new Date(this.cursor.getTime() - OVERLAP_MS);
    const records = await db().event.findMany({
      where: { workspaceId: this.workspaceId, receivedAt: { gte: since } },
      select: liveRowSelect,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: MAX_ROWS + 1,
    });
    const fresh = records.filter((r) => !this.seen.has(r.id)).reverse();
    const skipped = Math.max(0, fresh.length - MAX_ROWS);
    const now = Date.now();
    for (const r of records) this.seen.set(r.id, r.receivedAt.getTime());
    const newest = records[0]?.receivedAt;
    if (newest && newest > this.cursor) this.cursor = newest;
    for (const [id, at] of this.seen)
      if (at < this.cursor.getTime() - OVERLAP_MS * 2 || at > now + 60_000) this.seen.delete(id);
    if (!fresh.length) return;
    const lookups = await loadEventLookups(this.workspaceId);
    const rows = fresh.slice(skipped).map((r) => toLiveRow(r, lookups));
    for (const s of this.subscribers) {
      const mine = rows.filter((row) => matches(row, s.filter));
      if (mine.length || skipped) s.send(mine, skipped);
    }
  }
}

const feeds = processGlobal("__tlInspectorFeeds", () => new Map<string, WorkspaceFeed>());

/** Subscribes to a workspace's newly stored events; returns the unsubscribe function. */
export function subscribe(workspaceId: string, subscriber: Subscriber): () => void {
  let feed = feeds.get(workspaceId);
  if (!feed) {
    feed = new WorkspaceFeed(workspaceId, () => feeds.delete(workspaceId));
    feeds.set(workspaceId, feed);
  }
  feed.add(subscriber);
  const current = feed;
  return () => current.remove(subscriber);
}
