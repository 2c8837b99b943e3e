// The alert notification outbox, sent by the worker: due AlertNotification rows are leased (SKIP
// LOCKED, so replicas never send one twice at once), each sent to its channel as the channel is
// configured now, then marked sent, or retried with the delivery engine's backoff until the
// attempts run out and it is marked failed with the channel's last answer.
import { type StoredChannel, sendToChannel } from "@/lib/alerts/channels";
import type { Notification, SendOptions } from "@/lib/alerts/channels/types";
import { database, db } from "@/lib/db";
import { nextStep, type RetryPolicy } from "@/lib/delivery/engine/policy";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Six tries over about a quarter of an hour (30 s, 1, 2, 4, 8 min apart, jittered), then failed. */
export const NOTIFICATION_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
  maxAgeMs: 24 * 60 * 60_000,
};

/** Longer than one send can take (10 s timeout per channel): a killed worker's rows come back after it. */
const LEASE_MS = 60_000;
const BATCH = 20;

export interface NotificationSendOptions extends SendOptions {
  /** Only this workspace's rows (tests; the worker sends every workspace's). */
  workspaceId?: string;
  limit?: number;
  policy?: RetryPolicy;
}

interface Claimed {
  id: string;
  channelId: string | null;
  message: Notification;
  attempts: number;
  /** Milliseconds since the epoch (the column is a UTC timestamp without zone). */
  createdMs: number;
}

function claimDue(workerId: string, now: Date, limit: number, workspaceId?: string): Promise<Claimed[]> {
  return database().raw.query<Claimed>(
    `UPDATE "AlertNotification" n SET "leaseUntil" = $1::timestamp, "leasedBy" = $2
     WHERE n."id" = ANY(ARRAY(SELECT "id" FROM "AlertNotification"
           WHERE "status" IN ('pending', 'retrying') AND "nextAttemptAt" <= $3::timestamp
             AND ("leaseUntil" IS NULL OR "leaseUntil" < $3::timestamp) AND ($5::text IS NULL OR "workspaceId" = $5)
           ORDER BY "nextAttemptAt" LIMIT $4 FOR UPDATE SKIP LOCKED))
     RETURNING n."id", n."channelId", n."message", n."attempts",
       (extract(epoch FROM n."createdAt") * 1000)::float8 AS "createdMs"`,
    [new Date(now.getTime() + LEASE_MS).toISOString(), workerId, now.toISOString(), limit, workspaceId ?? null],
  );
}

const released = { leaseUntil: null, leasedBy: null };

/** Sends one row and records the outcome; the lease is released either way. */
async function sendOne(
  row: Claimed,
  channel: (StoredChannel & { enabled: boolean }) | undefined,
  opts: NotificationSendOptions,
  now: Date,
) {
  const update = (data: Prisma.AlertNotificationUpdateInput) =>
    db().alertNotification.update({ where: { id: row.id }, data: { ...data, ...released } });
  if (!channel?.enabled) {
    const reason = channel ? "the channel was turned off" : "the channel was deleted";
    await update({ status: "failed", lastError: `not sent: ${reason}` });
    return;
  }
  const result = await sendToChannel(channel, row.message, { ...opts, now });
  const attempts = row.attempts + 1;
  if (result.ok) {
    await update({ status: "sent", attempts, sentAt: now, lastError: null });
    return;
  }
  const error = result.error ?? "unknown error";
  const policy = opts.policy ?? NOTIFICATION_POLICY;
  const created = new Date(Number(row.createdMs));
  const step = nextStep({ attempts, now, eventAt: created, storedAt: created, policy });
  await update(
    step.kind === "retry"
      ? { status: "retrying", attempts, nextAttemptAt: step.at, lastError: error }
      : { status: "failed", attempts, lastError: `${step.reason}: ${error}` },
  );
}

/** One pass of the outbox. Returns how many notifications it tried to send. */
export async function sendDueNotifications(workerId: string, opts: NotificationSendOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const claimed = await claimDue(workerId, now, opts.limit ?? BATCH, opts.workspaceId);
  if (claimed.length === 0) return 0;
  const ids = [...new Set(claimed.flatMap((c) => (c.channelId ? [c.channelId] : [])))];
  const channels = await db().alertChannel.findMany({
    where: { id: { in: ids } },
    omit: { secretsEncrypted: false },
  });
  const byId = new Map(channels.map((c) => [c.id, c]));
  await Promise.all(claimed.map((row) => sendOne(row, row.channelId ? byId.get(row.channelId) : undefined, opts, now)));
  return claimed.length;
}
