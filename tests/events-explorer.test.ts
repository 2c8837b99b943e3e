// The dashboard's events explorer (list, filters, search, paging, detail) against a real
// database, with rows inserted directly.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { getEvent } from "@/lib/events/get-event";
import { listEvents } from "@/lib/events/list-events";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { eventListQuerySchema } from "@/lib/validations/events";
import { ago, HOUR, insertEvent, MIN, refs } from "./event-fixtures";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

after(() => closeDatabase());

const events = (ws: TestWorkspace, query: Record<string, unknown> = {}) =>
  listEvents(ws.actors.viewer, eventListQuerySchema.parse(query));

describe("events explorer", () => {
  let ws: TestWorkspace;
  let other: TestWorkspace;
  const ids = {} as Record<"purchase" | "rejected" | "unmapped" | "conflict" | "anonymous", string>;

  before(async () => {
    ws = await createTestWorkspace();
    other = await createTestWorkspace();
    const r = await refs(ws);
    const purchase = {
      sourceId: r.source("heap"),
      sourceEvent: "Order Completed",
      canonicalEventId: r.canonical("purchase"),
      mappingId: r.mapping("Order Completed"),
    };
    ids.purchase = await insertEvent(ws, {
      ...purchase,
      status: "accepted",
      eventId: "ord_1_purchase",
      dedupKey: "ord_1_purchase",
      userId: "cust_1",
      anonymousId: "anon_1",
      resolvedUserId: "cust_1",
      properties: { order_id: "ord_1", value: 10, currency: "EUR" },
      receivedAt: ago(5 * HOUR),
    });
    ids.rejected = await insertEvent(ws, {
      ...purchase,
      status: "rejected",
      eventId: "ord_2_purchase",
      anonymousId: "anon_2",
      problems: [{ path: "properties.order_id", message: "is required" }],
      receivedAt: ago(4 * HOUR),
    });
    ids.unmapped = await insertEvent(ws, {
      status: "unmapped",
      sourceId: r.source("backend"),
      sourceEvent: "Clicked Something",
      eventId: "click_1",
      userId: "cust_2",
      receivedAt: ago(3 * HOUR),
    });
    ids.conflict = await insertEvent(ws, {
      ...purchase,
      status: "duplicate_conflict",
      eventId: "ord_1_purchase",
      userId: "cust_1",
      resolvedUserId: "cust_1",
      originalId: ids.purchase,
      receivedAt: ago(2 * HOUR),
    });
    ids.anonymous = await insertEvent(ws, {
      status: "accepted",
      kind: "page",
      sourceId: r.source("heap"),
      sourceEvent: "Pricing",
      eventId: "page_1",
      anonymousId: "anon_1",
      resolvedUserId: "cust_1",
      receivedAt: ago(1 * HOUR),
    });
    const meta = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "meta" } });
    await db().delivery.create({
      data: {
        id: randomUUID(),
        workspaceId: ws.workspace.id,
        eventRowId: ids.purchase,
        destinationId: meta.id,
        status: "succeeded",
        attempts: 1,
      },
    });
    await insertEvent(other, {
      status: "accepted",
      sourceEvent: "Order Completed",
      eventId: "ord_1_purchase",
      userId: "cust_1",
      receivedAt: ago(30 * MIN),
    });
    // Totals, label search, unmapped groups and violations read what the aggregator counted.
    await aggregateRollups();
  });

  test("lists the workspace's events newest first, never another workspace's", async () => {
    const result = await events(ws);
    assert.equal(result.total_estimate, 5);
    assert.deepEqual(
      result.rows.map((r) => r.id),
      [ids.anonymous, ids.conflict, ids.unmapped, ids.rejected, ids.purchase],
    );
    const first = result.rows.find((r) => r.id === ids.purchase)!;
    assert.equal(first.source, "heap");
    assert.equal(first.canonical_event, "purchase");
    assert.equal(first.user, "cust_1");
    assert.equal(result.rows.find((r) => r.id === ids.rejected)!.user, "anon_2", "falls back to the anonymous_id");
    assert.equal((await events(ws, { order: "asc" })).rows[0]!.id, ids.purchase);
  });

  test("filters by status, kind, source, canonical event, mapping and time", async () => {
    assert.deepEqual(
      (await events(ws, { status: "rejected" })).rows.map((r) => r.id),
      [ids.rejected],
    );
    assert.deepEqual(
      (await events(ws, { kind: "page" })).rows.map((r) => r.id),
      [ids.anonymous],
    );
    assert.deepEqual(
      (await events(ws, { source: "backend" })).rows.map((r) => r.id),
      [ids.unmapped],
    );
    assert.equal((await events(ws, { canonical_event: "purchase" })).total_estimate, 3);
    const r = await refs(ws);
    assert.deepEqual(
      (await events(ws, { status: "rejected", mapping: r.mapping("Order Completed") })).rows.map((x) => x.id),
      [ids.rejected],
    );
    const window = await events(ws, { from: ago(4.5 * HOUR).toISOString(), to: ago(2.5 * HOUR).toISOString() });
    assert.deepEqual(
      window.rows.map((x) => x.id),
      [ids.unmapped, ids.rejected],
    );
    assert.equal((await events(ws, { source: "segment" })).rows.length, 0, "an unknown source matches nothing");
    assert.equal((await events(ws, { canonical_event: "sign_up" })).rows.length, 0);
    assert.equal((await events(ws, { status: "rejected" })).total_estimate, 1, "totals come from the labels");
    assert.equal((await events(ws, { kind: "page" })).total_estimate, 1);
    assert.equal((await events(ws, { from: ago(4.5 * HOUR).toISOString() })).total_estimate! >= 4, true);
  });

  test("search matches ids exactly and the source event by substring", async () => {
    assert.deepEqual(
      (await events(ws, { q: "ord_1_purchase" })).rows.map((r) => r.id),
      [ids.conflict, ids.purchase],
    );
    assert.equal((await events(ws, { q: "ord_1" })).rows.length, 0, "event ids match exactly");
    assert.deepEqual(
      (await events(ws, { q: "cust_1" })).rows.map((r) => r.id),
      [ids.anonymous, ids.conflict, ids.purchase],
    );
    assert.deepEqual(
      (await events(ws, { q: "anon_2" })).rows.map((r) => r.id),
      [ids.rejected],
    );
    assert.equal((await events(ws, { q: "order comp" })).rows.length, 3, "labels matched by substring");
    assert.equal((await events(ws, { q: "100%_" })).rows.length, 0, "LIKE wildcards are plain characters");
  });

  test("pages", async () => {
    const page2 = await events(ws, { per_page: 2, page: 2 });
    assert.equal(page2.total_estimate, 5);
    assert.deepEqual(
      page2.rows.map((r) => r.id),
      [ids.unmapped, ids.rejected],
    );
    assert.equal((await events(ws, { per_page: 2, page: 4 })).rows.length, 0);
  });

  test("the detail carries payload, problems, the original, the mapping, the profile and deliveries", async () => {
    const purchase = await getEvent(ws.actors.viewer, ids.purchase);
    assert.deepEqual(purchase.properties, { order_id: "ord_1", value: 10, currency: "EUR" });
    assert.deepEqual(purchase.payload, { event: "Order Completed" });
    assert.equal(purchase.mapping?.source_event, "Order Completed");
    assert.deepEqual(
      purchase.deliveries.map((d) => [d.destination, d.status]),
      [["Meta Conversions API (demo)", "succeeded"]],
    );
    assert.deepEqual(
      purchase.conflicting_calls.map((c) => c.id),
      [ids.conflict],
    );

    const rejected = await getEvent(ws.actors.viewer, ids.rejected);
    assert.deepEqual(rejected.problem_list, [{ path: "properties.order_id", message: "is required" }]);
    const conflict = await getEvent(ws.actors.viewer, ids.conflict);
    assert.equal(conflict.original?.id, ids.purchase);
  });

  test("another workspace's event is not found", async () => {
    await rejectsWith(getEvent(other.actors.admin, ids.purchase), "not_found");
    const theirs = await events(other, { q: "ord_1_purchase" });
    assert.equal(theirs.rows.length, 1);
    assert.notEqual(theirs.rows[0]!.id, ids.purchase);
  });
});
