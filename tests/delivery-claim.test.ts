// The claim reads each outbox row's event by its full key (id, receivedAt: Event is partitioned by
// month), and a claimed row with nothing left to send is settled as skipped, not left leased.
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import type { WorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { deliveryOf, engineOptions, sendPurchases, setUpEngine } from "./engine-harness";
import type { TestWorkspace } from "./helpers";
import type { MockPlatform } from "./mock-platform";

let ws: TestWorkspace;
let key: string;
let mock: MockPlatform;
let destinationId: string;
let clock = Date.now();

const options = (over: Partial<WorkerOptions> = {}) => engineOptions(mock.url, { now: () => new Date(clock), ...over });
const sentIds = () => new Set(mock.received.flatMap((r) => r.events.map((e) => (e as { event_id: string }).event_id)));

before(async () => {
  ({ ws, key, mock, destinationId } = await setUpEngine());
});
beforeEach(async () => {
  mock.faults = [];
  await db().delivery.updateMany({
    where: { workspaceId: ws.workspace.id, status: { in: ["pending", "retrying"] } },
    data: { status: "dead" },
  });
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

/** Skipped attempts the rollups hold for the test destination. */
async function skippedInRollups(): Promise<number> {
  await aggregateRollups();
  const rows = await database().raw.query<{ n: number }>(
    `SELECT coalesce(sum("count"), 0)::int AS n FROM "DeliveryHealthRollup" WHERE "destinationId" = $1 AND "outcome" = 'skipped'`,
    [destinationId],
  );
  return rows[0]!.n;
}

describe("delivery claim", () => {
  test("queued deliveries carry their event's receivedAt; events in other months' partitions are delivered", async () => {
    const [thisMonth, earlier, legacy] = await sendPurchases(key, 3);
    for (const id of [thisMonth!, earlier!, legacy!]) {
      const d = await deliveryOf(ws, id);
      const event = await db().event.findFirstOrThrow({ where: { id: d.eventRowId } });
      assert.equal(d.eventReceivedAt?.getTime(), event.receivedAt.getTime(), "written with the outbox row");
    }
    // One event moved to a month two back (another partition), its outbox row following it; one
    // row from before the column existed (no receivedAt): the claim falls back to the id alone.
    const moved = await deliveryOf(ws, earlier!);
    await database().raw.query(`UPDATE "Event" SET "receivedAt" = "receivedAt" - interval '62 days' WHERE "id" = $1`, [
      moved.eventRowId,
    ]);
    await database().raw.query(
      `UPDATE "Delivery" SET "eventReceivedAt" = "eventReceivedAt" - interval '62 days' WHERE "id" = $1`,
      [moved.id],
    );
    await database().raw.query(`UPDATE "Delivery" SET "eventReceivedAt" = NULL WHERE "id" = $1`, [
      (await deliveryOf(ws, legacy!)).id,
    ]);
    clock = Date.now() + 1_000; // the rows are due from their event's arrival
    await runOnce("claim-test", options());
    for (const id of [thisMonth!, earlier!, legacy!]) {
      assert.equal((await deliveryOf(ws, id)).status, "succeeded", id);
      assert.ok(sentIds().has(id), `${id} sent with its event's data`);
    }
  });

  test("a claimed row whose event expired is settled as skipped (not reclaimed forever) and counted", async () => {
    const skippedBefore = await skippedInRollups();
    const [kept, expired] = await sendPurchases(key, 2);
    const doomed = await deliveryOf(ws, expired!);
    await database().raw.query(`DELETE FROM "Event" WHERE "id" = $1`, [doomed.eventRowId]);
    clock = Date.now() + 1_000;
    await runOnce("claim-test", options());
    clock += 600_000; // past any lease: a row left claimed would be claimed again
    await runOnce("claim-test", options());

    assert.equal((await deliveryOf(ws, kept!)).status, "succeeded");
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
