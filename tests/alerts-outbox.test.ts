// Alert notifications are durable: a transition queues one row per channel in its own transaction
// and the worker sends them with backoff. Against local webhook receivers: one that is down at the
// moment the alert fires gets it once it is back (exactly one delivered), one that never answers
// 2xx ends failed after the policy's tries, with its answer in the alert's history.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { evaluateWorkspace } from "@/lib/alerts/evaluate";
import { alertHistory } from "@/lib/alerts/manage-alerts";
import { createAlertChannel } from "@/lib/alerts/manage-channels";
import { NOTIFICATION_POLICY, sendDueNotifications } from "@/lib/alerts/send-notifications";
import { closeDatabase, db } from "@/lib/db";
import { HOUR, mappingOf, onlyRule, roll } from "./alerts-helpers";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

/** A receiver answering the statuses of `script` in turn (the last one from then on); records every body. */
async function receiver(script: number[]) {
  const got: { status: number; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => {
      body += c.toString();
    });
    req.on("end", () => {
      const status = script[Math.min(got.length, script.length - 1)]!;
      got.push({ status, body });
      res.writeHead(status).end(status === 200 ? "ok" : "receiver down");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, got, delivered: () => got.filter((g) => g.status === 200), close: () => server.close() };
}

let ws: TestWorkspace;
let flaky: Awaited<ReturnType<typeof receiver>>;
let dead: Awaited<ReturnType<typeof receiver>>;
const T = new Date("2026-11-30T10:20:00Z");
const later = (minutes: number) => new Date(T.getTime() + minutes * 60_000);
const pass = (now: Date) => sendDueNotifications("test", { now, workspaceId: ws.workspace.id });

before(async () => {
  ws = await createTestWorkspace();
  flaky = await receiver([503, 200]);
  dead = await receiver([503]);
  for (const [name, r] of [
    ["flaky", flaky],
    ["dead", dead],
  ] as const)
    await createAlertChannel(ws.actors.admin, {
      type: "webhook",
      name,
      enabled: true,
      notify_reviews: false,
      config: { url: r.url },
      secrets: { signing_secret: "0123456789abcdef0123" },
    });
  await onlyRule(ws, "mapping_silent", { hours: 6 });
  const m = await mappingOf(ws, "Checkout Started");
  await roll(ws, { at: new Date(T.getTime() - 8 * HOUR), ...m, mappingId: m.id, status: "accepted", count: 3 });
});
after(async () => {
  flaky.close();
  dead.close();
  await closeDatabase();
});

test("the transition and its notification rows are stored together, before anything is sent", async () => {
  assert.equal((await evaluateWorkspace(ws.workspace.id, { now: T })).fired, 1);
  const rows = await db().alertNotification.findMany({
    where: { workspaceId: ws.workspace.id },
    orderBy: { channelName: "asc" },
  });
  assert.deepEqual(
    rows.map((r) => [r.channelName, r.status]),
    [
      ["dead", "pending"],
      ["flaky", "pending"],
    ],
  );
  assert.equal(flaky.got.length + dead.got.length, 0);
});

test("a channel down when the alert fires receives it exactly once when it is back", async () => {
  assert.equal(await pass(T), 2);
  assert.equal(flaky.got.length, 1, "first try refused (503)");
  assert.equal(await pass(later(0.1)), 0, "not before its backoff");
  await pass(later(1));
  await pass(later(30));
  await pass(later(120));
  assert.equal(flaky.delivered().length, 1, "delivered once, never again");
  assert.equal(flaky.got.length, 2);
  assert.equal(JSON.parse(flaky.delivered()[0]!.body).type, "alert.fired");
  const [fired] = (await alertHistory(ws.actors.viewer, { per_page: 1 })).rows;
  const flakyRow = fired!.deliveries.find((d) => d.name === "flaky")!;
  assert.deepEqual([flakyRow.status, flakyRow.ok, flakyRow.attempts], ["sent", true, 2]);
});

test("a channel that never answers 2xx ends failed after the policy's tries, and the history says so", async () => {
  for (let minutes = 180; minutes < 600; minutes += 60) await pass(later(minutes));
  assert.equal(dead.got.length, NOTIFICATION_POLICY.maxAttempts, "no more tries once failed");
  assert.equal(dead.delivered().length, 0);
  const [fired] = (await alertHistory(ws.actors.viewer, { per_page: 1 })).rows;
  const deadRow = fired!.deliveries.find((d) => d.name === "dead")!;
  assert.equal(deadRow.status, "failed");
  assert.equal(deadRow.attempts, NOTIFICATION_POLICY.maxAttempts);
  assert.match(deadRow.error ?? "", /^gave up after 6 attempts: HTTP 503: receiver down$/);
  assert.equal(
    await db().alertNotification.count({
      where: { workspaceId: ws.workspace.id, status: { in: ["pending", "retrying"] } },
    }),
    0,
  );
});
