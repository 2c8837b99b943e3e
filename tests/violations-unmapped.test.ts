// The dashboard's reads of ingested data — violations per mapping and unmapped groups (both from
// the rollups) — against a real database, with rows inserted directly.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { listEvents } from "@/lib/events/list-events";
import { EXPIRED_PAYLOAD } from "@/lib/events/payloads";
import { listUnmapped } from "@/lib/events/unmapped";
import { getMappingViolations, listViolations } from "@/lib/events/violations";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { eventListQuerySchema, unmappedQuerySchema } from "@/lib/validations/events";
import { ago, DAY, HOUR, insertEvent, MIN, refs } from "./event-fixtures";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

after(() => closeDatabase());

const _events = (ws: TestWorkspace, query: Record<string, unknown> = {}) =>
  listEvents(ws.actors.viewer, eventListQuerySchema.parse(query));

describe("violations per mapping", () => {
  let ws: TestWorkspace;
  let other: TestWorkspace;

  before(async () => {
    ws = await createTestWorkspace();
    other = await createTestWorkspace();
    const r = await refs(ws);
    const checkout = {
      status: "rejected" as const,
      sourceId: r.source("heap"),
      sourceEvent: "Checkout Started",
      mappingId: r.mapping("Checkout Started"),
    };
    for (const [age, n] of [
      [30 * MIN, 1],
      [5 * HOUR, 2],
      [3 * DAY, 3],
      [10 * DAY, 4],
    ] as const) {
      await insertEvent(ws, {
        ...checkout,
        eventId: `co_${n}`,
        receivedAt: ago(age),
        problems: [{ path: "properties.value", message: `missing ${n}` }],
        payload: { event: "Checkout Started", n },
      });
    }
    await insertEvent(ws, {
      status: "rejected",
      sourceEvent: "Order Completed",
      mappingId: r.mapping("Order Completed"),
      receivedAt: ago(10 * DAY),
    });
    await insertEvent(ws, {
      status: "accepted",
      sourceEvent: "Checkout Started",
      mappingId: r.mapping("Checkout Started"),
      receivedAt: ago(MIN),
    });
    const o = await refs(other);
    await insertEvent(other, {
      status: "rejected",
      sourceEvent: "Checkout Started",
      mappingId: o.mapping("Checkout Started"),
      receivedAt: ago(MIN),
    });
    // Totals, label search, unmapped groups and violations read what the aggregator counted.
    await aggregateRollups();
  });

  test("counts rejected events over 1 h, 24 h and 7 d with the latest sample", async () => {
    const { rows } = await listViolations(ws.actors.viewer);
    assert.equal(rows.length, 1, "only mappings with violations in the last 7 days");
    const row = rows[0]!;
    assert.equal(row.source_event, "Checkout Started");
    assert.equal(row.canonical_event, "begin_checkout");
    assert.deepEqual(row.counts, { last_1h: 1, last_24h: 2, last_7d: 3 });
    assert.equal(row.latest?.event_id, "co_1");
    assert.deepEqual(row.latest?.problems, [{ path: "properties.value", message: "missing 1" }]);
    assert.deepEqual(row.latest?.payload, { event: "Checkout Started", n: 1 });
  });

  test("one mapping's panel: counts, and the latest sample at any age", async () => {
    const r = await refs(ws);
    const checkout = await getMappingViolations(ws.actors.viewer, r.mapping("Checkout Started"));
    assert.deepEqual(checkout.counts, { last_1h: 1, last_24h: 2, last_7d: 3 });
    const old = await getMappingViolations(ws.actors.viewer, r.mapping("Order Completed"));
    assert.deepEqual(old.counts, { last_1h: 0, last_24h: 0, last_7d: 0 });
    assert.ok(old.latest);
    const none = await getMappingViolations(ws.actors.viewer, r.mapping("Form Submitted: Signup"));
    assert.equal(none.latest, null);
    const theirs = await getMappingViolations(other.actors.viewer, r.mapping("Checkout Started"));
    assert.deepEqual(theirs, { counts: { last_1h: 0, last_24h: 0, last_7d: 0 }, latest: null });
  });
});

