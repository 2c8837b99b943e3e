// Event.orderKey: the business id (order_id / lead_id) stored at ingest, the migration's backfill
// of older rows, and the trace finding other event_ids of one order through it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { listMigrations } from "@/lib/db/migrate";
import { getTrace } from "@/lib/inspector/trace";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let key: string;
const uid = (p: string) => `${p}_${Math.random().toString(36).slice(2, 9)}`;

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
});
after(() => closeDatabase());

/** The events below, sent once: [event_id, the orderKey ingest should store]. */
async function sendMix(): Promise<[string, string | null][]> {
  const sent: [string, Record<string, unknown>, string | null][] = [
    [uid("pur"), { event: "purchase", properties: { order_id: " ord_9 ", value: 1, currency: "EUR" } }, "ord_9"],
    [uid("lead"), { event: "qualify_lead", properties: { lead_id: "L-7", pipeline_stage: "SQL" } }, "L-7"],
    // No business id by name or requirement: the one present counts, a number as its digits.
    [uid("sign"), { event: "Form Submitted: Signup", properties: { order_id: 9001 } }, "9001"],
    [uid("sign"), { event: "Form Submitted: Signup", properties: { plan: "pro" } }, null],
    // Rejected (value missing) still has its canonical event and so its key.
    [uid("bad"), { event: "purchase", properties: { order_id: "ord_bad", currency: "EUR" } }, "ord_bad"],
    [uid("unm"), { event: "Clicked Something New", properties: { order_id: "ord_x" } }, null],
  ];
  for (const [eventId, body] of sent) {
    const result = await capture(key, { ...body, event_id: eventId, user_id: "u_ok", source: "heap" });
    assert.ok(result.status < 500, JSON.stringify(result.body));
  }
  return sent.map(([eventId, , expected]) => [eventId, expected]);
}

const storedKeys = async (eventIds: string[]) =>
  new Map(
    (
      await db().event.findMany({
        where: { workspaceId: ws.workspace.id, eventId: { in: eventIds } },
        select: { eventId: true, orderKey: true },
      })
    ).map((e) => [e.eventId, e.orderKey]),
  );

describe("Event.orderKey", () => {
  test("ingest stores the business id of events with a canonical event, trimmed, numbers as digits", async () => {
    const expected = await sendMix();
    const stored = await storedKeys(expected.map(([id]) => id));
    assert.deepEqual(
      expected.map(([id]) => [id, stored.get(id)]),
      expected,
    );
  });

  test("the migration's backfill gives older rows the key ingest would have stored", async () => {
    const expected = await sendMix();
    const ids = expected.map(([id]) => id);
    await db().event.updateMany({ where: { workspaceId: ws.workspace.id }, data: { orderKey: null } });
    const migration = (await listMigrations()).find((m) => m.name.endsWith("_event_order_key"))!;
    const backfill = migration.sql.split(";").find((s) => s.includes(`UPDATE "Event"`))!;
    await database().raw.exec(backfill);
    const stored = await storedKeys(ids);
    assert.deepEqual(
      ids.map((id) => [id, stored.get(id)]),
      expected,
    );
  });

  test("the trace finds the other event_ids of one order by its key, whatever stray spaces it came with", async () => {
    const [first, second] = [uid("order_a"), uid("order_b")];
    for (const [eventId, orderId] of [
      [first, "ord_same"],
      [second, " ord_same"],
    ])
      await capture(key, {
        event: "purchase",
        event_id: eventId,
        user_id: "u_ok",
        source: "heap",
        properties: { order_id: orderId, value: 3, currency: "EUR" },
      });
    const trace = await getTrace(ws.actors.viewer, first!);
    assert.deepEqual(trace.stages.dedup.business_id_event_ids, [second]);
    const other = await getTrace(ws.actors.viewer, second!);
    assert.deepEqual(other.stages.dedup.business_id_event_ids, [first]);
  });
});

test("the orderKey index leaves out events without a key", async () => {
  const [index] = await database().raw.query<{ def: string }>(
    `SELECT indexdef AS "def" FROM pg_indexes WHERE indexname = 'Event_workspaceId_orderKey_idx'`,
  );
  assert.match(index?.def ?? "", /\("workspaceId", "orderKey"\) WHERE \("orderKey" IS NOT NULL\)/);
});
