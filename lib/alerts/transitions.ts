// One rule's findings against its stored alerts: a new or resolved subject found again fires, a
// firing subject no longer found resolves, a firing one past its reminder interval is reminded.
// Each change is a conditional update, so when two evaluators race only one records the
// transition and notifies; every transition is kept in the history with what each channel said.
import type { SendOptions } from "@/lib/alerts/channels/types";
import { alertNotification, broadcast, type TransitionKind } from "@/lib/alerts/notify";
import type { Finding } from "@/lib/alerts/rules/types";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

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

/** Records the transition and, unless the alert is muted or snoozed, notifies every channel. */
async function transition(kind: TransitionKind, alert: AlertRow, rule: RuleRow, now: Date, opts: SendOptions) {
  const quiet = alert.muted ? "muted" : alert.snoozedUntil && alert.snoozedUntil > now ? "snoozed" : null;
  const deliveries = quiet
    ? []
    : await broadcast(rule.workspaceId, alertNotification(kind, { ...alert, rule }), { ...opts, now });
  if (!quiet) await db().alert.update({ where: { id: alert.id }, data: { lastNotifiedAt: now } });
  await db().alertEvent.create({
    data: {
      workspaceId: rule.workspaceId,
      alertId: alert.id,
      kind,
      message: quiet ? `${alert.title} (not sent: ${quiet})` : alert.title,
      deliveries: asJson(deliveries),
      createdAt: now,
    },
  });
}

async function fire(rule: RuleRow, f: Finding, existing: AlertRow | undefined, now: Date): Promise<AlertRow | null> {
  const content = { title: f.title, message: f.message, details: asJson(f.details) };
  if (!existing) {
    try {
      return await db().alert.create({
        data: {
          workspaceId: rule.workspaceId,
          ruleId: rule.id,
          subjectKey: f.subjectKey,
          state: "firing",
          firedAt: now,
          ...content,
        },
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null; // another evaluator created it a moment ago
      throw error;
    }
  }
  const { count } = await db().alert.updateMany({
    where: { id: existing.id, state: "resolved" },
    data: { state: "firing", firedAt: now, resolvedAt: null, ...content },
  });
  return count === 1 ? db().alert.findUnique({ where: { id: existing.id } }) : null;
}

export async function applyFindings(
  rule: RuleRow,
  findings: Finding[],
  now: Date,
  opts: SendOptions = {},
): Promise<ApplyResult> {
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
      // A due reminder claims itself by moving lastNotifiedAt: a racing evaluator's update then matches nothing.
      const { count } = await db().alert.updateMany({
        where: { id: existing.id, state: "firing", lastNotifiedAt: existing.lastNotifiedAt },
        data: due ? { ...content, lastNotifiedAt: now } : content,
      });
      if (due && count === 1) {
        await transition(
          "reminder",
          { ...existing, title: f.title, message: f.message, details: f.details as Prisma.JsonValue },
          rule,
          now,
          opts,
        );
        result.reminded++;
      }
      continue;
    }
    const fired = await fire(rule, f, existing, now);
    if (fired) {
      await transition("fired", fired, rule, now, opts);
      result.fired++;
    }
  }
  const found = new Set(keys);
  for (const a of stored) {
    if (a.state !== "firing" || found.has(a.subjectKey)) continue;
    const { count } = await db().alert.updateMany({
      where: { id: a.id, state: "firing" },
      data: { state: "resolved", resolvedAt: now },
    });
    if (count === 1) {
      await transition("resolved", { ...a, state: "resolved", resolvedAt: now }, rule, now, opts);
      result.resolved++;
    }
  }
  return result;
}
