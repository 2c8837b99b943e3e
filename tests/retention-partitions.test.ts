// Month partitions of events and payloads on a controlled clock: created ahead, stray rows moved out of
// DEFAULT, a month dropped once past the longest retention (payload months on their own); the lock;
// a drop that would queue inserts behind a long reader is postponed instead.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import pg from "pg";
import { database, db } from "@/lib/db";
import { releaseLease, takeLease } from "@/lib/db/job-lease";
import { getEvent } from "@/lib/events/get-event";
import { EXPIRED_PAYLOAD } from "@/lib/events/payloads";
import { monthPartitions, monthsBefore } from "@/lib/retention/partitions";
import { postponementNotices } from "@/lib/retention/postponed";
import { runRetention } from "@/lib/retention/run";
import { captureAt, storedEvent } from "./ingest-helpers";
import { DAY, purchase, relationExists, retentionSuite } from "./retention-helpers";

const suite = retentionSuite();

describe("partitions", () => {
  test("months ahead are created, stray rows leave DEFAULT, and a month is dropped once past the longest retention", async () => {
    const body = purchase();
    // No partition covers January 2020: the event lands in DEFAULT.
    assert.equal((await captureAt(suite.key, body, "2020-01-15T12:00:00.000Z")).status, 202);
    const clock = new Date("2021-01-20T00:00:00.000Z");
    const run = await runRetention({ now: clock });
    assert.ok(run);
    for (const name of [
      "Event_y2020m01",
      "EventDedup_y2020m01",
      "Event_y2021m01",
      "Event_y2021m04",
      "EventDedup_y2021m04",
      "EventPayload_y2021m04",
    ])
      assert.ok(
        (await monthPartitions(database().raw, name.slice(0, name.indexOf("_y")))).some((p) => p.name === name),
        `${name} exists`,
      );
    const inDefault = await database().raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Event_default" WHERE "workspaceId" = $1`,
      [suite.ws.workspace.id],
    );
    assert.equal(inDefault[0]!.n, 0, "the row moved to its month");
    assert.equal(await db().event.count({ where: { workspaceId: suite.ws.workspace.id, eventId: body.event_id } }), 1);

    // January 2020 ends 2020-02-01: it goes once that is more than the longest retention ago.
    const dropAt = monthsBefore(new Date("2020-02-01T00:00:00.000Z"), -run.longestMonths);
    const early = await runRetention({ now: new Date(dropAt.getTime() - 60_000) });
    assert.ok(!early?.dropped.includes("Event_y2020m01"), "kept a minute before");
    const late = await runRetention({ now: new Date(dropAt.getTime() + 60_000) });
    assert.ok(late?.dropped.includes("Event_y2020m01"));
    assert.ok(late?.dropped.includes("EventDedup_y2020m01"));
    assert.equal(await relationExists("EventPayload_y2020m01"), false, "its payloads went no later than it");
    assert.equal(await db().event.count({ where: { workspaceId: suite.ws.workspace.id, eventId: body.event_id } }), 0);
  });

  test("a payload month is dropped once every workspace's payload retention has passed its end; the events stay", async () => {
    const body = purchase();
    // No partition covers March 2019: the event and its payload land in DEFAULT.
    assert.equal((await captureAt(suite.key, body, "2019-03-10T12:00:00.000Z")).status, 202);
    const first = await runRetention({ now: new Date("2019-03-20T00:00:00.000Z") });
    assert.ok(first);
    assert.ok(await relationExists("EventPayload_y2019m03"), "the payload month was made and filled");
    const row = await storedEvent(suite.ws.workspace.id, body.event_id);
    assert.deepEqual(row.payload, body);
    const inDefault = await database().raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "EventPayload_default" WHERE "eventRowId" = $1`,
      [row.id],
    );
    assert.equal(inDefault[0]!.n, 0, "the payload moved to its month");

    // March 2019 ends 2019-04-01: its payloads go once that is the longest payload retention ago.
    const dropAt = new Date(Date.parse("2019-04-01T00:00:00.000Z") + first.longestPayloadsDays * DAY);
    const early = await runRetention({ now: new Date(dropAt.getTime() - 60_000) });
    assert.ok(!early?.dropped.includes("EventPayload_y2019m03"), "kept a minute before");
    assert.deepEqual((await getEvent(suite.ws.actors.admin, row.id)).payload, body);
    const late = await runRetention({ now: new Date(dropAt.getTime() + 60_000) });
    assert.ok(late?.dropped.includes("EventPayload_y2019m03"));
    assert.equal(await relationExists("EventPayload_y2019m03"), false, "the partition and its disk are gone");
    assert.ok(await relationExists("Event_y2019m03"), "the events' month stays");
    const detail = await getEvent(suite.ws.actors.admin, row.id);
    assert.equal(detail.event_id, body.event_id, "the event row is intact");
    assert.deepEqual(detail.properties, body.properties);
    assert.deepEqual(detail.payload, EXPIRED_PAYLOAD, "the detail says the payload expired");
  });

  test("while another replica runs it (holding its lease), a run does nothing; once given back, it runs", async () => {
    const raw = database().raw;
    assert.equal(await takeLease(raw, "retention", 60_000, "another-replica"), true);
    try {
      assert.equal(await runRetention(), null);
    } finally {
      await releaseLease(raw, "retention", "another-replica");
    }
    assert.ok(await runRetention());
  });

  test("the worker's line for postponed partition changes counts the runs each has waited, and is quiet once they are done", () => {
    const notice = postponementNotices();
    assert.equal(notice({ postponed: [] }), null);
    assert.match(
      notice({ postponed: ["Event_y2018m05", "HttpExchange_d20180501"] })!,
      /: Event_y2018m05, HttpExchange_d20180501\. /,
    );
    assert.equal(notice(null), null, "another replica ran retention: nothing to say, streaks kept");
    assert.match(notice({ postponed: ["Event_y2018m05"] })!, /: Event_y2018m05 \(2 runs in a row\)\. /);
    assert.equal(notice({ postponed: [] }), null, "done");
    assert.match(notice({ postponed: ["Event_y2018m05"] })!, /: Event_y2018m05\. /, "a new streak starts at one");
  });

  test("a month drop that would wait behind a long reader (and queue every insert behind it) is postponed to the next run", {
    skip: database().mode === "embedded" ? "one embedded connection" : false,
  }, async () => {
    assert.equal((await captureAt(suite.key, purchase(), "2018-05-15T12:00:00.000Z")).status, 202);
    const first = await runRetention({ now: new Date("2018-05-20T00:00:00.000Z") });
    assert.ok(await relationExists("Event_y2018m05"));
    const dropAt = new Date(
      monthsBefore(new Date("2018-06-01T00:00:00.000Z"), -first!.longestMonths).getTime() + 60_000,
    );
    const reader = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await reader.connect();
    let readerOpen = true;
    try {
      // A report reading events, its transaction open: it holds a share lock on Event and its partitions.
      await reader.query("BEGIN");
      await reader.query(`SELECT count(*) FROM "Event" WHERE "workspaceId" = $1`, [suite.ws.workspace.id]);
      // Without a lock timeout the drop would wait for the reader: the guard ends the reader after 20 s.
      const guard = setTimeout(() => {
        readerOpen = false;
        void reader.query("COMMIT");
      }, 20_000);
      const run = await runRetention({ now: dropAt, lockTimeoutMs: 200 });
      const finishedWhileReaderOpen = readerOpen;
      clearTimeout(guard);
      assert.equal(finishedWhileReaderOpen, true, "the run did not wait for the reader");
      assert.ok(run?.postponed.includes("Event_y2018m05"), JSON.stringify(run?.postponed));
      assert.ok(!run?.dropped.includes("Event_y2018m05"));
      assert.ok(await relationExists("Event_y2018m05"), "still there");
      const notice = postponementNotices();
      assert.match(notice(run)!, /postponed to the next run: .*Event_y2018m05[,.]/, "the worker logs it");
      assert.match(notice(run)!, /Event_y2018m05 \(2 runs in a row\)/);
      if (readerOpen) await reader.query("COMMIT");
      readerOpen = false;
    } finally {
      await reader.end();
    }
    const next = await runRetention({ now: dropAt, lockTimeoutMs: 200 });
    assert.ok(next?.dropped.includes("Event_y2018m05"), "dropped on the next run");
    assert.equal(await relationExists("Event_y2018m05"), false);
  });
});
