// The dashboard's reads of ingested data — explorer, violations, unmapped groups, profile
// lookup — against a real database, with rows inserted directly.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { getEvent } from "@/lib/events/get-event";
import { listEvents } from "@/lib/events/list-events";
import { listUnmapped } from "@/lib/events/unmapped";
import { getMappingViolations, listViolations } from "@/lib/events/violations";
import type { Prisma } from "@/lib/generated/prisma/client";
import { lookupProfile } from "@/lib/identity/lookup-profile";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { eventListQuerySchema, profileLookupQuerySchema, unmappedQuerySchema } from "@/lib/validations/events";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

after(() => closeDatabase());

const ago = (ms: number) => new Date(Date.now() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type EventInput = Partial<Prisma.EventUncheckedCreateInput> &
  Pick<Prisma.EventUncheckedCreateInput, "status" | "sourceEvent">;

async function insertEvent(ws: TestWorkspace, data: EventInput) {
  const id = randomUUID();
  const receivedAt = (data.receivedAt as Date | undefined) ?? new Date();
  await db().event.create({
    data: {
      id,
      workspaceId: ws.workspace.id,
      eventId: `evt_${id.slice(0, 8)}`,
      payload: { event: data.sourceEvent },
      payloadHash: "hash",
      occurredAt: receivedAt,
      receivedAt,
      ...data,
    },
  });
  return id;
}

async function refs(ws: TestWorkspace) {
  const [sources, canonical, mappings] = await Promise.all([
    db().source.findMany({ where: { workspaceId: ws.workspace.id } }),
    db().canonicalEvent.findMany({ where: { workspaceId: ws.workspace.id } }),
    db().mapping.findMany({ where: { workspaceId: ws.workspace.id } }),
  ]);
  return {
    source: (key: string) => sources.find((s) => s.key === key)!.id,
    canonical: (name: string) => canonical.find((c) => c.name === name)!.id,
    mapping: (sourceEvent: string) => mappings.find((m) => m.sourceEvent === sourceEvent)!.id,
  };
}

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

describe("profile lookup", () => {
  let ws: TestWorkspace;
  let other: TestWorkspace;
  let profileId: string;

  before(async () => {
    ws = await createTestWorkspace();
    other = await createTestWorkspace();
    const w = ws.workspace.id;
    profileId = randomUUID();
    await db().profile.create({
      data: { id: profileId, workspaceId: w, userId: "cust_9", traits: { plan: "pro", country: "DE" } },
    });
    await db().profileIdentity.createMany({
      data: [
        {
          id: randomUUID(),
          workspaceId: w,
          profileId,
          anonymousId: "anon_a",
          linkedVia: "identify",
          linkedByRef: "msg_1",
          createdAt: ago(DAY),
        },
        {
          id: randomUUID(),
          workspaceId: w,
          profileId,
          anonymousId: "anon_b",
          linkedVia: "capture",
          linkedByRef: "ord_9_purchase",
          createdAt: ago(HOUR),
        },
      ],
    });
    await db().traitChange.createMany({
      data: [
        {
          id: randomUUID(),
          workspaceId: w,
          profileId,
          trait: "plan",
          value: "free",
          via: "identify",
          callRef: "msg_1",
          createdAt: ago(2 * HOUR),
        },
        {
          id: randomUUID(),
          workspaceId: w,
          profileId,
          trait: "plan",
          value: "pro",
          via: "identify",
          callRef: "msg_2",
          createdAt: ago(HOUR),
        },
        {
          id: randomUUID(),
          workspaceId: w,
          profileId,
          trait: "country",
          value: "DE",
          via: "identify",
          callRef: "msg_2",
          createdAt: ago(30 * MIN),
        },
      ],
    });
    await db().identityConflict.create({
      data: {
        id: randomUUID(),
        workspaceId: w,
        anonymousId: "anon_a",
        existingUserId: "cust_9",
        attemptedUserId: "cust_10",
        via: "identify",
        callRef: "msg_3",
      },
    });
    await insertEvent(ws, {
      status: "accepted",
      sourceEvent: "Order Completed",
      eventId: "ord_9_purchase",
      profileId,
      userId: "cust_9",
      resolvedUserId: "cust_9",
      receivedAt: ago(HOUR),
    });
    await insertEvent(ws, {
      status: "accepted",
      sourceEvent: "Pricing",
      kind: "page",
      eventId: "page_9",
      anonymousId: "anon_b",
      resolvedUserId: "cust_9",
      receivedAt: ago(2 * HOUR),
    });
    await insertEvent(ws, {
      status: "unmapped",
      sourceEvent: "Clicked Banner",
      anonymousId: "anon_z",
      receivedAt: ago(MIN),
    });
    await insertEvent(other, {
      status: "accepted",
      sourceEvent: "Order Completed",
      userId: "cust_9",
      resolvedUserId: "cust_9",
    });
  });

  test("by user_id: linked ids with the linking call, traits, history newest first, conflicts, recent events", async () => {
    const found = await lookupProfile(ws.actors.viewer, { user_id: "cust_9" });
    assert.equal(found.linked, true);
    assert.equal(found.profile?.user_id, "cust_9");
    assert.deepEqual(found.profile?.traits, { plan: "pro", country: "DE" });
    assert.deepEqual(
      found.profile?.anonymous_ids.map((a) => [a.anonymous_id, a.linked_via, a.linked_by_ref]),
      [
        ["anon_a", "identify", "msg_1"],
        ["anon_b", "capture", "ord_9_purchase"],
      ],
    );
    assert.deepEqual(
      found.profile?.trait_history.map((t) => `${t.trait}=${String(t.value)}`),
      ["country=DE", "plan=pro", "plan=free"],
    );
    assert.deepEqual(
      found.conflicts.map((c) => c.attempted_user_id),
      ["cust_10"],
    );
    assert.deepEqual(
      found.recent_events.map((e) => e.event_id),
      ["ord_9_purchase", "page_9"],
      "by profile or resolved user, not another workspace's",
    );
  });

  test("by anonymous_id: resolves through the identity link", async () => {
    const found = await lookupProfile(ws.actors.viewer, { anonymous_id: "anon_b" });
    assert.equal(found.matched_by, "anonymous_id");
    assert.equal(found.profile?.id, profileId);
  });

  test("an anonymous_id without a profile still shows its events", async () => {
    const found = await lookupProfile(ws.actors.viewer, { anonymous_id: "anon_z" });
    assert.equal(found.linked, false);
    assert.equal(found.profile, null);
    assert.deepEqual(
      found.recent_events.map((e) => e.source_event),
      ["Clicked Banner"],
    );
  });

  test("unknown ids and other workspaces' profiles are not found", async () => {
    await rejectsWith(lookupProfile(ws.actors.viewer, { user_id: "nobody" }), "not_found");
    await rejectsWith(lookupProfile(other.actors.viewer, { anonymous_id: "anon_a" }), "not_found");
  });

  test("the query takes exactly one of user_id and anonymous_id", () => {
    assert.equal(profileLookupQuerySchema.safeParse({}).success, false);
    assert.equal(profileLookupQuerySchema.safeParse({ user_id: "a", anonymous_id: "b" }).success, false);
    assert.equal(profileLookupQuerySchema.safeParse({ anonymous_id: " b " }).data?.anonymous_id, "b");
  });
});
