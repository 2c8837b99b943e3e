// The outbox engine against a local mock platform with injected faults: nothing lost,
// nothing accepted twice, dead letters after the limit, toggles honoured, replay.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { db } from "@/lib/db";
import { replayDeliveries, retryDelivery } from "@/lib/delivery/deliveries";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { runOnce } from "@/lib/worker/run-once";
import { engineSuite } from "./engine-harness";
import { ofEvents } from "./ingest-helpers";

const engine = engineSuite();

describe("delivery engine", () => {
  test("delivers in platform-sized batches and records the ack", async () => {
    const ids = await engine.send(7);
    await engine.drain();
    for (const id of ids) {
      const d = await engine.statusOf(id);
      assert.equal(d.status, "succeeded");
      assert.deepEqual(d.ack, { received: d.ack && (d.ack as { received: number }).received, trace: "mock-trace" });
      assert.equal(d.log.length, 1);
      assert.equal(d.log[0]!.exchange?.responseStatus, 200);
    }
    assert.ok(
      engine.mock.received.slice(-3).every((r) => r.events.length <= 3),
      "maxBatch respected",
    );
  });

  test("5xx, 429 with Retry-After, timeouts and dropped connections only delay delivery", async () => {
    engine.mock.faults = [{ status: 500 }, { status: 429, retryAfter: "30" }, "hang", "drop"];
    const [id] = await engine.send(1);
    await runOnce("w", engine.options());
    let d = await engine.statusOf(id!);
    assert.equal(d.status, "retrying");
    assert.match(d.lastError ?? "", /HTTP 500/);
    engine.clock += 60_000;
    await runOnce("w", engine.options());
    d = await engine.statusOf(id!);
    assert.match(d.lastError ?? "", /HTTP 429/);
    assert.ok(d.nextAttemptAt.getTime() - engine.clock >= 30_000, "Retry-After honoured");
    await engine.drain(
      engine.options({ policy: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 } }),
    );
    d = await engine.statusOf(id!);
    assert.equal(d.status, "succeeded");
    assert.deepEqual(d.log.map((a) => a.outcome).sort(), ["retry", "retry", "retry", "retry", "success"]);
    assert.ok(d.log.some((a) => a.reason.startsWith("timeout")));
    assert.ok(d.log.some((a) => a.reason.startsWith("network error")));
  });

  test("permanent errors and exhausted retries are dead letters; replay re-queues them, never accepted ones", async () => {
    engine.mock.faults = [{ status: 400, body: { error: "bad" } }];
    const [bad] = await engine.send(1);
    await runOnce("w", engine.options());
    assert.equal((await engine.statusOf(bad!)).status, "dead");
    engine.mock.faults = [{ status: 503 }, { status: 503 }, { status: 503 }];
    const [flaky] = await engine.send(1);
    await engine.drain(engine.options(), 4);
    const exhausted = await engine.statusOf(flaky!);
    assert.equal(exhausted.status, "dead");
    assert.match(exhausted.lastError ?? "", /gave up after 3 attempts/);

    const dry = await replayDeliveries(engine.ws.actors.engineer, {
      statuses: ["dead"],
      destination: engine.destinationId,
      dry_run: true,
    });
    assert.ok(dry.matching >= 2);
    const done = await replayDeliveries(engine.ws.actors.engineer, {
      statuses: ["dead"],
      destination: engine.destinationId,
      error_contains: "gave up",
      dry_run: false,
    });
    assert.equal(done.requeued, 1);
    await engine.drain();
    assert.equal((await engine.statusOf(flaky!)).status, "succeeded");
    const accepted = await engine.statusOf(flaky!);
    await assert.rejects(retryDelivery(engine.ws.actors.engineer, accepted.id), /never sent again/);
    await assert.rejects(retryDelivery(engine.ws.actors.viewer, accepted.id), /does not allow/);
  });

  test("a worker that dies mid-batch: its lease lapses, another worker finishes, nothing is accepted twice", async () => {
    const ids = await engine.send(4);
    const { claimDue } = await import("@/lib/delivery/engine/claim");
    const { database } = await import("@/lib/db");
    const grabbed = await claimDue(database(), "doomed-worker", 100, 30_000, new Date(engine.clock));
    assert.ok(grabbed.length >= 4);
    // The doomed worker never reports. Before the lease lapses nobody else may take the rows…
    assert.equal(await runOnce("rescuer", engine.options()), 0);
    // …afterwards they are reclaimed and delivered once.
    engine.clock += 31_000;
    await engine.drain();
    for (const id of ids) assert.equal((await engine.statusOf(id)).status, "succeeded");
    assert.deepEqual(engine.mock.resent, []);
  });

  test("a mapping toggled off for a destination is not sent there; toggling on does not backfill", async () => {
    await updateMapping(engine.ws.actors.growth, engine.mappingId, { destinations: { [engine.destinationId]: false } });
    const [late] = await engine.send(1);
    assert.equal(
      await db().delivery.count({ where: await ofEvents(late!) }),
      0,
      "no outbox row for a toggled-off destination",
    );
    await updateMapping(engine.ws.actors.growth, engine.mappingId, { destinations: { [engine.destinationId]: true } });
    const [queued] = await engine.send(1);
    await updateMapping(engine.ws.actors.growth, engine.mappingId, { destinations: { [engine.destinationId]: false } });
    await runOnce("w", engine.options());
    const skipped = await engine.statusOf(queued!);
    assert.equal(skipped.status, "skipped");
    assert.match(skipped.lastError ?? "", /no longer sends/);
    await updateMapping(engine.ws.actors.growth, engine.mappingId, { destinations: { [engine.destinationId]: true } });
    assert.equal(await db().delivery.count({ where: await ofEvents(late!) }), 0, "no backfill unless asked");

    const { backfillMapping } = await import("@/lib/delivery/backfill");
    const dry = await backfillMapping(engine.ws.actors.growth, engine.mappingId, {
      destination_id: engine.destinationId,
      dry_run: true,
    });
    assert.ok(dry.matching >= 1);
    assert.equal(await db().delivery.count({ where: await ofEvents(late!) }), 0, "a dry run queues nothing");
    const done = await backfillMapping(engine.ws.actors.growth, engine.mappingId, {
      destination_id: engine.destinationId,
      dry_run: false,
    });
    assert.equal(done.queued, dry.matching);
    assert.equal(await db().delivery.count({ where: await ofEvents(late!) }), 1);
    const again = await backfillMapping(engine.ws.actors.growth, engine.mappingId, {
      destination_id: engine.destinationId,
      dry_run: false,
    });
    assert.equal(again.queued, 0, "backfill never queues an event twice");
    await assert.rejects(
      backfillMapping(engine.ws.actors.analyst, engine.mappingId, {
        destination_id: engine.destinationId,
        dry_run: true,
      }),
      /does not allow/,
    );
  });
});
