// The worker process around the engine: stopping cleanly (the batch in flight recorded, the rest
// given back), one hanging destination not holding up the others, no request sent on a lapsing lease.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { database, db } from "@/lib/db";
import { type ClaimedDelivery, claimDue } from "@/lib/delivery/engine/claim";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { startWorker } from "@/lib/worker/start-worker";
import { engineSuite } from "./engine-harness";
import { ofEvents } from "./ingest-helpers";

const engine = engineSuite();

/** A fetch that holds every request until `release()`; `started` once the first one is sent. */
function heldFetch() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const held = {
    started: false,
    release: () => release(),
    fetchImpl: (async (input, init) => {
      held.started = true;
      await gate;
      return fetch(input, init);
    }) as typeof fetch,
  };
  return held;
}

/** Polls `condition` for at most 60 s of real time: a worker that never gets there fails the test instead of hanging the file. */
async function until(condition: () => boolean | Promise<boolean>, what: string) {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("delivery worker", () => {
  test("a stopping worker finishes its batch and gives back the batch it claimed ahead", async () => {
    const ids = await engine.send(4);
    const deliveryIds = (await Promise.all(ids.map(engine.statusOf))).map((d) => d.id);
    const held = heldFetch();
    const worker = startWorker(
      engine.options({ batchSize: 2, fetchImpl: held.fetchImpl, timeoutMs: 10_000, idleMs: 60_000 }),
    );
    await until(() => held.started, "a request is in flight");
    const leased = () => db().delivery.count({ where: { id: { in: deliveryIds }, leasedBy: worker.id } });
    await until(async () => (await leased()) === 4, "the batch ahead is claimed too");
    const stopped = worker.stop();
    held.release();
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
    await engine.drain();
    for (const id of ids) assert.equal((await engine.statusOf(id)).status, "succeeded");
    assert.deepEqual(engine.mock.resent, []);
  });

  test("a stopping worker gives back at once the claimed rows whose request has not started", async () => {
    const ids = await engine.send(7); // three requests of at most 3 events
    const before = engine.mock.received.length;
    const held = heldFetch();
    const worker = startWorker(
      engine.options({ fetchImpl: held.fetchImpl, timeoutMs: 10_000, idleMs: 60_000, patienceMs: 10_000 }),
    );
    await until(() => held.started, "a request is in flight");
    const stopped = worker.stop();
    held.release();
    await stopped;
    const rows = await Promise.all(ids.map(engine.statusOf));
    assert.equal(engine.mock.received.length - before, 1, "only the request already in flight was sent");
    assert.equal(rows.filter((d) => d.status === "succeeded").length, 3, "and it was recorded");
    assert.deepEqual(
      rows.filter((d) => d.status !== "succeeded").map((d) => [d.status, d.attempts, d.leaseUntil, d.leasedBy]),
      Array.from({ length: 4 }, () => ["pending", 0, null, null]),
      "the rest are due again for any worker, not held until the lease lapses",
    );
    await engine.drain();
    for (const id of ids) assert.equal((await engine.statusOf(id)).status, "succeeded");
    assert.deepEqual(engine.mock.resent, []);
  });

  test("a hanging destination delays only its own deliveries, not the other destinations' ones", async () => {
    const slowDestination = await db().destination.create({
      data: { workspaceId: engine.ws.workspace.id, type: "webhook", name: "Hanging", enabled: true, config: {} },
    });
    await updateMapping(engine.ws.actors.growth, engine.mappingId, { destinations: { [slowDestination.id]: true } });
    try {
      const [id] = await engine.send(1);
      const rows = await db().delivery.findMany({
        where: { workspaceId: engine.ws.workspace.id, ...(await ofEvents(id!)) },
      });
      const slowRow = rows.find((r) => r.destinationId === slowDestination.id)!;
      const fastRow = rows.find((r) => r.destinationId === engine.destinationId)!;
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
        engine.options({
          fetchImpl,
          timeoutMs: 10_000,
          idleMs: 20,
          patienceMs: 100,
          baseUrlFor: (d) => (d.id === slowDestination.id ? hanging : engine.mock.url),
        }),
      );
      const statusOfRow = async (rowId: string) =>
        (await db().delivery.findUniqueOrThrow({ where: { id: rowId } })).status;
      await until(
        async () => (await statusOfRow(fastRow.id)) === "succeeded",
        "the healthy destination is delivered while the other one hangs",
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
      await updateMapping(engine.ws.actors.growth, engine.mappingId, { destinations: { [slowDestination.id]: false } });
    }
  });

  test("no request starts after half its rows' lease: later rows are given back and claimed afresh, never sent on a lapsing lease", async () => {
    const ids = await engine.send(7); // three requests of at most 3 events
    // The worker reckons leases on the engine's clock: the first request "takes" 60% of the lease by
    // moving the clock, so nothing here depends on how fast a loaded machine runs.
    const leaseMs = 60_000;
    const leftOnSend: number[] = [];
    let rivalTook: ClaimedDelivery[] | null = null;
    const fetchImpl: typeof fetch = async (input, init) => {
      const eventIds = (JSON.parse(String(init!.body)) as { events: { event_id: string }[] }).events.map(
        (e) => e.event_id,
      );
      const rows = await db().delivery.findMany({
        where: { destinationId: engine.destinationId, ...(await ofEvents(eventIds)) },
      });
      leftOnSend.push(Math.min(...rows.map((r) => r.leaseUntil!.getTime() - engine.clock)));
      if (rivalTook === null) {
        engine.clock += leaseMs * 0.6; // the first request takes past half the lease
        // Its rows' lease is still live: another worker takes none of them (nor the rows claimed with them).
        rivalTook = await claimDue(database(), "rival-worker", 100, leaseMs, new Date(engine.clock));
      }
      return fetch(input, init);
    };
    const worker = startWorker(
      engine.options({ fetchImpl, leaseMs, timeoutMs: 10_000, idleMs: 20, patienceMs: 10_000 }),
    );
    try {
      const deadline = Date.now() + 30_000;
      const done = async () => (await Promise.all(ids.map(engine.statusOf))).every((d) => d.status === "succeeded");
      while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      await worker.stop();
    }
    assert.deepEqual(rivalTook, [], "a live lease is not taken by another worker");
    for (const id of ids)
      assert.deepEqual([(await engine.statusOf(id)).status, (await engine.statusOf(id)).attempts], ["succeeded", 1]);
    assert.deepEqual(
      leftOnSend,
      [leaseMs, leaseMs, leaseMs],
      "the first request started at its claim; the two after it were given back and claimed afresh",
    );
    assert.deepEqual(engine.mock.resent, []);
  });
});
