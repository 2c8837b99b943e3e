// Alerts as people read and quiet them: those firing now (or all), the history of transitions
// (keyset pages, newest first), snooze for some hours and mute until unmuted — both recorded in
// the history and the audit log. Quieting stops notifications, never the evaluation. Snoozing
// (alert.snooze) is open to more roles than muting (alert.manage): it ends by itself.
import { ensureDefaultRules } from "@/lib/alerts/defaults";
import { type Actor, assertCan } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/registry/audit";

const HOUR_MS = 3_600_000;
const ruleSelect = { rule: { select: { id: true, kind: true, name: true } } } as const;
type AlertWithRule = Prisma.AlertGetPayload<{ include: typeof ruleSelect }>;

export function serializeAlert(a: AlertWithRule, now = new Date()) {
  return {
    id: a.id,
    rule_id: a.rule.id,
    rule: a.rule.name,
    kind: a.rule.kind,
    state: a.state,
    title: a.title,
    message: a.message,
    details: a.details as Record<string, unknown>,
    fired_at: a.firedAt.toISOString(),
    resolved_at: a.resolvedAt?.toISOString() ?? null,
    last_notified_at: a.lastNotifiedAt?.toISOString() ?? null,
    snoozed_until: a.snoozedUntil && a.snoozedUntil > now ? a.snoozedUntil.toISOString() : null,
    muted: a.muted,
  };
}
export type AlertView = ReturnType<typeof serializeAlert>;

export async function listAlerts(actor: Actor, query: { state: "firing" | "resolved" | "all" }, limit = 100) {
  await ensureDefaultRules(actor.workspaceId);
  const rows = await db().alert.findMany({
    where: { workspaceId: actor.workspaceId, ...(query.state === "all" ? {} : { state: query.state }) },
    include: ruleSelect,
    orderBy: [{ firedAt: "desc" }, { id: "desc" }],
    take: limit,
  });
  return { rows: rows.map((a) => serializeAlert(a)) };
}

const encodeCursor = (e: { createdAt: Date; id: string }) =>
  Buffer.from(`${e.createdAt.toISOString()}|${e.id}`).toString("base64url");

function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString("utf8").split("|");
  const createdAt = new Date(at ?? "");
  if (!id || Number.isNaN(createdAt.getTime()))
    throw new AppError("invalid_request", "Invalid cursor", [
      { path: "cursor", message: "is not a cursor from this list" },
    ]);
  return { createdAt, id };
}

type NotificationRow = Prisma.AlertNotificationGetPayload<object>;

/** What one channel was told of a transition: pending / retrying (with its last answer), sent, or failed. */
function serializeNotification(n: NotificationRow) {
  return {
    channel: n.channelId,
    name: n.channelName,
    status: n.status as "pending" | "retrying" | "sent" | "failed",
    ok: n.status === "sent",
    attempts: n.attempts,
    error: n.lastError,
    sent_at: n.sentAt?.toISOString() ?? null,
    next_attempt_at: n.status === "pending" || n.status === "retrying" ? n.nextAttemptAt.toISOString() : null,
  };
}
export type NotificationView = ReturnType<typeof serializeNotification>;

/** Transitions recorded before the outbox kept their channels' answers inline: { channel, name, ok, error? }. */
const oldResults = (json: unknown): NotificationView[] =>
  (Array.isArray(json) ? (json as { channel: string; name: string; ok: boolean; error?: string }[]) : []).map((r) => ({
    channel: r.channel,
    name: r.name,
    status: r.ok ? "sent" : "failed",
    ok: r.ok,
    attempts: 1,
    error: r.error ?? null,
    sent_at: null,
    next_attempt_at: null,
  }));

/** Transitions, reminders, snoozes and mutes, newest first; `next_cursor` fetches the next page. */
export async function alertHistory(actor: Actor, query: { per_page: number; cursor?: string; alert_id?: string }) {
  const after = query.cursor ? decodeCursor(query.cursor) : null;
  const rows = await db().alertEvent.findMany({
    where: {
      workspaceId: actor.workspaceId,
      ...(query.alert_id ? { alertId: query.alert_id } : {}),
      ...(after
        ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] }
        : {}),
    },
    include: {
      alert: { select: { title: true, rule: { select: { name: true, kind: true } } } },
      notifications: { orderBy: { channelName: "asc" } },
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: query.per_page + 1,
  });
  const page = rows.slice(0, query.per_page);
  return {
    rows: page.map((e) => ({
      id: e.id,
      alert_id: e.alertId,
      kind: e.kind,
      title: e.alert.title,
      rule: e.alert.rule.name,
      rule_kind: e.alert.rule.kind,
      message: e.message,
      actor: e.actorLabel,
      deliveries: e.notifications.length ? e.notifications.map(serializeNotification) : oldResults(e.deliveries),
      created_at: e.createdAt.toISOString(),
    })),
    next_cursor: rows.length > query.per_page ? encodeCursor(page.at(-1)!) : null,
  };
}

async function quiet(
  actor: Actor,
  id: string,
  data: Prisma.AlertUpdateInput,
  kind: "snoozed" | "muted" | "unmuted",
  summary: string,
  now: Date,
) {
  const permission: Permission = kind === "snoozed" ? "alert.snooze" : "alert.manage";
  assertCan(actor, permission);
  const alert = await db().alert.findFirst({ where: { id, workspaceId: actor.workspaceId }, include: ruleSelect });
  if (!alert) throw notFound("Alert");
  const updated = await db().$transaction(async (tx) => {
    const a = await tx.alert.update({ where: { id: alert.id }, data, include: ruleSelect });
    await tx.alertEvent.create({
      data: {
        workspaceId: actor.workspaceId,
        alertId: a.id,
        kind,
        message: summary,
        actorLabel: actor.label,
        createdAt: now,
      },
    });
    await recordAudit(tx, actor, {
      action: `alert.${kind === "snoozed" ? "snooze" : kind === "muted" ? "mute" : "unmute"}`,
      entityType: "alert",
      entityId: a.id,
      summary: `${summary}: ${a.title}`,
    });
    return a;
  });
  return serializeAlert(updated, now);
}

/** No notifications for `hours` (0 lifts the snooze). */
export function snoozeAlert(actor: Actor, id: string, hours: number, now = new Date()) {
  const until = hours === 0 ? null : new Date(now.getTime() + hours * HOUR_MS);
  return quiet(
    actor,
    id,
    { snoozedUntil: until },
    "snoozed",
    until
      ? `snoozed for ${hours} h (until ${until.toISOString().slice(0, 16).replace("T", " ")} UTC)`
      : "snooze lifted",
    now,
  );
}

/** No notifications until unmuted. */
export function muteAlert(actor: Actor, id: string, muted: boolean, now = new Date()) {
  return quiet(actor, id, { muted }, muted ? "muted" : "unmuted", muted ? "muted" : "unmuted", now);
}
