// Alert fixtures: rollup rows written straight into EventRollup / the delivery rollups (the rules read
// only those), a webhook channel whose notifications a fake fetch records, and one evaluation at a
// controlled time followed by the worker's pass over the notifications it queued.
import { ensureDefaultRules } from "@/lib/alerts/defaults";
import { evaluateWorkspace } from "@/lib/alerts/evaluate";
import { createAlertChannel } from "@/lib/alerts/manage-channels";
import { sendDueNotifications } from "@/lib/alerts/send-notifications";
import { database, db } from "@/lib/db";
import type { TestWorkspace } from "./helpers";

export const HOUR = 3_600_000;

export async function mappingOf(ws: TestWorkspace, sourceEvent: string) {
  return db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent },
    select: { id: true, sourceId: true, sourceEvent: true },
  });
}

/** Adds `count` events to one hourly rollup row (the hour holding `at`); seen times default to `at`. */
export async function roll(
  ws: TestWorkspace,
  row: {
    at: Date;
    sourceId: string;
    sourceEvent: string;
    mappingId?: string;
    status: string;
    count: number;
    last?: Date;
  },
) {
  await database().raw.query(
    `INSERT INTO "EventRollup" AS r ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status","count","firstSeenAt","lastSeenAt")
     VALUES ($1, date_trunc('hour', $2::timestamp), $3, $4, $5, '', $6, $7, $2::timestamp, $8::timestamp)
     ON CONFLICT ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status") DO UPDATE
     SET "count" = r."count" + EXCLUDED."count", "lastSeenAt" = GREATEST(r."lastSeenAt", EXCLUDED."lastSeenAt")`,
    [
      ws.workspace.id,
      row.at.toISOString(),
      row.sourceId,
      row.sourceEvent,
      row.mappingId ?? "",
      row.status,
      row.count,
      (row.last ?? row.at).toISOString(),
    ],
  );
}

export async function rollDelivery(
  ws: TestWorkspace,
  at: Date,
  destinationId: string,
  outcome: string,
  count: number,
  reason = outcome === "dead" ? "platform_rejected" : "",
) {
  // Both delivery rollups, as the aggregator writes them.
  await database().raw.query(
    `WITH detailed AS (
       INSERT INTO "DeliveryRollup" AS r ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket","count","latencySumMs")
       VALUES ($1, date_trunc('hour', $2::timestamp), $3, '', $4, $6, 0, $5, 0)
       ON CONFLICT ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket") DO UPDATE
       SET "count" = r."count" + EXCLUDED."count")
     INSERT INTO "DeliveryHealthRollup" AS h ("workspaceId","bucket","destinationId","outcome","latencyBucket","count","latencySumMs")
     VALUES ($1, date_trunc('hour', $2::timestamp), $3, $4, 0, $5, 0)
     ON CONFLICT ("workspaceId","bucket","destinationId","outcome","latencyBucket") DO UPDATE SET "count" = h."count" + EXCLUDED."count"`,
    [ws.workspace.id, at.toISOString(), destinationId, outcome, count, reason],
  );
}

/** A webhook channel on a fake fetch: `sent` holds every notification payload, in order. */
export async function recordingChannel(ws: TestWorkspace) {
  const sent: { type: string; alert?: { title: string; kind: string; details: Record<string, unknown> } }[] = [];
  await createAlertChannel(ws.actors.admin, {
    type: "webhook",
    name: "recorder",
    enabled: true,
    notify_reviews: false,
    config: { url: "https://alerts.example.test/hook" },
    secrets: { signing_secret: "0123456789abcdef0123" },
  });
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    sent.push(JSON.parse(String(init?.body)));
    return new Response("ok", { status: 200 });
  }) as unknown as typeof fetch;
  return {
    sent,
    evaluate: async (now: Date) => {
      const result = await evaluateWorkspace(ws.workspace.id, { now });
      await sendDueNotifications("test", { now, fetchImpl, workspaceId: ws.workspace.id });
      return result;
    },
  };
}

/** Turns every rule off but `kind`, so one test watches one rule. */
export async function onlyRule(ws: TestWorkspace, kind: string, params?: Record<string, number>, reminderHours = 24) {
  await ensureDefaultRules(ws.workspace.id);
  await db().alertRule.updateMany({ where: { workspaceId: ws.workspace.id }, data: { enabled: false } });
  const rule = await db().alertRule.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, kind } });
  return db().alertRule.update({
    where: { id: rule.id },
    data: { enabled: true, reminderHours, ...(params ? { params: { ...(rule.params as object), ...params } } : {}) },
  });
}

export const firing = (ws: TestWorkspace) =>
  db().alert.findMany({ where: { workspaceId: ws.workspace.id, state: "firing" }, orderBy: { firedAt: "asc" } });
