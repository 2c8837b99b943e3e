// Reconciliation: after a mixed day — accepted events, exact repeats, an event_id conflict,
// violations, a held and unmapped events, a suppressed person, an event the platform cannot match,
// a dead letter after retries and a platform rejection — every number equals what was sent, read
// from the rollups alone; the CSV carries the same numbers; bad ranges are refused with a field path.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { z } from "zod";
import { closeDatabase, db } from "@/lib/db";
import type { DestinationModule, Outcome } from "@/lib/delivery/destinations/types";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { readReconciliation } from "@/lib/metrics/reconciliation";
import { reconciliationCsv } from "@/lib/metrics/reconciliation-csv";
import { createSuppression } from "@/lib/privacy/suppressions";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { reconciliationQuerySchema } from "@/lib/validations/metrics";
import { suppressionCreateSchema } from "@/lib/validations/privacy";
import { type WorkerOptions, workerSettings } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";
import { isObject, type PlatformMock, startPlatformMock } from "./platform-mocks/core";

// One event per request; the platform refuses order ids starting "refuse" (400) and fails "flaky" ones (500).
const testModule: DestinationModule = {
  type: "webhook",
  label: "test",
  configSchema: z.object({}).passthrough(),
  secretsSchema: z.record(z.string(), z.string()),
  maxBatch: 1,
  buildRequest(events, settings) {
    const body = JSON.stringify({
      events: events.map((e) => ({ event_id: e.eventId, order_id: e.properties.order_id })),
    });
    return {
      method: "POST",
      url: `${settings.baseUrl}/collect`,
      headers: {},
      body,
      log: { url: "", headers: {}, body: null },
    };
  },
  validateEvent: (event) => (event.userId ? null : "no user_id to match"),
  unmatchable: (event) => (event.userId ? null : "no user_id to match"),
  classify(answer): Outcome {
    if ("networkError" in answer) return { outcome: "retry", reason: answer.networkError };
    if (answer.status < 300) return { outcome: "success", ack: {} };
    if (answer.status >= 500) return { outcome: "retry", reason: `HTTP ${answer.status}` };
    return { outcome: "permanent", reason: `HTTP ${answer.status}` };
  },
};

let ws: TestWorkspace;
let key: string;
let mock: PlatformMock;
let destinationId: string;
let clock = Date.now();

const options = (): WorkerOptions => ({
  ...workerSettings(),
  modules: { webhook: testModule } as WorkerOptions["modules"],
  baseUrlFor: () => mock.url,
  policy: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 5_000, maxAgeMs: 86_400_000 },
  timeoutMs: 2_000,
  now: () => new Date(clock),
});

const purchase = (eventId: string, extra: Record<string, unknown> = {}, props: Record<string, unknown> = {}) =>
  capture(key, {
    event: "purchase",
    event_id: eventId,
    user_id: "u_1",
    ...extra,
    properties: { order_id: eventId, value: 10, currency: "EUR", ...props },
  });

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  mock = await startPlatformMock("reconciliation", (r) => {
    const [first] = (isObject(r.json) && Array.isArray(r.json.events) ? r.json.events : []) as { order_id?: string }[];
    const order = String(first?.order_id ?? "");
    if (order.startsWith("refuse")) return { status: 400, body: { error: "invalid order" } };
    if (order.startsWith("flaky")) return { status: 500, body: { error: "down" } };
    return { status: 200, body: { received: 1 } };
  });
  const destination = await db().destination.create({
    data: { workspaceId: ws.workspace.id, type: "webhook", name: "Reconciliation mock", enabled: true, config: {} },
  });
  destinationId = destination.id;
  const mapping = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, mapping.id, { destinations: { [destinationId]: true } });
  await createSuppression(
    ws.actors.admin,
    suppressionCreateSchema.parse({ kind: "user_id", value: "u_gone", reason: "test" }),
  );
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

