// End to end against every platform's mock (tests/platforms-harness.ts) under faults: 5xx, 429,
// hangs and dropped connections only delay delivery (nothing lost, nothing accepted twice); a
// permanent 4xx dead-letters at once; a killed worker's lease lapses; a destination whose secrets
// cannot be opened waits with a clear error while the rest is delivered.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { db } from "@/lib/db";
import { createDestination } from "@/lib/delivery/manage-destinations";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { runOnce } from "@/lib/worker/run-once";
import { ofEvents } from "./ingest-helpers";
import type { Fault } from "./platform-mocks/core";
import {
  advanceClock,
  allMocks,
  assertAcceptedOnce,
  deliveriesOf,
  drain,
  hubspotKey,
  mocks,
  options,
  purchases,
  SIGNING_SECRET,
  withPlatformMocks,
  ws,
} from "./platforms-harness";

withPlatformMocks();

describe("delivery to every platform, under faults", () => {
  test("5xx, 429 with Retry-After, hangs and dropped connections only delay delivery: nothing lost, nothing accepted twice", async () => {
    const transient: Fault[] = [{ status: 500 }, { status: 429, retryAfter: "30" }, "hang", "drop"];
    for (const mock of allMocks())
      mock.faults = mock.name === "ga4" ? [{ status: 500 }, { status: 503 }, "hang", "drop"] : [...transient];
    const orders = await purchases(4);
    await drain();
    const rows = await deliveriesOf(orders);
    for (const row of rows) {
      assert.equal(row.status, "succeeded", `${row.destination.name}: ${row.lastError}`);
      assert.equal(row.log.filter((a) => a.outcome === "success").length, 1, row.destination.name);
      // GA4 sends one request per client_id, so its four faults hit different events; the others batch all four.
      if (row.destination.type !== "ga4")
        assert.deepEqual(
          row.log.map((a) => a.outcome),
          ["retry", "retry", "retry", "retry", "success"],
          row.destination.name,
        );
    }
    for (const mock of allMocks()) assert.deepEqual(mock.faults, [], `${mock.name} saw every fault`);
    for (const name of Object.keys(mocks)) {
      const log = rows.filter((r) => r.destination.name === name).flatMap((r) => r.log);
      assert.ok(
        log.some((a) => a.reason.includes("timeout after")) && log.some((a) => a.reason.includes("network error")),
        name,
      );
      if (name !== "ga4")
        assert.ok(
          log.some((a) => a.response.status === 429),
          `${name} retried a 429`,
        );
    }
    assertAcceptedOnce({
      meta: orders.map((o) => `Purchase:evt_${o}`),
      google_ads: orders.map((o) => `111:${o}`),
      ga4: orders.map((o) => `purchase:${o}`),
      linkedin: orders.map((o) => `urn:lla:llaPartnerConversion:501:evt_${o}`),
      hubspot: orders.map(hubspotKey),
      webhook: orders.map((o) => `evt_${o}`),
    });
  });

  test("a permanent 4xx dead-letters at once; transient errors dead-letter after the configured limit", async () => {
    const limit = options({ policy: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 } });
    for (const mock of allMocks())
      mock.faults = [
        { status: 400, body: { error: { message: "Invalid parameter", code: 100 }, message: "invalid", status: 400 } },
      ];
    const [rejected] = await purchases(1);
    await drain(limit, 2);
    for (const row of await deliveriesOf([rejected!])) {
      assert.equal(row.status, "dead", row.destination.name);
      assert.equal(row.log.length, 1, `${row.destination.name} was not retried`);
      assert.equal(row.log[0]!.response.status, 400);
    }
    for (const mock of allMocks()) mock.faults = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    const [flaky] = await purchases(1);
    await drain(limit, 4);
    for (const row of await deliveriesOf([flaky!])) {
      assert.equal(row.status, "dead", row.destination.name);
      assert.equal(row.log.length, 3);
      assert.match(row.lastError ?? "", /gave up after 3 attempts/);
    }
    assertAcceptedOnce({});
  });

  test("a worker killed mid-batch: its lease lapses and another worker finishes without double acceptance", async () => {
    const orders = await purchases(5);
    // The doomed worker sends two requests, then dies: its later requests never complete and it records nothing more.
    let sent = 0;
    const dying: typeof fetch = (input, init) => (++sent <= 2 ? fetch(input, init) : new Promise<Response>(() => {}));
    void runOnce("doomed-worker", options({ fetchImpl: dying, leaseMs: 30_000, timeoutMs: 3_600_000 }));
    const deadline = Date.now() + 5_000;
    while (
      (await db().delivery.count({
        where: {
          workspaceId: ws.workspace.id,
          status: "succeeded",
          ...(await ofEvents(
            orders.map((o) => `evt_${o}`),
            ws.workspace.id,
          )),
        },
      })) < 1
    ) {
      assert.ok(Date.now() < deadline, "the doomed worker delivered its first requests");
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(sent > 2, "the doomed worker was stuck mid-batch");
    assert.equal(await runOnce("rescuer", options()), 0, "leased rows are not taken before the lease lapses");
    advanceClock(31_000);
    await drain();
    for (const row of await deliveriesOf(orders))
      assert.equal(row.status, "succeeded", `${row.destination.name}: ${row.lastError}`);
    for (const mock of allMocks()) assert.deepEqual(mock.duplicates(), [], `${mock.name} accepted an event twice`);
    const accepted = allMocks().reduce((total, m) => total + m.accepted.size, 0);
    assert.equal(accepted, orders.length * 6, "every event accepted once by each platform");
  });

  test("a destination whose secrets cannot be decrypted waits with a clear error; the rest of the batch is delivered", async () => {
    const ownKey = process.env.TRACKLAYER_ENCRYPTION_KEY;
    process.env.TRACKLAYER_ENCRYPTION_KEY = randomBytes(32).toString("base64");
    const foreign = await createDestination(ws.actors.admin, {
      type: "webhook",
      name: "foreign key",
      config: { url: mocks.webhook.url },
      secrets: { signing_secret: SIGNING_SECRET },
      enabled: true,
      test_mode: false,
    });
    process.env.TRACKLAYER_ENCRYPTION_KEY = ownKey;
    const purchase = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [foreign.id]: true } });
    const [order] = await purchases(1);
    await drain(options(), 1);
    const rows = await deliveriesOf([order!]);
    const stuck = rows.find((r) => r.destinationId === foreign.id)!;
    assert.equal(stuck.status, "retrying");
    assert.match(stuck.lastError ?? "", /secrets cannot be decrypted/);
    assert.ok(rows.filter((r) => r.destinationId !== foreign.id).every((r) => r.status === "succeeded"));
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [foreign.id]: false } });
  });
});
