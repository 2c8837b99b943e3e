// The claim and the deliveries log read each outbox row's event by its full key (id, receivedAt:
// Event is partitioned by month), and a claimed row with nothing left to send is settled as
// skipped, not left leased.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { database, db } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { ORDERED_CLAIM_SETTINGS } from "@/lib/db/ordered-claim";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import { DELIVERY_EVENTS_SQL, getDelivery, listDeliveries } from "@/lib/delivery/deliveries";
import { CLAIM_DUE_SQL, claimDue } from "@/lib/delivery/engine/claim";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { deliveryListQuerySchema } from "@/lib/validations/delivery";
import { runOnce } from "@/lib/worker/run-once";
import { engineSuite } from "./engine-harness";
import { claimPlan, nodesOf, type PlanNode, rowsRead } from "./plan-nodes";

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

/**
 * The claim's executed plan as a worker's connection keeps it (a generic plan), made while the
 * statistics said the outbox was empty and then run on 2,000 due rows; all rolled back.
 */
async function claimPlanOnStaleStatistics(): Promise<PlanNode> {
  let plan: PlanNode | undefined;
  await database()
    .transaction(async (raw: RawSql) => {
      await raw.exec(`DELETE FROM "Delivery"; ANALYZE "Delivery"`);
      await queueDue(raw, 2000);
      await raw.exec(
        `${ORDERED_CLAIM_SETTINGS}; SET LOCAL plan_cache_mode = force_generic_plan; PREPARE stale_claim AS ${CLAIM_DUE_SQL}`,
      );
      try {
        const [row] = await raw.query<{ "QUERY PLAN": [{ Plan: PlanNode }] }>(
          `EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE stale_claim('2026-02-01 00:05', 'stale-worker', '2026-02-01', 500, '{}')`,
        );
        plan = row!["QUERY PLAN"][0].Plan;
      } finally {
        await raw.exec("DEALLOCATE stale_claim");
      }
      throw new Error("roll back");
    })
    .catch((e: Error) => assert.equal(e.message, "roll back"));
  // The statistics the rollback could not take back (an ANALYZE writes them in place).
  await database().raw.exec(`ANALYZE "Delivery"`);
  return plan!;
}

/** Rows of the outbox that sequential scans read so far in this transaction. */
const outboxRowsScanned = async (raw: RawSql) =>
  (
    await raw.query<{ n: number }>(
      `SELECT seq_tup_read::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'Delivery'`,
    )
  )[0]!.n;

/** `count` rows due since 2026-01-01, queued for the test destination (or settled, with `status`). */
const queueDue = (raw: RawSql, count: number, status = "pending") =>
  raw.query(
    `INSERT INTO "Delivery" ("id","workspaceId","eventRowId","destinationId","status","nextAttemptAt","createdAt","updatedAt")
     SELECT $4 || '_' || g, $1, $4 || '_event_' || g, $2, $4::"DeliveryStatus", timestamp '2026-01-01', timestamp '2026-01-01', timestamp '2026-01-01'
     FROM generate_series(1, $3::int) g`,
    [engine.ws.workspace.id, engine.destinationId, count, status],
  );

describe("delivery claim", () => {
  test("a claim planned while the outbox looked empty still touches each claimed row once, by its id", async () => {
    const plan = await claimPlanOnStaleStatistics();
    const claimed = nodesOf(plan).find((n) => n["Node Type"] === "ModifyTable");
    assert.ok(claimed, "the claim leases the rows it takes");
    const scans = nodesOf(plan).filter((n) => n["Relation Name"] === "Delivery" && n["Node Type"] !== "ModifyTable");
    assert.deepEqual(
      scans.filter((n) => n["Node Type"] === "Seq Scan"),
      [],
      "no scan of the whole outbox",
    );
    for (const scan of scans)
      assert.ok(
        scan["Actual Loops"] <= 2, // the due queue is read once per due status
        `${scan["Node Type"]} of Delivery ran ${scan["Actual Loops"]} times (once per due row, each time with the whole id list)`,
      );
  });

  test("an idle worker's claims on an empty outbox do not leave it a plan that reads the whole outbox once a burst arrives", async () => {
    const claimAt = new Date("2026-02-01T00:00:00Z");
    let claimed = 0;
    let scanned = 0;
    await database()
      .transaction(async (raw: RawSql) => {
        await raw.exec(`TRUNCATE "Delivery"; ANALYZE "Delivery"`); // rolled back with the rest
        const inTransaction = { transaction: <T>(fn: (r: RawSql) => Promise<T>) => fn(raw) };
        // Idle polls, enough for a named statement to settle on a generic plan.
        for (let i = 0; i < 8; i++)
          assert.equal((await claimDue(inTransaction, "idle-worker", 500, 60_000, claimAt)).length, 0);
        await queueDue(raw, 20_000);
        const before = await outboxRowsScanned(raw);
        claimed = (await claimDue(inTransaction, "idle-worker", 500, 60_000, claimAt)).length;
        scanned = (await outboxRowsScanned(raw)) - before;
        throw new Error("roll back");
      })
      .catch((e: Error) => assert.equal(e.message, "roll back"));
    await database().raw.exec(`ANALYZE "Delivery"`);
    assert.equal(claimed, 500);
    assert.ok(scanned <= 1_000, `the claim read ${scanned} outbox rows by sequential scan to take 500`);
  });

  test("a burst after a quiet spell (statistics of a settled outbox) is claimed oldest first from the due-queue index, reading no more rows than it takes", async () => {
    const plan = await claimPlan(
      "Delivery",
      async (raw) => {
        await raw.exec(`DELETE FROM "Delivery"`);
        await queueDue(raw, 20_000, "succeeded");
        await raw.exec(`ANALYZE "Delivery"`); // pending rows look rare
        await queueDue(raw, 20_000);
      },
      CLAIM_DUE_SQL,
      ["2026-02-01 00:05", "burst-worker", "2026-02-01", 500, []],
    );
    const claimed = nodesOf(plan).find((n) => n["Node Type"] === "ModifyTable");
    assert.equal(claimed?.["Actual Rows"], 500, "it leases 500 rows");
    const read = rowsRead(plan, "Delivery", "Delivery_pkey");
    assert.ok(read.rows <= 1_000, `the due scans read ${read.rows} outbox rows to take 500 (${read.scans})`);
  });

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