describe("reconciliation", () => {
  test("every count of a mixed day equals what was sent, per difference, from the rollups", async () => {
    for (const id of ["ok_1", "ok_2", "ok_3"]) assert.equal((await purchase(id)).status, 202);
    assert.equal((await purchase("refuse_1")).status, 202);
    assert.equal((await purchase("flaky_1")).status, 202);
    // Accepted, but the platform has nothing to match the person on.
    assert.equal((await purchase("anon_1", { user_id: undefined, anonymous_id: "a_1" })).status, 202);
    // Two exact repeats and one conflicting reuse of an event_id.
    assert.equal((await purchase("ok_1")).status, 200);
    assert.equal((await purchase("ok_1")).status, 200);
    assert.equal((await purchase("ok_2", {}, { value: 99 })).status, 409);
    // Two violations (no order_id), one held (mapping in review), three unmapped, one suppressed.
    for (const id of ["bad_1", "bad_2"])
      assert.equal(
        (await capture(key, { event: "purchase", event_id: id, user_id: "u_1", properties: { value: 1 } })).status,
        422,
      );
    await capture(key, { event: "Payment Info Completed", event_id: "held_1", user_id: "u_1", properties: {} });
    // A repeat of a held event counts under the same canonical event as the held one.
    await capture(key, { event: "Payment Info Completed", event_id: "held_1", user_id: "u_1", properties: {} });
    for (const id of ["un_1", "un_2", "un_3"])
      await capture(key, { event: "Hovered Logo", event_id: id, user_id: "u_1", properties: {} });
    assert.equal((await purchase("gone_1", { user_id: "u_gone" })).status, 202);

    // Deliver: first pass sends all (flaky fails once), second pass retries flaky (dead after 2 attempts).
    clock = Date.now() + 1_000;
    await runOnce("reconciliation-test", options());
    clock += 60_000;
    await runOnce("reconciliation-test", options());
    await aggregateRollups();

    const result = await readReconciliation(ws.actors.viewer, reconciliationQuerySchema.parse({}), new Date(clock));
    const today = new Date().toISOString().slice(0, 10);
    const purchaseRow = result.days.find((r) => r.day === today && r.canonicalEvent?.name === "purchase");
    assert.ok(purchaseRow, JSON.stringify(result.days.map((r) => [r.day, r.canonicalEvent?.name])));
    const { destinations, day, canonicalEvent, heldMappings, ...events } = purchaseRow;
    assert.deepEqual(events, {
      // 6 accepted + 2 repeats + 1 conflict + 2 violations + 1 suppressed
      received: 12,
      accepted: 6,
      held: 0,
      violations: 2,
      duplicates: 2,
      conflicts: 1,
      suppressed: 1,
      unmapped: 0,
    });
    const funnel = destinations.find((d) => d.destination.id === destinationId);
    assert.ok(funnel);
    assert.equal(funnel.queued, 6, "one outbox row per accepted event");
    assert.equal(funnel.acknowledged, 3);
    assert.equal(funnel.sent, 4, "acknowledged + rejected by the platform");
    assert.equal(funnel.dead, 3);
    assert.equal(funnel.deadReasons.platform_rejected, 1);
    assert.equal(funnel.deadReasons.retries_exhausted, 1);
    assert.equal(funnel.deadReasons.unmatchable, 1);
    assert.equal(funnel.retrying, 1, "flaky's first attempt");
    assert.equal(funnel.skipped, 0);
    assert.equal(funnel.unsettled, 0);

    const held = result.days.find((r) => r.day === today && r.canonicalEvent?.name === "add_payment_info");
    assert.deepEqual([held?.held, held?.duplicates, held?.received, held?.heldMappings.length], [1, 1, 2, 1]);
    const none = result.days.find((r) => r.day === today && r.canonicalEvent === null);
    assert.equal(none?.unmapped, 3);
    // The range's totals hold the same numbers (one day).
    assert.equal(result.totals.find((r) => r.canonicalEvent?.name === "purchase")?.received, 12);

    // Filters: one destination, one canonical event.
    const focused = await readReconciliation(
      ws.actors.viewer,
      reconciliationQuerySchema.parse({ canonical_event: "purchase", destination: destinationId }),
      new Date(clock),
    );
    assert.deepEqual([...new Set(focused.days.map((r) => r.canonicalEvent?.name))], ["purchase"]);
    const other = await readReconciliation(
      ws.actors.viewer,
      reconciliationQuerySchema.parse({ destination: "no-such-destination" }),
      new Date(clock),
    );
    assert.equal(other.days.find((r) => r.canonicalEvent?.name === "purchase")?.destinations.length, 0);

    // CSV: the purchase line carries the same numbers.
    const csv = reconciliationCsv(result).trim().split("\r\n");
    const header = csv[0]!.split(",");
    const line = csv.find((l) => l.startsWith(`${today},purchase,`) && l.includes(destinationId))!.split(",");
    const col = (name: string) => line[header.indexOf(name)];
    assert.equal(col("received"), "12");
    assert.equal(col("duplicates"), "2");
    assert.equal(col("queued"), "6");
    assert.equal(col("acknowledged"), "3");
    assert.equal(col("dead_platform_rejected"), "1");
    assert.equal(col("dead_unmatchable"), "1");
    assert.equal(col("destination"), "Reconciliation mock");
  });

  test("a reversed or too long range is refused with the field at fault", async () => {
    const reversed = reconciliationQuerySchema.safeParse({ from: "2026-02-02", to: "2026-02-01" });
    assert.equal(reversed.success, false);
    assert.deepEqual(reversed.error?.issues[0]?.path, ["from"]);
    assert.equal(reconciliationQuerySchema.safeParse({ from: "2026-13-01" }).success, false);
    assert.equal(reconciliationQuerySchema.safeParse({ from: "2025-01-01", to: "2026-01-01" }).success, false);
    // Only from, a year back: the default `to` (today) makes it too long.
    const error = await rejectsWith(
      readReconciliation(ws.actors.viewer, reconciliationQuerySchema.parse({ from: "2020-01-01" })),
      "invalid_request",
    );
    assert.equal(error.issues?.[0]?.path, "from");
  });
});
