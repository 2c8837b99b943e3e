// The delivery log's day partitions on a controlled clock: days created ahead, rows that landed in
// DEFAULT moved into their day, a day dropped a minute after the longest delivery-log retention has
// passed its end; a workspace keeping its log shorter deletes its own rows; the delivery detail reads
// attempts and exchanges by key, and tolerates an exchange that is gone.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { getDelivery } from "@/lib/delivery/deliveries";
import { recordOutcomes } from "@/lib/delivery/engine/record";
import { timeOrderedId } from "@/lib/ids";
import { runRetention } from "@/lib/retention/run";
import { updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { DAY, relationExists } from "./retention-helpers";

const LOG_TABLES = ["HttpExchange", "DeliveryAttempt", "TraitSyncAttempt", "AudienceDeliveryAttempt"];

let ws: TestWorkspace;
before(async () => {
  ws = await createTestWorkspace();
});
after(() => closeDatabase());

/** A delivery sent once at `at` through the engine's own writer: its exchange and attempt carry `at`. */
async function sentDelivery(w: TestWorkspace, at: Date) {
  const destination = await db().destination.create({
    data: {
      workspaceId: w.workspace.id,
      type: "webhook",
      name: `hook ${timeOrderedId()}`,
      config: { url: "https://hook.example/x" },
    },
  });
  const delivery = await db().delivery.create({
    data: {
      id: timeOrderedId(),
      workspaceId: w.workspace.id,
      eventRowId: `ev_${timeOrderedId()}`,
      destinationId: destination.id,
      createdAt: at,
    },
  });
  await recordOutcomes(
    {
      destinationId: destination.id,
      method: "POST",
      request: { url: "https://hook.example/x", headers: {}, body: { order_id: "ord_1" } },
      answer: { status: 200, headers: {}, body: { ok: true } },
      latencyMs: 7,
    },
    [
      {
        deliveryId: delivery.id,
        attempt: 1,
        outcome: "success",
        reason: "accepted",
        status: "succeeded",
        nextAttemptAt: null,
      },
    ],
    at,
  );
  return { delivery, destination };
}

const inDefault = async (table: string, column: string, id: string) =>
  (
    await database().raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${table}_default" WHERE "${column}" = $1`,
      [id],
    )
  )[0]!.n;

describe("delivery log partitions", () => {
  test("days are made ahead, DEFAULT rows move to their day, and a day goes a minute after the longest retention passes its end", async () => {
    // No partition covers 10 May 2018: the exchange and the attempt land in DEFAULT.
    const sentAt = new Date("2018-05-10T12:00:00.000Z");
    const { delivery, destination } = await sentDelivery(ws, sentAt);
    assert.equal(await inDefault("DeliveryAttempt", "deliveryId", delivery.id), 1);
    assert.equal(await inDefault("HttpExchange", "destinationId", destination.id), 1);

    const run = await runRetention({ now: new Date("2018-05-12T08:00:00.000Z") });
    assert.ok(run);
    for (const table of LOG_TABLES)
      for (const day of ["2018-05-12", "2018-05-19"])
        assert.ok(
          await relationExists(`${table}_y${day.slice(0, 4)}m${day.slice(5, 7)}d${day.slice(8)}`),
          `${table} ${day}`,
        );
    assert.ok(run.created.includes("HttpExchange_y2018m05d10"), "the stray day got its partition");
    assert.equal(await inDefault("DeliveryAttempt", "deliveryId", delivery.id), 0, "the attempt moved to its day");
    assert.equal(await inDefault("HttpExchange", "destinationId", destination.id), 0, "the exchange moved to its day");
    const shown = await getDelivery(ws.actors.engineer, delivery.id);
    assert.deepEqual(
      shown.log.map((a) => [a.outcome, a.at, a.request.url, a.response.status, a.latency_ms]),
      [["success", sentAt.toISOString(), "https://hook.example/x", 200, 7]],
      "the detail shows the attempt with its exchange",
    );

    // 10 May 2018 ends 11 May 00:00: it goes once that is the longest delivery-log retention ago.
    const dropAt = Date.parse("2018-05-11T00:00:00.000Z") + run.longestDeliveryLogDays * DAY;
    const early = await runRetention({ now: new Date(dropAt - 60_000) });
    for (const table of LOG_TABLES.slice(0, 2)) {
      assert.ok(!early?.dropped.includes(`${table}_y2018m05d10`));
      assert.ok(await relationExists(`${table}_y2018m05d10`), `${table}'s day is there a minute before`);
    }
    assert.ok(await relationExists("HttpExchange_y2018m05d12"));
    const late = await runRetention({ now: new Date(dropAt + 60_000) });
    for (const table of LOG_TABLES.slice(0, 2)) {
      assert.ok(late?.dropped.includes(`${table}_y2018m05d10`));
      assert.equal(await relationExists(`${table}_y2018m05d10`), false, `${table}'s day is gone a minute after`);
    }
    assert.ok(await relationExists("HttpExchange_y2018m05d12"), "the next day stays");
    assert.equal(await db().deliveryAttempt.count({ where: { deliveryId: delivery.id } }), 0);
  });

  test("a workspace keeping its log shorter deletes its own rows; another's of the same age stay", async () => {
    const short = await createTestWorkspace();
    await updateWorkspace(short.actors.admin, { retention: { delivery_logs_days: 2, dead_letters_days: 2 } });
    const now = new Date();
    const at = new Date(now.getTime() - 5 * DAY);
    const mine = await sentDelivery(short, at);
    const theirs = await sentDelivery(ws, at);

    const run = await runRetention({ now });
    assert.ok(run);
    assert.ok(run.longestDeliveryLogDays > 2);
    assert.equal(run.expired[short.workspace.id]?.deliveryLogs, 1);
    assert.equal(await db().delivery.count({ where: { id: mine.delivery.id } }), 0);
    assert.equal(await db().deliveryAttempt.count({ where: { deliveryId: mine.delivery.id } }), 0, "its attempt went");
    assert.equal(
      await db().httpExchange.count({ where: { destinationId: mine.destination.id } }),
      0,
      "its exchange went",
    );

    const kept = await getDelivery(ws.actors.engineer, theirs.delivery.id);
    assert.deepEqual(
      kept.log.map((a) => [a.outcome, a.response.status]),
      [["success", 200]],
      "another workspace keeps its log till the day goes",
    );
    // An exchange that is gone (its destination deleted, say) leaves the attempt shown without it.
    await db().httpExchange.deleteMany({ where: { destinationId: theirs.destination.id } });
    const bare = await getDelivery(ws.actors.engineer, theirs.delivery.id);
    assert.deepEqual(
      bare.log.map((a) => [a.outcome, a.request.url, a.response.status]),
      [["success", "", null]],
    );
  });
});
