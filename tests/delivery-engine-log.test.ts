// The delivery log of the outbox engine: one exchange row per request, each delivery's log (and
// inspector lane) showing its own slice of it, the size cap applied per slice.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { db } from "@/lib/db";
import { getDelivery } from "@/lib/delivery/deliveries";
import { recordOutcomes } from "@/lib/delivery/engine/record";
import { getTrace } from "@/lib/inspector/trace";
import { runOnce } from "@/lib/worker/run-once";
import { engineSuite } from "./engine-harness";

const engine = engineSuite();

describe("delivery log", () => {
  test("one exchange row per request; each delivery's log and inspector lane show its own slice of it", async () => {
    const ids = await engine.send(3);
    const before = await db().httpExchange.count({ where: { destinationId: engine.destinationId } });
    await runOnce("w", engine.options());
    assert.equal(
      await db().httpExchange.count({ where: { destinationId: engine.destinationId } }),
      before + 1,
      "three deliveries, one request, one exchange row",
    );
    const positions: number[] = [];
    for (const id of ids) {
      const delivery = await getDelivery(engine.ws.actors.engineer, (await engine.statusOf(id)).id);
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
      assert.equal(attempt!.request.url, `${engine.mock.url}/collect`);
      assert.deepEqual(attempt!.response, { status: 200, body: { received: 3, trace: "mock-trace" } });
      const lane = (await getTrace(engine.ws.actors.engineer, id)).stages.destinations.find(
        (l) => l.delivery_id === delivery.id,
      )!;
      assert.deepEqual(lane.log, delivery.log, "the inspector shows the same attempt");
      assert.equal(lane.keys?.dedup?.value, id, "payload keys read from this delivery's slice");
    }
    assert.deepEqual(positions.sort(), [1, 2, 3]);
  });

  test("the 16 KB log cap applies to each delivery's slice of a request, not to the whole request", async () => {
    const [small, large] = await engine.send(2);
    const rows = await Promise.all([small!, large!].map(engine.statusOf));
    const events = [
      { event_id: small, blob: "s".repeat(9_000) },
      { event_id: large, blob: "l".repeat(20_000) },
    ];
    const settledAt = new Date(engine.clock);
    await recordOutcomes(
      {
        destinationId: engine.destinationId,
        method: "POST",
        request: {
          url: `${engine.mock.url}/collect`,
          headers: { "content-type": "application/json" },
          body: { events },
        },
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
    const smallLog = (await getDelivery(engine.ws.actors.engineer, rows[0]!.id)).log[0]!;
    const largeLog = (await getDelivery(engine.ws.actors.engineer, rows[1]!.id)).log[0]!;
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
});
