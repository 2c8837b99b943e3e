// The overview's numbers come from the rollups: after the aggregator runs, the period's totals,
// each canonical event's counts, the new unmapped labels and each destination's success rate
// and p95 are what was sent; the destinations list shows the same rates.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { listDestinations } from "@/lib/delivery/manage-destinations";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { LATENCY_BOUNDS_MS, latencyBucketOf, quantileMs } from "@/lib/metrics/latency";
import { mappingActivity } from "@/lib/metrics/mapping-activity";
import { readOverview } from "@/lib/metrics/overview";
import { periodWindow } from "@/lib/metrics/period";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let key: string;
const run = Date.now().toString(36);

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
});
after(() => closeDatabase());

describe("overview", () => {
  test("latency buckets: the SQL bucket and the JS bucket agree, quantiles read the cumulative counts", async () => {
    for (const ms of [0, 24, 25, 99, 100, 2_999, 30_000, 90_000]) {
      const [row] = await database().raw.query<{ b: number }>(
        `SELECT width_bucket($1::int, ARRAY[${LATENCY_BOUNDS_MS.join(",")}]::int[]) AS "b"`,
        [ms],
      );
      assert.equal(row!.b, latencyBucketOf(ms), `${ms} ms`);
    }
    assert.equal(quantileMs(new Map(), 0.95), null);
    // 90 fast (< 25 ms), 10 slow (300..499 ms): p50 is the first bucket's bound, p95 the slow one's.
    const counts = new Map([
      [0, 90],
      [5, 10],
    ]);
    assert.equal(quantileMs(counts, 0.5), 25);
    assert.equal(quantileMs(counts, 0.95), 500);
  });

  test("periods: every point present, aligned to its step", () => {
    const now = new Date("2026-12-03T10:17:00Z");
    const day = periodWindow("24h", now);
    assert.equal(day.points.length, 24);
    assert.equal(day.points.at(-1)!.toISOString(), "2026-12-03T10:00:00.000Z");
    const week = periodWindow("7d", now);
    assert.equal(week.points.at(-1)!.toISOString(), "2026-12-03T06:00:00.000Z");
    assert.equal(periodWindow("30d", now).since.toISOString(), "2026-11-04T00:00:00.000Z");
  });

  test("shows what was sent: totals, canonical events, violation rate and new labels", async () => {
    const label = `Overview Label ${run}`;
    for (let i = 0; i < 3; i++) await capture(key, { event: label, event_id: `${run}_u_${i}`, user_id: "u1" });
    for (let i = 0; i < 4; i++)
      await capture(key, {
        event: "purchase",
        event_id: `${run}_p_${i}`,
        user_id: "u1",
        properties: { order_id: `o${i}`, value: 5, currency: "EUR" },
      });
    await capture(key, { event: "purchase", event_id: `${run}_bad`, user_id: "u1", properties: { value: "five" } });
    await capture(key, {
      event: "Payment Info Completed",
      event_id: `${run}_held`,
      user_id: "u1",
      properties: { checkout_id: "c" },
    });

    const before = await readOverview(ws.actors.viewer, { period: "24h" });
    assert.equal(before.volume.totals.accepted, 0, "nothing shows before the aggregator counts");
    await aggregateRollups();

    const overview = await readOverview(ws.actors.viewer, { period: "24h" });
    assert.deepEqual(overview.volume.totals, {
      accepted: 4,
      held: 1,
      unmapped: 3,
      rejected: 1,
      duplicate_conflict: 0,
      suppressed: 0,
    });
    const lastPoint = overview.volume.points.at(-1)!;
    assert.equal(lastPoint.accepted, 4);
    assert.equal(lastPoint.violationRate, 1 / 6);
    const purchase = overview.events.find((e) => e.name === "purchase")!;
    assert.equal(purchase.total, 5);
    assert.equal(purchase.violationRate, 1 / 5);
    assert.deepEqual(
      overview.newLabels.map((l) => [l.source, l.sourceEvent, l.count]),
      [["heap", label, 3]],
    );

    const focused = await readOverview(ws.actors.viewer, { period: "7d", canonical_event: "purchase" });
    assert.equal(focused.focus?.name, "purchase");
    assert.deepEqual(focused.volume.totals, {
      accepted: 4,
      held: 0,
      unmapped: 0,
      rejected: 1,
      duplicate_conflict: 0,
      suppressed: 0,
    });
    const purchaseMapping = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    const activity = (await mappingActivity(ws.actors.viewer, [purchaseMapping.id])).get(purchaseMapping.id)!;
    assert.equal(activity.total, 5);
    assert.equal(activity.daily.at(-1), 5, "today is the last day");
    assert.equal(activity.violationRate, 1 / 5);
    assert.ok(activity.lastSeenAt && Date.now() - Date.parse(activity.lastSeenAt) < 600_000);
    const unknown = await readOverview(ws.actors.viewer, { period: "24h", canonical_event: "no_such_event" });
    assert.equal(unknown.volume.totals.accepted, 0);
  });

  test("destination health: success rate and p95 per destination from the delivery rollups", async () => {
    const destination = await db().destination.create({
      data: { workspaceId: ws.workspace.id, type: "webhook", name: `Health ${run}`, enabled: true, config: {} },
    });
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    await db().deliveryHealthRollup.createMany({
      data: [
        { outcome: "sent", latencyBucket: 1, count: 18n, latencySumMs: 700n },
        { outcome: "retrying", latencyBucket: 9, count: 1n, latencySumMs: 2_100n },
        { outcome: "dead", latencyBucket: -1, count: 1n, latencySumMs: 0n },
      ].map((r) => ({ ...r, workspaceId: ws.workspace.id, bucket: hour, destinationId: destination.id })),
    });
    const overview = await readOverview(ws.actors.engineer, { period: "24h" });
    const health = overview.destinations.find((d) => d.id === destination.id)!;
    assert.equal(health.sent, 18);
    assert.equal(health.successRate, 18 / 20);
    assert.equal(health.p50Ms, 50);
    assert.equal(health.p95Ms, 2_000);
    const listed = (await listDestinations(ws.actors.engineer)).rows.find((d) => d.id === destination.id)!;
    assert.equal(listed.health?.success_rate_24h, 18 / 20);
    assert.equal(listed.health?.p95_latency_ms_24h, 2_000);
  });
});
