// The retention job (the worker runs it every minute): under a lease (lib/db/job-lease.ts), so one
// replica at a time does it, it keeps the partitions (partitions.ts: event months past the longest events
// retention of any workspace, payload months past the longest payload retention, delivery-log days
// past the longest delivery-log or dead-letter retention) and expires what a workspace keeps shorter
// in batches within a time budget (expire.ts). `now` and the budget's clock are injectable for tests.
import { database } from "@/lib/db";
import type { DbHandle } from "@/lib/db/connection";
import { releaseLease, takeLease } from "@/lib/db/job-lease";
import { daysBefore, type Expired, expiryTasks, runExpiry } from "@/lib/retention/expire";
import { keepPartitions, monthsBefore, type PartitionChanges } from "@/lib/retention/partitions";
import { type RetentionColumns, retentionOf } from "@/lib/retention/settings";

const LEASE = "retention";
/** Longer than any run (a run that dies holding it only delays the next by this much). */
const LEASE_MS = 15 * 60_000;
export const RETENTION_BATCH = 5_000;
/** How long a tick keeps deleting batches (TRACKLAYER_RETENTION_BUDGET_MS): the worker runs it once a minute. */
export const RETENTION_BUDGET_MS = 10_000;
const DEFAULT_EVENTS_MONTHS = 13;
const DEFAULT_PAYLOADS_DAYS = 90;
const DEFAULT_DELIVERY_LOG_DAYS = 30;

export interface RetentionRun extends PartitionChanges {
  /** The longest events retention of any workspace: months wholly older are dropped. */
  longestMonths: number;
  /** The longest payload retention of any workspace: payload months that ended before it are dropped. */
  longestPayloadsDays: number;
  /** The longest delivery-log or dead-letter retention of any workspace: log days that ended before it are dropped. */
  longestDeliveryLogDays: number;
  expired: Record<string, Expired>;
  /** Expiry tasks the time budget cut short (they go on next tick). */
  unfinished: number;
}

export async function runRetention({
  now = new Date(),
  batch = RETENTION_BATCH,
  budgetMs = RETENTION_BUDGET_MS,
  clock,
  lockTimeoutMs,
  handle = database(),
}: {
  now?: Date;
  /** Rows per statement. */
  batch?: number;
  /** Batches go on while the tick has run less than this (each task gets one batch a tick whatever it is). */
  budgetMs?: number;
  /** Milliseconds, for the budget (performance.now by default). */
  clock?: () => number;
  /** How long a partition change waits for its table's lock before it is postponed (partitions.ts). */
  lockTimeoutMs?: number;
  handle?: Pick<DbHandle, "session">;
} = {}): Promise<RetentionRun | null> {
  return handle.session(async (raw) => {
    if (!(await takeLease(raw, LEASE, LEASE_MS))) return null;
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
      // Dead letters show their attempts as long as they are kept: the log's days outlive both.
      const longestDeliveryLogDays = workspaces.length
        ? Math.max(...workspaces.map((w) => Math.max(w.retentionDeliveryLogsDays, w.retentionDeadLettersDays)))
        : DEFAULT_DELIVERY_LOG_DAYS;
      const changes = await keepPartitions(
        raw,
        now,
        {
          events: monthsBefore(now, longestMonths),
          payloads: daysBefore(now, longestPayloadsDays),
          deliveryLogs: daysBefore(now, longestDeliveryLogDays),
        },
        lockTimeoutMs,
      );
      const longest = {
        eventsMonths: longestMonths,
        payloadsDays: longestPayloadsDays,
        deliveryLogDays: longestDeliveryLogDays,
      };
      const tasks = workspaces.flatMap((w) => expiryTasks(w.id, retentionOf(w), now, longest));
      const { expired, unfinished } = await runExpiry(raw, tasks, { batch, budgetMs, clock });
      return { ...changes, longestMonths, longestPayloadsDays, longestDeliveryLogDays, expired, unfinished };
    } finally {
      await releaseLease(raw, LEASE);
    }
  });
}
