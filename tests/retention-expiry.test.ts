// Per-workspace expiry in place, on a controlled clock: events and payloads of a workspace keeping them
// shorter than the longest retention, settled deliveries, dead letters, violation samples, audit entries;
// batches go on within a time budget per tick.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { db } from "@/lib/db";
import { getEvent } from "@/lib/events/get-event";
import { EXPIRED_PAYLOAD } from "@/lib/events/payloads";
import { monthsBefore } from "@/lib/retention/partitions";
import { runRetention } from "@/lib/retention/run";
import { updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace } from "./helpers";
import { captureAt, storedEvent, writeKeyFor } from "./ingest-helpers";
import { ctidOf, DAY, daysAgo, purchase, retentionSuite } from "./retention-helpers";

const suite = retentionSuite();

describe("expiry", () => {
  test("a workspace keeping events shorter expires them in place, a batch at a time, ledger included", async () => {
    const short = await createTestWorkspace();
    const shortKey = await writeKeyFor(short, "heap");
    await updateWorkspace(short.actors.admin, {
      retention: { events_months: 2, payloads_days: 30, violation_samples_days: 30 },
    });
    const now = new Date();
    const old = [purchase(), purchase(), purchase()];
    for (const body of old) await captureAt(shortKey, body, monthsBefore(now, 3).toISOString());
    const kept = purchase();
    await captureAt(shortKey, kept, daysAgo(now, 10));
    // The default workspace's events of the same age stay: its retention is the longest.
    const long = purchase();
    await captureAt(suite.key, long, monthsBefore(now, 3).toISOString());

    // No time budget: one batch per task and tick.
    const first = await runRetention({ now, batch: 2, budgetMs: 0 });
    assert.equal(first?.expired[short.workspace.id]?.events, 2, "one batch when the budget is spent");
    const second = await runRetention({ now, batch: 2, budgetMs: 0 });
    assert.equal(second?.expired[short.workspace.id]?.events, 1);
    assert.deepEqual(
      (await db().event.findMany({ where: { workspaceId: short.workspace.id } })).map((e) => e.eventId),
      [kept.event_id],
    );
    assert.equal(await db().event.count({ where: { workspaceId: suite.ws.workspace.id, eventId: long.event_id } }), 1);
    // Its ledger row went with it: the same event_id now is a new event.
    assert.equal(
      await db().eventDedup.count({ where: { workspaceId: short.workspace.id, dedupKey: old[0]!.event_id } }),
      0,
    );
    assert.equal((await captureAt(shortKey, old[0]!, now.toISOString())).status, 202);
  });

  test("a workspace keeping payloads shorter loses only its own, from the payload table; retries are still told apart", async () => {
    const w = await createTestWorkspace();
    const wKey = await writeKeyFor(w, "heap");
    await updateWorkspace(w.actors.admin, { retention: { payloads_days: 5 } });
    const now = new Date();
    const oldBody = purchase();
    const newBody = purchase();
    const othersBody = purchase();
    await captureAt(wKey, oldBody, daysAgo(now, 6));
    await captureAt(wKey, newBody, daysAgo(now, 1));
    // The default workspace keeps payloads 90 days: its payload of the same age stays.
    await captureAt(suite.key, othersBody, daysAgo(now, 6));
    const before = await storedEvent(w.workspace.id, oldBody.event_id);
    const place = await ctidOf(before.id);

    const run = await runRetention({ now });
    assert.equal(run?.expired[w.workspace.id]?.payloads, 1);
    const [oldRow, newRow, othersRow] = await Promise.all([
      storedEvent(w.workspace.id, oldBody.event_id),
      storedEvent(w.workspace.id, newBody.event_id),
      storedEvent(suite.ws.workspace.id, othersBody.event_id),
    ]);
    assert.deepEqual(oldRow.payload, EXPIRED_PAYLOAD);
    assert.deepEqual(oldRow.properties, oldBody.properties, "canonical properties stay");
    assert.equal(await ctidOf(before.id), place, "the event row was not rewritten");
    assert.deepEqual((await getEvent(w.actors.admin, oldRow.id)).payload, EXPIRED_PAYLOAD, "the detail says expired");
    assert.deepEqual(newRow.payload, newBody);
    assert.deepEqual(othersRow.payload, othersBody, "another workspace's payload of the same age stays");
    assert.equal((await runRetention({ now }))?.expired[w.workspace.id]?.payloads, 0, "the cursor skips what is done");
    assert.equal((await captureAt(wKey, oldBody, now.toISOString())).status, 200);
    const changed = { ...oldBody, properties: { ...oldBody.properties, value: 11 } };
    assert.equal((await captureAt(wKey, changed, now.toISOString())).status, 409);
  });

  test("delivery logs kept shorter, dead letters, violation samples and audit entries expire a batch at a time", async () => {
    const w = await createTestWorkspace();
    const wKey = await writeKeyFor(w, "heap");
    await updateWorkspace(w.actors.admin, {
      retention: { delivery_logs_days: 30, dead_letters_days: 45, violation_samples_days: 20 },
    });
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    const destination = await db().destination.create({
      data: { workspaceId: w.workspace.id, type: "webhook", name: "hook", config: { url: "https://hook.example/x" } },
    });
    const t = (id: string) => `${id}_${w.tag}`;
    const exchange = (id: string, days: number) => ({
      id: t(id),
      destinationId: destination.id,
      requestUrl: "https://hook.example/x",
      requestHeaders: {},
      requestBody: { secret: "body" },
      latencyMs: 5,
      createdAt: at(days),
    });
    // A delivery created 40 days ago was retried 10 days ago in one batch with a newer one (x_shared).
    await db().httpExchange.createMany({
      data: [
        exchange("x_sent", 10),
        exchange("x_shared", 10),
        exchange("x_dead_kept", 40),
        exchange("x_dead_old", 50),
        exchange("x_orphan", 40),
      ],
    });
    const delivery = (id: string, status: "succeeded" | "dead", days: number) => ({
      id: t(id),
      workspaceId: w.workspace.id,
      eventRowId: `ev_${id}`,
      destinationId: destination.id,
      status,
      createdAt: at(days),
      updatedAt: at(days),
    });
    await db().delivery.createMany({
      data: [
        delivery("d_sent_old", "succeeded", 40),
        delivery("d_sent_new", "succeeded", 12),
        delivery("d_dead_kept", "dead", 40),
        delivery("d_dead_old", "dead", 50),
      ],
    });
    // An attempt has its exchange's createdAt (the exchange's key is (id, createdAt)).
    const attempt = (id: string, deliveryId: string, n: number, exchangeId: string, outcome: string, days: number) => ({
      id: t(id),
      deliveryId: t(deliveryId),
      attempt: n,
      exchangeId: t(exchangeId),
      outcome,
      createdAt: at(days),
    });
    await db().deliveryAttempt.createMany({
      data: [
        attempt("a1", "d_sent_old", 1, "x_sent", "retry", 10),
        attempt("a2", "d_sent_old", 2, "x_shared", "success", 10),
        attempt("a3", "d_sent_new", 1, "x_shared", "success", 10),
        attempt("a4", "d_dead_kept", 1, "x_dead_kept", "permanent", 40),
        attempt("a5", "d_dead_old", 1, "x_dead_old", "permanent", 50),
      ],
    });
    await db().auditLog.createMany({
      data: [1, 2, 3].map((i) => ({
        workspaceId: w.workspace.id,
        actorLabel: "t",
        action: "test.old",
        entityType: "t",
        entityId: String(i),
        createdAt: at(800),
      })),
    });
    const rejected = purchase({ properties: { value: "not a number" } });
    await captureAt(wKey, rejected, at(25).toISOString());

    const first = await runRetention({ now, batch: 2, budgetMs: 0 });
    const got = first!.expired[w.workspace.id]!;
    assert.deepEqual([got.deliveryLogs, got.deadLetters, got.auditEntries, got.violationSamples], [1, 1, 2, 1]);
    assert.deepEqual(
      (await db().delivery.findMany({ where: { workspaceId: w.workspace.id }, orderBy: { id: "asc" } })).map(
        (d) => d.id,
      ),
      [t("d_dead_kept"), t("d_sent_new")],
    );
    assert.deepEqual(
      (await db().httpExchange.findMany({ where: { destinationId: destination.id }, orderBy: { id: "asc" } })).map(
        (x) => x.id,
      ),
      [t("x_dead_kept"), t("x_shared")],
      "an exchange goes with the last delivery that used it; a dead letter's stays while it is kept; orphans past retention go",
    );
    assert.equal(await db().deliveryAttempt.count({ where: { deliveryId: t("d_sent_old") } }), 0);
    assert.equal(await db().deliveryAttempt.count({ where: { exchangeId: t("x_dead_old") } }), 0, "with its exchange");
    const second = await runRetention({ now, batch: 2, budgetMs: 0 });
    assert.equal(second!.expired[w.workspace.id]!.auditEntries, 1);
    assert.equal(await db().auditLog.count({ where: { workspaceId: w.workspace.id, action: "test.old" } }), 0);
  });

  test("the time budget ends a tick's batches early; the rest go on next tick", async () => {
    const w = await createTestWorkspace();
    const old = new Date(Date.now() - 800 * DAY);
    await db().auditLog.createMany({
      data: Array.from({ length: 9 }, (_, i) => ({
        workspaceId: w.workspace.id,
        actorLabel: "t",
        action: "test.budget",
        entityType: "t",
        entityId: String(i),
        createdAt: old,
      })),
    });
    const left = () => db().auditLog.count({ where: { workspaceId: w.workspace.id, action: "test.budget" } });
    // A clock that moves 100 ms each time it is read: a 250 ms budget lasts the first round and one more batch.
    let ms = 0;
    const clock = () => (ms += 100);
    const cut = await runRetention({ batch: 2, budgetMs: 250, clock });
    // Two batches alone (another workspace's unfinished task, on a shared database, may read the clock first).
    const first = cut?.expired[w.workspace.id]?.auditEntries ?? 0;
    assert.ok(first >= 2 && first <= 4, `one or two batches, then the budget was spent (${first})`);
    assert.ok((cut?.unfinished ?? 0) >= 1, "the task is left for the next tick");
    assert.equal(await left(), 9 - first);
    const rest = await runRetention({ batch: 2, budgetMs: 60_000 });
    assert.equal(
      rest?.expired[w.workspace.id]?.auditEntries,
      9 - first,
      "a budget long enough takes the rest in one tick",
    );
    assert.equal(await left(), 0);
  });
});