describe("unmapped source events", () => {
  let ws: TestWorkspace;

  before(async () => {
    ws = await createTestWorkspace();
    const r = await refs(ws);
    const heap = r.source("heap");
    for (const [age, n] of [
      [3 * DAY, 1],
      [2 * DAY, 2],
      [HOUR, 3],
    ] as const) {
      await insertEvent(ws, {
        status: "unmapped",
        sourceId: heap,
        sourceEvent: "Clicked Pricing Toggle",
        eventId: `toggle_${n}`,
        receivedAt: ago(age),
        payload: { n },
      });
    }
    await insertEvent(ws, {
      status: "unmapped",
      sourceId: r.source("backend"),
      sourceEvent: "Clicked Pricing Toggle",
      kind: "track",
      receivedAt: ago(2 * HOUR),
    });
    await insertEvent(ws, {
      status: "unmapped",
      sourceId: heap,
      sourceEvent: "Viewed Pricing",
      kind: "page",
      receivedAt: ago(MIN),
    });
    await insertEvent(ws, {
      status: "accepted",
      sourceId: heap,
      sourceEvent: "Checkout Started",
      receivedAt: ago(MIN),
    });
    await insertEvent(ws, {
      status: "unmapped",
      sourceId: heap,
      sourceEvent: "Order Completed",
      receivedAt: ago(5 * DAY),
    });
    await db().mapping.create({
      data: {
        workspaceId: ws.workspace.id,
        sourceId: heap,
        sourceEvent: "Retired Label",
        status: "deprecated",
        liveKey: null,
      },
    });
    await insertEvent(ws, {
      status: "unmapped",
      sourceId: heap,
      sourceEvent: "Retired Label",
      receivedAt: ago(6 * DAY),
      // Its payload row is gone (payload retention): the sample says so.
      payload: null,
    });
    // Totals, label search, unmapped groups and violations read what the aggregator counted.
    await aggregateRollups();
  });

  const unmapped = (query: Record<string, unknown> = {}) =>
    listUnmapped(ws.actors.viewer, unmappedQuerySchema.parse(query));

  test("groups capture and track calls by source and source event, last seen first", async () => {
    const result = await unmapped();
    assert.equal(result.total, 4);
    assert.deepEqual(
      result.rows.map((g) => `${g.source}/${g.source_event}`),
      ["heap/Clicked Pricing Toggle", "backend/Clicked Pricing Toggle", "heap/Order Completed", "heap/Retired Label"],
    );
    const toggle = result.rows[0]!;
    assert.equal(toggle.count, 3);
    assert.equal(new Date(toggle.first_seen).getTime() < new Date(toggle.last_seen).getTime(), true);
    assert.ok(Math.abs(new Date(toggle.first_seen).getTime() - ago(3 * DAY).getTime()) < MIN);
    assert.ok(Math.abs(new Date(toggle.last_seen).getTime() - ago(HOUR).getTime()) < MIN);
    assert.equal(toggle.sample?.event_id, "toggle_3");
    assert.deepEqual(toggle.sample?.payload, { n: 3 });
    assert.equal(toggle.live_mapping, null);
    assert.deepEqual(result.rows[3]!.sample?.payload, EXPIRED_PAYLOAD, "an expired payload reads as expired");
  });

  test("marks groups that got a live mapping since; a deprecated one does not count", async () => {
    const r = await refs(ws);
    const { rows } = await unmapped();
    assert.deepEqual(rows.find((g) => g.source_event === "Order Completed")?.live_mapping, {
      id: r.mapping("Order Completed"),
      status: "approved",
    });
    assert.equal(rows.find((g) => g.source_event === "Retired Label")?.live_mapping, null);
  });

  test("filters by source and search, and pages", async () => {
    assert.deepEqual(
      (await unmapped({ source: "backend" })).rows.map((g) => g.count),
      [1],
    );
    assert.equal((await unmapped({ q: "pricing" })).total, 2);
    const page2 = await unmapped({ per_page: 3, page: 2 });
    assert.equal(page2.total, 4);
    assert.deepEqual(
      page2.rows.map((g) => g.source_event),
      ["Retired Label"],
    );
  });
});
