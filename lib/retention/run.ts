// The retention job (the worker runs it every minute): under a session advisory lock, so one replica
// at a time does it, it keeps the month partitions (partitions.ts: event months past the longest events
// retention of any workspace, payload months past the longest payload retention) and expires what a
// workspace keeps shorter in bounded batches (expire.ts). `now` is injectable so tests control the clock.
import { database } from "@/lib/db";
import type { DbHandle } from "@/lib/db/connection";
import { daysBefore, type Expired, expireWorkspace } from "@/lib/retention/expire";
import { keepPartitions, monthsBefore, type PartitionChanges } from "@/lib/retention/partitions";
import { type RetentionColumns, retentionOf } from "@/lib/retention/settings";

const LOCK_ID = 727_274_018;
export const RETENTION_BATCH = 5_000;
const DEFAULT_EVENTS_MONTHS = 13;
const DEFAULT_PAYLOADS_DAYS = 90;

export interface RetentionRun extends PartitionChanges {
  /** The longest events retention of any workspace: months wholly older are dropped. */
  longestMonths: number;
  /** The longest payload retention of any workspace: payload months that ended before it are dropped. */
  longestPayloadsDays: number;
  expired: Record<string, Expired>;
}

export async function runRetention({
  now = new Date(),
  batch = RETENTION_BATCH,
  handle = database(),
}: {
  now?: Date;
  batch?: number;
  handle?: Pick<DbHandle, "session">;
} = {}): Promise<RetentionRun | null> {
  return handle.session(async (raw) => {
    const [lock] = await raw.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [LOCK_ID]);
    if (!lock?.locked) return null;
    try {
      const workspaces = await raw.query<RetentionColumns & { id: string }>(
        `SELECT "id", "retentionEventsMonths", "retentionPayloadsDays", "retentionDeliveryLogsDays",
                "retentionViolationSamplesDays", "retentionDeadLettersDays", "retentionAuditLogDays" FROM "Workspace"`,
      );
      const longestMonths = workspaces.length
        ? Math.max(...workspaces.map((w) => w.retentionEventsMonths))
        : DEFAULT_EVENTS_MONTHS;
      const longestPayloadsDays = workspaces.length
        ? Math.max(...workspaces.map((w) => w.retentionPayloadsDays))
        : DEFAULT_PAYLOADS_DAYS;
      const changes = await keepPartitions(raw, now, {
        events: monthsBefore(now, longestMonths),
        payloads: daysBefore(now, longestPayloadsDays),
      });
      const longest = { eventsMonths: longestMonths, payloadsDays: longestPayloadsDays };
      const expired: Record<string, Expired> = {};
      for (const w of workspaces) expired[w.id] = await expireWorkspace(raw, w.id, retentionOf(w), now, longest, batch);
      return { ...changes, longestMonths, longestPayloadsDays, expired };
    } finally {
      await raw.query("SELECT pg_advisory_unlock($1)", [LOCK_ID]);
    }
  });
}
