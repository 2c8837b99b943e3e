// The claim and the deliveries log read each outbox row's event by its full key (id, receivedAt:
// Event is partitioned by month), and a claimed row with nothing left to send is settled as
// skipped, not left leased.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { database, db } from "@/lib/db";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import { DELIVERY_EVENTS_SQL, getDelivery, listDeliveries } from "@/lib/delivery/deliveries";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { deliveryListQuerySchema } from "@/lib/validations/delivery";
import { runOnce } from "@/lib/worker/run-once";
import { engineSuite } from "./engine-harness";

const engine = engineSuite();
const sentIds = () =>
  new Set(engine.mock.received.flatMap((r) => r.events.map((e) => (e as { event_id: string }).event_id)));

/** Skipped attempts the rollups hold for the test destination. */
async function skippedInRollups(): Promise<number> {
  await aggregateRollups();
  const rows = await database().raw.query<{ n: number }>(
    `SELECT coalesce(sum("count"), 0)::int AS n FROM "DeliveryHealthRollup" WHERE "destinationId" = $1 AND "outcome" = 'skipped'`,
    [engine.destinationId],
  );
  return rows[0]!.n;
}

/**
 * Three queued purchases: one this month; one moved to a month two back (another partition), its
 * outbox row following it; one whose row predates the column (no receivedAt: readers fall back to
 * the id alone). Checks first that queueing wrote each event's receivedAt with its row.
 */
async function acrossPartitions() {
  const [thisMonth, earlier, legacy] = (await engine.send(3)) as [string, string, string];
  for (const id of [thisMonth, earlier, legacy]) {
    const d = await engine.statusOf(id);
    const event = await db().event.findFirstOrThrow({ where: { id: d.eventRowId } });
    assert.equal(d.eventReceivedAt?.getTime(), event.receivedAt.getTime(), "written with the outbox row");
  }
  const moved = await engine.statusOf(earlier);
  await database().raw.query(`UPDATE "Event" SET "receivedAt" = "receivedAt" - interval '62 days' WHERE "id" = $1`, [
    moved.eventRowId,
  ]);
  await database().raw.query(
    `UPDATE "Delivery" SET "eventReceivedAt" = "eventReceivedAt" - interval '62 days' WHERE "id" = $1`,
    [moved.id],
  );
  await database().raw.query(`UPDATE "Delivery" SET "eventReceivedAt" = NULL WHERE "id" = $1`, [
    (await engine.statusOf(legacy)).id,
  ]);
  return { thisMonth, earlier, legacy, moved: await engine.statusOf(earlier) };
}

/** The Event partitions a plan names, and those it actually read (EXPLAIN ANALYZE). */
async function eventPartitionsRead(sql: string, params: unknown[]) {
  const plan = (
    await database().raw.query<{ "QUERY PLAN": string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ${sql}`,
      params,
    )
  ).map((r) => r["QUERY PLAN"]);
  const scans = plan.filter((line) => /Scan.* on "?Event_/.test(line));
  return { planned: scans.length, read: scans.filter((line) => !line.includes("never executed")).length, plan };
}

describe("delivery claim", () => {
  test("queued deliveries carry their event's receivedAt; events in other months' partitions are delivered", async () => {
    const { thisMonth, earlier, legacy } = await acrossPartitions();
    engine.clock = Date.now() + 1_000; // the rows are due from their event's arrival
    await runOnce("claim-test", engine.options());
    for (const id of [thisMonth!, earlier!, legacy!]) {
      assert.equal((await engine.statusOf(id)).status, "succeeded", id);
      assert.ok(sentIds().has(id), `${id} sent with its event's data`);
    }
  });

  test("the deliveries log and detail read each event by its full key: one partition; a row without receivedAt still shows its event", async () => {
    const { thisMonth, earlier, legacy, moved } = await acrossPartitions();
    const log = await listDeliveries(
      engine.ws.actors.engineer,
      deliveryListQuerySchema.parse({ destination: engine.destinationId, per_page: 10 }),
    );
    for (const id of [thisMonth, earlier, legacy]) {
      const d = await engine.statusOf(id);
      assert.equal(log.rows.find((r) => r.id === d.id)?.event_id, id, "the log shows the event, not expired");
      const detail = await getDelivery(engine.ws.actors.engineer, d.id);
      assert.deepEqual([detail.event.event_id, detail.event.expired], [id, false]);
    }
    const workspaceId = engine.ws.workspace.id;
    const byKey = await eventPartitionsRead(DELIVERY_EVENTS_SQL, [
      workspaceId,
      [moved.eventRowId],
      [moved.eventReceivedAt!.toISOString()],
    ]);
    assert.ok(byKey.planned > 1, `the event could be in any of several partitions:\n${byKey.plan.join("\n")}`);
    assert.equal(byKey.read, 1, `only its month's partition is read:\n${byKey.plan.join("\n")}`);
    const legacyRow = await engine.statusOf(legacy);
    const byId = await eventPartitionsRead(DELIVERY_EVENTS_SQL, [workspaceId, [legacyRow.eventRowId], [null]]);
    assert.ok(byId.read > 1, `without receivedAt, every partition is probed (the fallback):\n${byId.plan.join("\n")}`);
  });

  test("a claimed row whose event expired is settled as skipped (not reclaimed forever) and counted", async () => {
    const skippedBefore = await skippedInRollups();
    const [kept, expired] = await engine.send(2);
    const doomed = await engine.statusOf(expired!);
    await database().raw.query(`DELETE FROM "Event" WHERE "id" = $1`, [doomed.eventRowId]);
    engine.clock = Date.now() + 1_000;
    await runOnce("claim-test", engine.options());
    engine.clock += 600_000; // past any lease: a row left claimed would be claimed again
    await runOnce("claim-test", engine.options());

    assert.equal((await engine.statusOf(kept!)).status, "succeeded");
    const [settled] = await withDeliveryLog([await db().delivery.findUniqueOrThrow({ where: { id: doomed.id } })]);
    assert.ok(settled);
    assert.equal(settled.status, "skipped");
    assert.equal(settled.leaseUntil, null, "no longer leased");
    assert.match(settled.lastError ?? "", /no longer stored/);
    assert.equal(settled.log.length, 1, "one attempt, however often the worker ran");
    assert.equal(settled.log[0]!.code, "event_expired");
    assert.ok(!sentIds().has(expired!), "nothing sent for it");
    assert.equal(await skippedInRollups(), skippedBefore + 1, "counted once as skipped");
  });
});
