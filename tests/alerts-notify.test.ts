// Transitions and their notifications: reminders at most every N hours, snooze and mute quiet
// an alert (recorded in the history), one evaluator per workspace and minute, and the
// management functions' permissions, validation and audit entries.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { claimMinute, evaluateDueAlerts, evaluateWorkspace } from "@/lib/alerts/evaluate";
import { alertHistory, listAlerts, muteAlert, snoozeAlert } from "@/lib/alerts/manage-alerts";
import { listAlertChannels } from "@/lib/alerts/manage-channels";
import { createAlertRule, listAlertRules, updateAlertRule } from "@/lib/alerts/manage-rules";
import { closeDatabase, db } from "@/lib/db";
import { alertRuleCreateSchema, RULE_KINDS } from "@/lib/validations/alerts";
import { firing, HOUR, mappingOf, onlyRule, recordingChannel, roll } from "./alerts-helpers";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

after(() => closeDatabase());

const T = new Date("2026-11-30T10:20:00Z");
const at = (minutes: number) => new Date(T.getTime() + minutes * 60_000);

describe("alert notifications", () => {
  let ws: TestWorkspace;
  let ctx: Awaited<ReturnType<typeof recordingChannel>>;
  before(async () => {
    ws = await createTestWorkspace();
    await onlyRule(ws, "mapping_silent", { hours: 6 }, 2);
    ctx = await recordingChannel(ws);
    const m = await mappingOf(ws, "Checkout Started");
    await roll(ws, { at: new Date(T.getTime() - 8 * HOUR), ...m, mappingId: m.id, status: "accepted", count: 3 });
  });

  test("new workspaces start with one rule of every kind", async () => {
    const { rows } = await listAlertRules(ws.actors.viewer);
    assert.deepEqual(rows.map((r) => r.kind).sort(), [...RULE_KINDS].sort());
    const rename = rows.find((r) => r.kind === "suspected_rename")!;
    assert.equal(rename.label, "Suspected rename");
    assert.deepEqual(rename.params, { drop_pct: 80, min_volume: 20, window_hours: 24, lookback_hours: 72 });
  });

  test("fires once, reminds at most every reminder_hours, snooze and mute keep it quiet", async () => {
    await ctx.evaluate(T);
    for (let m = 1; m < 120; m += 30) await ctx.evaluate(at(m));
    assert.deepEqual(
      ctx.sent.map((s) => s.type),
      ["alert.fired"],
      "no reminder before 2 h",
    );
    await ctx.evaluate(at(120));
    await ctx.evaluate(at(121));
    assert.deepEqual(
      ctx.sent.map((s) => s.type),
      ["alert.fired", "alert.reminder"],
    );

    const [alert] = await firing(ws);
    const snoozed = await snoozeAlert(ws.actors.growth, alert!.id, 4, at(125));
    assert.equal(snoozed.snoozed_until, at(125 + 240).toISOString());
    await ctx.evaluate(at(250));
    assert.equal(ctx.sent.length, 2, "no reminder while snoozed");
    await ctx.evaluate(at(370));
    assert.deepEqual(ctx.sent.map((s) => s.type).at(-1), "alert.reminder", "reminded once the snooze is over");

    await muteAlert(ws.actors.admin, alert!.id, true, at(371));
    await ctx.evaluate(at(600));
    const m = await mappingOf(ws, "Checkout Started");
    await roll(ws, { at: at(601), ...m, mappingId: m.id, status: "accepted", count: 1 });
    await ctx.evaluate(at(602));
    assert.equal(ctx.sent.length, 3, "a muted alert resolves without a notification");

    const history = await alertHistory(ws.actors.viewer, { per_page: 3 });
    assert.deepEqual(
      history.rows.map((r) => r.kind),
      ["resolved", "muted", "reminder"],
    );
    assert.match(history.rows[0]!.message, /not sent: muted/);
    const next = await alertHistory(ws.actors.viewer, { per_page: 10, cursor: history.next_cursor! });
    assert.deepEqual(
      next.rows.map((r) => r.kind),
      ["snoozed", "reminder", "fired"],
    );
    assert.equal(next.next_cursor, null);
    assert.equal((await listAlerts(ws.actors.viewer, { state: "firing" })).rows.length, 0);
    assert.equal((await listAlerts(ws.actors.viewer, { state: "resolved" })).rows[0]!.muted, true);
    const audit = await db().auditLog.findMany({
      where: { workspaceId: ws.workspace.id, action: { startsWith: "alert." } },
    });
    assert.deepEqual(audit.map((a) => a.action).sort(), ["alert.mute", "alert.snooze"]);
  });

  test("one evaluator per workspace and minute, whatever the number of workers", async () => {
    const minute = Math.floor(at(10_000).getTime() / 60_000);
    assert.equal(await claimMinute(ws.workspace.id, minute), true);
    assert.equal(await claimMinute(ws.workspace.id, minute), false, "a second replica skips the minute");
    assert.equal(await claimMinute(ws.workspace.id, minute - 1), false, "never an earlier minute");
    const [a, b] = await Promise.all([evaluateDueAlerts({ now: at(20_000) }), evaluateDueAlerts({ now: at(20_000) })]);
    const ours = await db().alertEvaluation.findUniqueOrThrow({ where: { workspaceId: ws.workspace.id } });
    assert.equal(ours.minute, BigInt(Math.floor(at(20_000).getTime() / 60_000)));
    assert.ok(a! + b! >= 1);
  });

  test("rules: admins and growth edit them (thresholds checked per kind, audited); others may not", async () => {
    const rule = (await listAlertRules(ws.actors.viewer)).rows.find((r) => r.kind === "violation_rate")!;
    const edited = await updateAlertRule(ws.actors.growth, rule.id, { params: { max_pct: 25 }, reminder_hours: 6 });
    assert.equal(edited.params.max_pct, 25);
    assert.equal(edited.params.window_hours, 6, "other thresholds stay");
    await assert.rejects(updateAlertRule(ws.actors.analyst, rule.id, { enabled: false }), { code: "forbidden" });
    await assert.rejects(
      updateAlertRule(ws.actors.admin, rule.id, { params: { max_pct: 250 } }),
      (e: { issues: { path: string }[] }) => e.issues.some((i) => i.path === "params.max_pct"),
    );
    const bad = alertRuleCreateSchema.safeParse({ kind: "volume_drop", name: "x", params: { drop_pct: "half" } });
    assert.equal(bad.success, false);
    assert.deepEqual(
      bad.error!.issues.map((i) => i.path.join(".")),
      ["params.drop_pct"],
    );
    const created = await createAlertRule(
      ws.actors.admin,
      alertRuleCreateSchema.parse({
        kind: "dead_letters",
        name: "Any dead letter in a day",
        params: { window_hours: 24 },
      }),
    );
    assert.deepEqual(created.params, { min_count: 1, window_hours: 24 });
    const audit = await db().auditLog.findMany({
      where: { workspaceId: ws.workspace.id, action: { startsWith: "alert_rule." } },
    });
    assert.deepEqual(audit.map((a) => a.action).sort(), ["alert_rule.create", "alert_rule.update"]);
    await assert.rejects(listAlertChannels(ws.actors.viewer), { code: "forbidden" });
  });
});

