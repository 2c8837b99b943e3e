// The outbox engine against a local mock platform with injected faults: nothing lost,
// nothing accepted twice, dead letters after the limit, toggles honoured, replay.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { getDelivery, replayDeliveries, retryDelivery } from "@/lib/delivery/deliveries";
import { recordOutcomes } from "@/lib/delivery/engine/record";
import { getTrace } from "@/lib/inspector/trace";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import type { WorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { startWorker } from "@/lib/worker/start-worker";
import { deliveryOf, engineOptions, sendPurchases, setUpEngine } from "./engine-harness";
import type { TestWorkspace } from "./helpers";
import { ofEvents } from "./ingest-helpers";
import type { MockPlatform } from "./mock-platform";

let ws: TestWorkspace;
let key: string;
let mock: MockPlatform;
let destinationId: string;
let mappingId: string;
let clock = Date.now();

const options = (over: Partial<WorkerOptions> = {}) => engineOptions(mock.url, { now: () => new Date(clock), ...over });
const send = (count: number) => sendPurchases(key, count);
const statusOf = (eventId: string) => deliveryOf(ws, eventId);

/** Runs the worker until nothing is due now, moving the clock past each retry. */
async function drain(opts = options(), rounds = 10) {
  for (let i = 0; i < rounds; i++) {
    await runOnce(`test-worker`, opts);
    clock += 60_000;
  }
}

before(async () => {
  ({ ws, key, mock, destinationId, mappingId } = await setUpEngine());
});
beforeEach(async () => {
  mock.faults = [];
  // Earlier tests' leftovers must not leak into this one's counts.
  await db().delivery.updateMany({
    where: { workspaceId: ws.workspace.id, status: { in: ["pending", "retrying"] } },
    data: { status: "dead" },
  });
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

describe("delivery engine", () => {
  test("delivers in platform-sized batches and records the ack", async () => {
    const ids = await send(7);
    await drain();
    for (const id of ids) {
      const d = await statusOf(id);
      assert.equal(d.status, "succeeded");
      assert.deepEqual(d.ack, { received: d.ack && (d.ack as { received: number }).received, trace: "mock-trace" });
      assert.equal(d.log.length, 1);
      assert.equal(d.log[0]!.exchange?.responseStatus, 200);
    }
    assert.ok(
      mock.received.slice(-3).every((r) => r.events.length <= 3),
      "maxBatch respected",
    );
  });

  test("5xx, 429 with Retry-After, timeouts and dropped connections only delay delivery", async () => {
    mock.faults = [{ status: 500 }, { status: 429, retryAfter: "30" }, "hang", "drop"];
    const [id] = await send(1);
    await runOnce("w", options());
    let d = await statusOf(id!);
    assert.equal(d.status, "retrying");
    assert.match(d.lastError ?? "", /HTTP 500/);
    clock += 60_000;
    await runOnce("w", options());
    d = await statusOf(id!);
    assert.match(d.lastError ?? "", /HTTP 429/);
    assert.ok(d.nextAttemptAt.getTime() - clock >= 30_000, "Retry-After honoured");
    await drain(options({ policy: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 } }));
    d = await statusOf(id!);
    assert.equal(d.status, "succeeded");
    assert.deepEqual(d.log.map((a) => a.outcome).sort(), ["retry", "retry", "retry", "retry", "success"]);
    assert.ok(d.log.some((a) => a.reason.startsWith("timeout")));
    assert.ok(d.log.some((a) => a.reason.startsWith("network error")));
  });

  test("permanent errors and exhausted retries are dead letters; replay re-queues them, never accepted ones", async () => {
    mock.faults = [{ status: 400, body: { error: "bad" } }];
    const [bad] = await send(1);
    await runOnce("w", options());
    assert.equal((await statusOf(bad!)).status, "dead");
    mock.faults = [{ status: 503 }, { status: 503 }, { status: 503 }];
    const [flaky] = await send(1);
    await drain(options(), 4);
    const exhausted = await statusOf(flaky!);
    assert.equal(exhausted.status, "dead");
    assert.match(exhausted.lastError ?? "", /gave up after 3 attempts/);

    const dry = await replayDeliveries(ws.actors.engineer, {
      statuses: ["dead"],
      destination: destinationId,
      dry_run: true,
    });
    assert.ok(dry.matching >= 2);
    const done = await replayDeliveries(ws.actors.engineer, {
      statuses: ["dead"],
      destination: destinationId,
      error_contains: "gave up",
      dry_run: false,
    });
    assert.equal(done.requeued, 1);
    await drain();
    assert.equal((await statusOf(flaky!)).status, "succeeded");
    const accepted = await statusOf(flaky!);
    await assert.rejects(retryDelivery(ws.actors.engineer, accepted.id), /never sent again/);
    await assert.rejects(retryDelivery(ws.actors.viewer, accepted.id), /does not allow/);
  });

  test("a worker that dies mid-batch: its lease lapses, another worker finishes, nothing is accepted twice", async () => {
    const ids = await send(4);
    const { claimDue } = await import("@/lib/delivery/engine/claim");
    const { database } = await import("@/lib/db");
    const grabbed = await claimDue(database().raw, "doomed-worker", 100, 30_000, new Date(clock));
    assert.ok(grabbed.length >= 4);
    // The doomed worker never reports. Before the lease lapses nobody else may take the rows…
    assert.equal(await runOnce("rescuer", options()), 0);
    // …afterwards they are reclaimed and delivered once.
    clock += 31_000;
    await drain();
    for (const id of ids) assert.equal((await statusOf(id)).status, "succeeded");
    assert.deepEqual(mock.resent, []);
  });

  test("a mapping toggled off for a destination is not sent there; toggling on does not backfill", async () => {
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [destinationId]: false } });
    const [late] = await send(1);
    assert.equal(
      await db().delivery.count({ where: await ofEvents(late!) }),
      0,
      "no outbox row for a toggled-off destination",
    );
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [destinationId]: true } });
    const [queued] = await send(1);
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [destinationId]: false } });
    await runOnce("w", options());
    const skipped = await statusOf(queued!);
    assert.equal(skipped.status, "skipped");
    assert.match(skipped.lastError ?? "", /no longer sends/);
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [destinationId]: true } });
    assert.equal(await db().delivery.count({ where: await ofEvents(late!) }), 0, "no backfill unless asked");

    const { backfillMapping } = await import("@/lib/delivery/backfill");
    const dry = await backfillMapping(ws.actors.growth, mappingId, { destination_id: destinationId, dry_run: true });
    assert.ok(dry.matching >= 1);
    assert.equal(await db().delivery.count({ where: await ofEvents(late!) }), 0, "a dry run queues nothing");
    const done = await backfillMapping(ws.actors.growth, mappingId, { destination_id: destinationId, dry_run: false });
    assert.equal(done.queued, dry.matching);
    assert.equal(await db().delivery.count({ where: await ofEvents(late!) }), 1);
    const again = await backfillMapping(ws.actors.growth, mappingId, { destination_id: destinationId, dry_run: false });
    assert.equal(again.queued, 0, "backfill never queues an event twice");
    await assert.rejects(
      backfillMapping(ws.actors.analyst, mappingId, { destination_id: destinationId, dry_run: true }),
      /does not allow/,
    );
  });

  test("one exchange row per request; each delivery's log and inspector lane show its own slice of it", async () => {
    const ids = await send(3);
    const before = await db().httpExchange.count({ where: { destinationId } });
    await runOnce("w", options());
    assert.equal(
      await db().httpExchange.count({ where: { destinationId } }),
      before + 1,
      "three deliveries, one request, one exchange row",
    );
    const positions: number[] = [];
    for (const id of ids) {
      const delivery = await getDelivery(ws.actors.engineer, (await statusOf(id)).id);
      const [attempt] = delivery.log;
      const body = attempt!.request.body as {
        events: { event_id: string }[];
        _batch: { position: number; size: number };
      };
      assert.deepEqual(
        body.events.map((e) => e.event_id),
        [id],
        "only this delivery's event",
      );
      assert.equal(body._batch.size, 3);
      positions.push(body._batch.position);
      assert.equal(attempt!.request.url, `${mock.url}/collect`);
      assert.deepEqual(attempt!.response, { status: 200, body: { received: 3, trace: "mock-trace" } });
      const lane = (await getTrace(ws.actors.engineer, id)).stages.destinations.find(
        (l) => l.delivery_id === delivery.id,
      )!;
      assert.deepEqual(lane.log, delivery.log, "the inspector shows the same attempt");
      assert.equal(lane.keys?.dedup?.value, id, "payload keys read from this delivery's slice");
    }
    assert.deepEqual(positions.sort(), [1, 2, 3]);
  });

  test("the 16 KB log cap applies to each delivery's slice of a request, not to the whole request", async () => {
    const [small, large] = await send(2);
    const rows = await Promise.all([small!, large!].map(statusOf));
    const events = [
      { event_id: small, blob: "s".repeat(9_000) },
      { event_id: large, blob: "l".repeat(20_000) },
    ];
    const settledAt = new Date(clock);
    await recordOutcomes(
      {
        destinationId,
        method: "POST",
        request: { url: `${mock.url}/collect`, headers: { "content-type": "application/json" }, body: { events } },
        answer: { status: 200, headers: {}, body: { ok: true } },
        latencyMs: 7,
      },
      rows.map((d) => ({
        deliveryId: d.id,
        attempt: 1,
        outcome: "success",
        reason: "accepted",
        status: "succeeded",
        nextAttemptAt: null,
      })),
      settledAt,
    );
    const smallLog = (await getDelivery(ws.actors.engineer, rows[0]!.id)).log[0]!;
    const largeLog = (await getDelivery(ws.actors.engineer, rows[1]!.id)).log[0]!;
    assert.deepEqual(
      smallLog.request.body,
      { events: [events[0]], _batch: { position: 1, size: 2 } },
      "under 16 KB: the slice as sent",
    );
    const truncated = (largeLog.request.body as { truncated: string }).truncated;
    assert.equal(truncated.length, 16_000, "over 16 KB: its start, under truncated");
    assert.ok(truncated.includes(large!) && !truncated.includes(small!), "the slice of this delivery's own event");
    assert.equal(largeLog.latency_ms, 7);
  });

  test("a stopping worker finishes its batch and gives back the batch it claimed ahead", async () => {
    const ids = await send(4);
    const deliveryIds = (await Promise.all(ids.map(statusOf))).map((d) => d.id);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sending!: () => void;
    const inFlight = new Promise<void>((resolve) => (sending = resolve));
    const held: typeof fetch = async (input, init) => {
      sending();
      await gate;
      return fetch(input, init);
    };
    const worker = startWorker(options({ batchSize: 2, fetchImpl: held, timeoutMs: 10_000, idleMs: 60_000 }));
    await inFlight;
    const leased = () => db().delivery.count({ where: { id: { in: deliveryIds }, leasedBy: worker.id } });
    while ((await leased()) < 4) await new Promise((resolve) => setTimeout(resolve, 10));
    const stopped = worker.stop();
    release();
    await stopped;
    const after = await db().delivery.findMany({ where: { id: { in: deliveryIds } } });
    assert.equal(
      after.filter((d) => d.status === "succeeded").length,
      2,
      "the batch in flight was delivered and recorded",
    );
    assert.deepEqual(
      after.filter((d) => d.status !== "succeeded").map((d) => [d.status, d.leaseUntil, d.leasedBy]),
      [
        ["pending", null, null],
        ["pending", null, null],
      ],
      "the batch claimed ahead is due again for any worker",
    );
    await drain();
    for (const id of ids) assert.equal((await statusOf(id)).status, "succeeded");
    assert.deepEqual(mock.resent, []);
  });

  test("a stopping worker gives back at once the claimed rows whose request has not started", async () => {
    const ids = await send(7); // three requests of at most 3 events
    const before = mock.received.length;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let sending!: () => void;
    const inFlight = new Promise<void>((resolve) => (sending = resolve));
    const held: typeof fetch = async (input, init) => {
      sending();
      await gate;
      return fetch(input, init);
    };
    const worker = startWorker(options({ fetchImpl: held, timeoutMs: 10_000, idleMs: 60_000, patienceMs: 10_000 }));
    await inFlight;
    const stopped = worker.stop();
    release();
    await stopped;
    const rows = await Promise.all(ids.map(statusOf));
    assert.equal(mock.received.length - before, 1, "only the request already in flight was sent");
    assert.equal(rows.filter((d) => d.status === "succeeded").length, 3, "and it was recorded");
    assert.deepEqual(
      rows.filter((d) => d.status !== "succeeded").map((d) => [d.status, d.attempts, d.leaseUntil, d.leasedBy]),
      Array.from({ length: 4 }, () => ["pending", 0, null, null]),
      "the rest are due again for any worker, not held until the lease lapses",
    );
    await drain();
    for (const id of ids) assert.equal((await statusOf(id)).status, "succeeded");
    assert.deepEqual(mock.resent, []);
  });

  test("a hanging destination delays only its own deliveries, not the other destinations' ones", async () => {
    const slowDestination = await db().destination.create({
      data: { workspaceId: ws.workspace.id, type: "webhook", name: "Hanging", enabled: true, config: {} },
    });
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [slowDestination.id]: true } });
    try {
      const [id] = await send(1);
      const rows = await db().delivery.findMany({ where: { workspaceId: ws.workspace.id, ...(await ofEvents(id!)) } });
      const slowRow = rows.find((r) => r.destinationId === slowDestination.id)!;
      const fastRow = rows.find((r) => r.destinationId === destinationId)!;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const hanging = "http://hanging.invalid";
      const fetchImpl: typeof fetch = async (input, init) => {
        if (String(input).startsWith(hanging)) {
          await gate;
          return new Response(JSON.stringify({ received: 1 }), {
            status: 200,
            headers: { "content-type": "application/json" },
          });
        }
        return fetch(input, init);
      };
      const worker = startWorker(
        options({
          fetchImpl,
          timeoutMs: 10_000,
          idleMs: 20,
          patienceMs: 100,
          baseUrlFor: (d) => (d.id === slowDestination.id ? hanging : mock.url),
        }),
      );
      const statusOfRow = async (rowId: string) =>
        (await db().delivery.findUniqueOrThrow({ where: { id: rowId } })).status;
      const deadline = Date.now() + 5_000;
      while ((await statusOfRow(fastRow.id)) !== "succeeded" && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(
        await statusOfRow(fastRow.id),
        "succeeded",
        "the healthy destination was delivered while the other one hangs",
      );
      const held = await db().delivery.findUniqueOrThrow({ where: { id: slowRow.id } });
      assert.deepEqual(
        [held.status, held.leasedBy, held.attempts],
        ["pending", worker.id, 0],
        "the hanging delivery is still in flight, claimed once",
      );
      const stopped = worker.stop();
      release();
      await stopped;
      assert.equal(await statusOfRow(slowRow.id), "succeeded", "stopping waits for the destination still sending");
    } finally {
      await updateMapping(ws.actors.growth, mappingId, { destinations: { [slowDestination.id]: false } });
    }
  });

  test("no request starts after half its rows' lease: later rows are given back and claimed afresh, never sent on a lapsing lease", async () => {
    const ids = await send(7); // three requests of at most 3 events
    const leaseMs = 600;
    const leftOnSend: number[] = [];
    let first = true;
    const fetchImpl: typeof fetch = async (input, init) => {
      const eventIds = (JSON.parse(String(init!.body)) as { events: { event_id: string }[] }).events.map(
        (e) => e.event_id,
      );
      const rows = await db().delivery.findMany({ where: { destinationId, ...(await ofEvents(eventIds)) } });
      leftOnSend.push(Math.min(...rows.map((r) => r.leaseUntil!.getTime() - Date.now())));
      if (first) {
        first = false;
        await new Promise((resolve) => setTimeout(resolve, leaseMs * 0.6)); // the first request takes past half the lease
      }
      return fetch(input, init);
    };
    const worker = startWorker(
      options({ now: undefined, fetchImpl, leaseMs, timeoutMs: 10_000, idleMs: 20, patienceMs: 10_000 }),
    );
    try {
      const deadline = Date.now() + 10_000;
      const done = async () => (await Promise.all(ids.map(statusOf))).every((d) => d.status === "succeeded");
      while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await worker.stop();
    }
    for (const id of ids)
      assert.deepEqual([(await statusOf(id)).status, (await statusOf(id)).attempts], ["succeeded", 1]);
    assert.equal(leftOnSend.length, 3);
    assert.ok(
      leftOnSend.every((left) => left >= leaseMs / 2 - 50),
      `every request started with at least half its lease left: ${leftOnSend.join(", ")} ms`,
    );
    assert.deepEqual(mock.resent, []);
  });
});
