// What each delivery costs the outbox table: the claim's lease writes no index entry (a HOT update
// on the page room fillfactor keeps), and delivering still settles every row once, none lost.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { claimDue, releaseClaims } from "@/lib/delivery/engine/claim";
import { runOnce } from "@/lib/worker/run-once";
import { deliveryOf, type EngineFixture, engineOptions, sendPurchases, setUpEngine } from "./engine-harness";

let fx: EngineFixture;

before(async () => {
  fx = await setUpEngine();
});
after(async () => {
  await fx.mock.close();
  await closeDatabase();
});

/** Runs `work` in a transaction; returns its result, its Delivery row updates and how many were HOT (no index entry). */
async function countingHotUpdates<T>(work: (raw: RawSql) => Promise<T>) {
  return database().transaction(async (raw) => {
    // This transaction's counts (the embedded database may also hold earlier ones not yet reported: the difference).
    const counts = async () =>
      (
        await raw.query<{ updated: number; hot: number }>(
          `SELECT pg_stat_get_xact_tuples_updated('"Delivery"'::regclass)::int AS updated,
                  pg_stat_get_xact_tuples_hot_updated('"Delivery"'::regclass)::int AS hot`,
        )
      )[0]!;
    const before = await counts();
    const result = await work(raw);
    const after = await counts();
    return { result, updated: after.updated - before.updated, hot: after.hot - before.hot };
  });
}

test("claiming a lease is a HOT update (no index of the outbox written); given back, the rows are delivered once", async () => {
  const ids = await sendPurchases(fx.key, 40);
  const soon = new Date(Date.now() + 1_000);
  const claim = await countingHotUpdates((raw) =>
    claimDue({ transaction: (fn) => fn(raw) }, "hot-worker", 100, 30_000, soon),
  );
  assert.ok(claim.result.length >= ids.length);
  assert.equal(claim.updated, claim.result.length);
  // All of them on a quiet database; rows of other test files sharing a page may take some room first.
  assert.ok(
    claim.hot >= 0.9 * claim.updated,
    `leased rows stay on their page without an index entry: ${claim.hot} of ${claim.updated}`,
  );

  // A give-back is HOT too when the page was pruned of the versions before the lease (not guaranteed).
  await releaseClaims(
    database().raw,
    "hot-worker",
    claim.result.map((c) => c.id),
  );

  // Given back, the rows are due again at once and delivered once each.
  for (let i = 0; i < 5 && (await runOnce("hot-worker-2", engineOptions(fx.mock.url))) > 0; i++);
  for (const id of ids) {
    const delivery = await deliveryOf(fx.ws, id);
    assert.equal(delivery.status, "succeeded");
    assert.equal(delivery.log.length, 1);
  }
  assert.deepEqual(fx.mock.resent, []);
  assert.equal(
    await db().delivery.count({
      where: { workspaceId: fx.ws.workspace.id, status: { in: ["pending", "retrying"] } },
    }),
    0,
  );
});
