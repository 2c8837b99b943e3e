// One rule's findings against its stored alerts: a new or resolved subject found again fires, a
// firing subject no longer found resolves, a firing one past its reminder interval is reminded.
// Each change is a conditional update, so when two evaluators race only one records the
// transition. The change, its history entry and one notification row per enabled channel are
// written in ONE transaction; the worker sends the rows (lib/alerts/send-notifications.ts), so a
// channel that is down when the alert fires gets it when it is back.
import { alertNotification, type TransitionKind } from "@/lib/alerts/notify";
import type { Finding } from "@/lib/alerts/rules/types";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tx } from "@/lib/registry/audit";

const HOUR_MS = 3_600_000;

export interface RuleRow {
  id: string;
  workspaceId: string;
  kind: string;
  name: string;
  reminderHours: number;
}

type AlertRow = Prisma.AlertGetPayload<object>;

export interface ApplyResult {
  fired: number;
  resolved: number;
  reminded: number;
}

const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue;

/** In the transition's transaction: its history entry and, unless muted or snoozed, a notification per enabled channel. */
async function recordTransition(tx: Tx, kind: TransitionKind, alert: AlertRow, rule: RuleRow, now: Date) {
  const quiet = alert.muted ? "muted" : alert.snoozedUntil && alert.snoozedUntil > now ? "snoozed" : null;
  const event = await tx.alertEvent.create({
    data: {
      workspaceId: rule.workspaceId,
      alertId: alert.id,
      kind,
      message: quiet ? `${alert.title} (not sent: ${quiet})` : alert.title,
      createdAt: now,
    },
  });
  if (quiet) return;
  const channels = await tx.alertChannel.findMany({
    where: { workspaceId: rule.workspaceId, enabled: true },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const message = asJson(alertNotification(kind, { ...alert, rule }));
  await tx.alertNotification.createMany({
    data: channels.map((c) => ({
      workspaceId: rule.workspaceId,
      alertEventId: event.id,
      channelId: c.id,
      channelName: c.name,
      message,
      nextAttemptAt: now,
      createdAt: now,
    })),
  });
  await tx.alert.update({ where: { id: alert.id }, data: { lastNotifiedAt: now } });
}

/** A new alert, or a resolved one firing again, recorded with its transition; false when another evaluator won. */
async function fire(rule: RuleRow, f: Finding, existing: AlertRow | undefined, now: Date): Promise<boolean> {
  const content = { title: f.title, message: f.message, details: asJson(f.details) };
  try {
    return await db().$transaction(async (tx) => {
      let fired: AlertRow | null;
      if (!existing) {
        fired = await tx.alert.create({
          data: {
            workspaceId: rule.workspaceId,
            ruleId: rule.id,
            subjectKey: f.subjectKey,
            state: "firing",
            firedAt: now,
            ...content,
          },
        });
      } else {
        const { count } = await tx.alert.updateMany({
          where: { id: existing.id, state: "resolved" },
          data: { state: "firing", firedAt: now, resolvedAt: null, ...content },
        });
        fired = count === 1 ? await tx.alert.findUnique({ where: { id: existing.id } }) : null;
      }
      if (!fired) return false;
      await recordTransition(tx, "fired", fired, rule, now);
      return true;
    });
  } catch (error) {
    if (isUniqueViolation(error)) return false; // another evaluator created it a moment ago
    throw error;
  }
}

export async function applyFindings(rule: RuleRow, findings: Finding[], now: Date): Promise<ApplyResult> {
  const result: ApplyResult = { fired: 0, resolved: 0, reminded: 0 };
  const keys = findings.map((f) => f.subjectKey);
  const stored = await db().alert.findMany({
    where: { ruleId: rule.id, OR: [{ state: "firing" }, { subjectKey: { in: keys } }] },
  });
  const byKey = new Map(stored.map((a) => [a.subjectKey, a]));
  for (const f of findings) {
    const existing = byKey.get(f.subjectKey);
    if (existing?.state === "firing") {
      const quiet = existing.muted || (existing.snoozedUntil !== null && existing.snoozedUntil > now);
      const due =
        !quiet &&
        rule.reminderHours > 0 &&
        now.getTime() - (existing.lastNotifiedAt ?? existing.firedAt).getTime() >= rule.reminderHours * HOUR_MS;
      const content = { title: f.title, message: f.message, details: asJson(f.details) };
      if (!due) {
        await db().alert.updateMany({ where: { id: existing.id, state: "firing" }, data: content });
        continue;
      }
      // A due reminder claims itself by moving lastNotifiedAt: a racing evaluator's update then matches nothing.
      const reminded = await db().$transaction(async (tx) => {
        const { count } = await tx.alert.updateMany({
          where: { id: existing.id, state: "firing", lastNotifiedAt: existing.lastNotifiedAt },
          data: { ...content, lastNotifiedAt: now },
        });
        if (count !== 1) return false;
        const current = { ...existing, title: f.title, message: f.message, details: f.details as Prisma.JsonValue };
        await recordTransition(tx, "reminder", current, rule, now);
        return true;
      });
      if (reminded) result.reminded++;
      continue;
    }
    if (await fire(rule, f, existing, now)) result.fired++;
  }
  const found = new Set(keys);
  for (const a of stored) {
    if (a.state !== "firing" || found.has(a.subjectKey)) continue;
    const resolved = await db().$transaction(async (tx) => {
      const { count } = await tx.alert.updateMany({
        where: { id: a.id, state: "firing" },
        data: { state: "resolved", resolvedAt: now },
      });
      if (count !== 1) return false;
      await recordTransition(tx, "resolved", { ...a, state: "resolved", resolvedAt: now }, rule, now);
      return true;
    });
    if (resolved) result.resolved++;
  }
  return result;
}