describe("who quiets an alert", () => {
  test("engineers snooze one (not mute it); analysts and viewers do neither", async () => {
    const ws = await createTestWorkspace();
    await onlyRule(ws, "mapping_silent", { hours: 6 });
    const m = await mappingOf(ws, "Checkout Started");
    await roll(ws, { at: new Date(T.getTime() - 8 * HOUR), ...m, mappingId: m.id, status: "accepted", count: 3 });
    assert.equal((await evaluateWorkspace(ws.workspace.id, { now: T })).fired, 1);
    const [alert] = await firing(ws);
    const snoozed = await snoozeAlert(ws.actors.engineer, alert!.id, 2, at(1));
    assert.equal(snoozed.snoozed_until, at(121).toISOString());
    await assert.rejects(muteAlert(ws.actors.engineer, alert!.id, true, at(2)), { code: "forbidden" });
    for (const actor of [ws.actors.analyst, ws.actors.viewer])
      await assert.rejects(snoozeAlert(actor, alert!.id, 1, at(3)), { code: "forbidden" });
    const history = await alertHistory(ws.actors.viewer, { per_page: 5 });
    assert.deepEqual(
      history.rows.map((r) => [r.kind, r.actor]),
      [
        ["snoozed", ws.actors.engineer.label],
        ["fired", null],
      ],
    );
  });
});
