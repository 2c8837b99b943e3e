// Ingestion rules against a real database: registry resolution, dedup, identity, outbox.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { revokeWriteKey } from "@/lib/registry/sources";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, identify, storedEvent, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let other: TestWorkspace;
let heapKey: string;
let backendKey: string;
let n = 0;
const uid = (p: string) => `${p}_${++n}_${Math.random().toString(36).slice(2, 7)}`;

before(async () => {
  ws = await createTestWorkspace();
  other = await createTestWorkspace();
  heapKey = await writeKeyFor(ws, "heap");
  backendKey = await writeKeyFor(ws, "backend", ["heap"]);
});
after(() => closeDatabase());

const purchase = (overrides: Record<string, unknown> = {}) => ({
  event: "purchase",
  event_id: uid("ord_purchase"),
  user_id: "cust_2048",
  anonymous_id: "anon_91b2",
  properties: { order_id: "ord_10492", value: 129.95, currency: "EUR" },
  source: "heap",
  ...overrides,
});

describe("the brief's examples", () => {
  test("the exact /api/capture example is accepted through the identity mapping", async () => {
    const body = {
      event: "purchase",
      event_id: "ord_10492_purchase",
      user_id: "cust_2048",
      anonymous_id: "anon_91b2",
      properties: { order_id: "ord_10492", value: 129.95, currency: "EUR" },
      source: "heap",
    };
    const result = await capture(backendKey, body);
    assert.equal(result.status, 202);
    assert.equal(result.body.status, "accepted");
    assert.equal(result.body.canonical_event, "purchase");
    const row = await storedEvent(ws.workspace.id, "ord_10492_purchase");
    assert.equal(row.status, "accepted");
    assert.deepEqual(row.payload, body);
  });

  test("the exact /api/identify example is accepted and links the anonymous id", async () => {
    const result = await identify(heapKey, {
      user_id: "cust_2048",
      anonymous_id: "anon_91b2",
      traits: { email_sha256: "9d7c...e31a", plan: "pro", country: "DE" },
    });
    assert.equal(result.status, 202);
    assert.equal(result.body.status, "accepted");
    assert.deepEqual(result.body.linked, ["anon_91b2"]);
    const profile = await db().profile.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: ws.workspace.id, userId: "cust_2048" } },
    });
    assert.equal(profile.id, result.body.profile_id);
    assert.deepEqual(profile.traits, { email_sha256: "9d7c...e31a", plan: "pro", country: "DE" });
  });
});

describe("registry resolution", () => {
  test("a Heap label resolves through its mapping, with renames applied", async () => {
    const lead = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "Lead Form Qualified in UI" },
    });
    await updateMapping(ws.actors.analyst, lead.id, {
      property_renames: { leadId: "lead_id", stage: "pipeline_stage" },
    });
    await transitionMapping(ws.actors.analyst, lead.id, "submit");
    await transitionMapping(ws.actors.growth, lead.id, "approve");
    const id = uid("lead");
    const result = await capture(heapKey, {
      event: "Lead Form Qualified in UI",
      event_id: id,
      user_id: "u1",
      properties: { leadId: "L-1", stage: "SQL" },
    });
    assert.equal(result.status, 202, JSON.stringify(result.body));
    assert.equal(result.body.canonical_event, "qualify_lead");
    assert.deepEqual((await storedEvent(ws.workspace.id, id)).properties, { lead_id: "L-1", pipeline_stage: "SQL" });
  });

  test("missing or mistyped required properties are 422, recorded as a violation, and hold no dedup slot", async () => {
    const id = uid("bad");
    const result = await capture(heapKey, {
      event: "Order Completed",
      event_id: id,
      user_id: "u2",
      properties: { value: "12", currency: "EUR" },
    });
    assert.equal(result.status, 422);
    const error = result.body.error as { code: string; issues: { path: string; message: string }[] };
    assert.equal(error.code, "schema_violation");
    assert.deepEqual(error.issues.map((i) => i.path).sort(), ["properties.order_id", "properties.value"]);
    const recorded = await db().event.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, eventId: id } });
    assert.equal(recorded.status, "rejected");
    assert.ok(recorded.mappingId);
    assert.equal(recorded.dedupKey, null);
    const fixed = await capture(heapKey, {
      event: "Order Completed",
      event_id: id,
      user_id: "u2",
      properties: { order_id: "o2", value: 12, currency: "EUR" },
    });
    assert.equal(fixed.status, 202, "the corrected resend is accepted under the same event_id");
  });

  test("unknown events are stored as unmapped; a canonical name without a mapping is unmapped too", async () => {
    const unknown = await capture(heapKey, {
      event: "Clicked Start Trial CTA Twice",
      event_id: uid("u"),
      anonymous_id: "a1",
    });
    assert.deepEqual([unknown.status, unknown.body.status], [202, "unmapped"]);
    const canonicalName = await capture(heapKey, { event: "sign_up", event_id: uid("s"), user_id: "u3" });
    assert.equal(canonicalName.body.status, "unmapped");
    assert.match(String(canonicalName.body.hint), /only accepted through a mapping/);
  });

  test("an event whose mapping is not approved yet is held, never delivered", async () => {
    const result = await capture(backendKey, {
      event: "start_trial",
      event_id: uid("t"),
      user_id: "u4",
      properties: { plan: "pro" },
    });
    assert.deepEqual([result.status, result.body.status, result.body.canonical_event], [202, "held", "start_trial"]);
    assert.equal(result.body.deliveries, undefined);
  });

  test("a deprecated mapping no longer resolves", async () => {
    const m = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "Checkout Started" },
    });
    await transitionMapping(ws.actors.growth, m.id, "deprecate");
    const result = await capture(heapKey, {
      event: "Checkout Started",
      event_id: uid("c"),
      user_id: "u5",
      properties: { checkout_id: "c", value: 1, currency: "EUR" },
    });
    assert.equal(result.body.status, "unmapped");
  });
});

describe("write keys and sources", () => {
  test("a source the key is not allowed to send for is 403; an unknown source is 422", async () => {
    await rejectsWith(capture(heapKey, purchase({ source: "backend" })), "forbidden");
    const e = await rejectsWith(capture(heapKey, purchase({ source: "segment" })), "unprocessable");
    assert.equal(e.issues?.[0]?.path, "source");
  });

  test("a revoked key is refused", async () => {
    const key = await writeKeyFor(ws, "heap");
    assert.equal((await capture(key, purchase())).status, 202);
    const row = await db().writeKey.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, name: "test heap" },
      orderBy: { createdAt: "desc" },
    });
    await revokeWriteKey(ws.actors.admin, row.defaultSourceId, row.id);
    await rejectsWith(capture(key, purchase()), "unauthenticated");
    await rejectsWith(capture("tl_wk_made_up", purchase()), "unauthenticated");
  });

  test("another workspace's key writes only to its own workspace", async () => {
    const theirs = await writeKeyFor(other, "heap");
    const id = uid("iso");
    assert.equal((await capture(theirs, purchase({ event_id: id }))).status, 202);
    assert.equal(await db().event.count({ where: { workspaceId: ws.workspace.id, eventId: id } }), 0);
    assert.equal(await db().event.count({ where: { workspaceId: other.workspace.id, eventId: id } }), 1);
    // The same event_id in this workspace is a different event, not a duplicate.
    assert.equal((await capture(heapKey, purchase({ event_id: id }))).body.status, "accepted");
  });
});

describe("dedup on event_id", () => {
  test("a repeat with the same payload is 200 duplicate pointing at the original", async () => {
    const body = purchase();
    const first = await capture(heapKey, body);
    const again = await capture(heapKey, {
      ...body,
      properties: { currency: "EUR", value: 129.95, order_id: "ord_10492" },
    });
    assert.equal(again.status, 200);
    assert.equal(again.body.status, "duplicate");
    const original = again.body.original as {
      id: string;
      received_at: string;
      status: string;
      canonical_event: string;
    };
    assert.equal(original.status, "accepted");
    assert.equal(original.canonical_event, "purchase");
    assert.equal(first.status, 202);
    const stored = await db().event.findMany({ where: { workspaceId: ws.workspace.id, eventId: body.event_id } });
    assert.deepEqual(
      stored.map((e) => [e.id, e.receivedAt.toISOString()]),
      [[original.id, original.received_at]],
      "one event, and the answer names it and when it was received",
    );
  });

  test("a repeat with a different payload is 409; the original is kept and the conflict recorded", async () => {
    const body = purchase();
    await capture(heapKey, body);
    const clash = await capture(heapKey, { ...body, properties: { ...body.properties, value: 999 } });
    assert.equal(clash.status, 409);
    assert.equal((clash.body.error as { code: string }).code, "event_id_conflict");
    const rows = await db().event.findMany({
      where: { workspaceId: ws.workspace.id, eventId: body.event_id },
      orderBy: { receivedAt: "asc" },
    });
    assert.deepEqual(rows.map((r) => r.status).sort(), ["accepted", "duplicate_conflict"]);
    const original = rows.find((r) => r.status === "accepted")!;
    assert.equal((original.properties as { value: number }).value, 129.95);
    assert.equal(rows.find((r) => r.status === "duplicate_conflict")!.originalId, original.id);
  });

  test("concurrent identical requests produce exactly one event", async () => {
    const body = purchase();
    const results = await Promise.all(Array.from({ length: 25 }, () => capture(heapKey, body)));
    assert.deepEqual(
      [results.filter((r) => r.status === 202).length, results.filter((r) => r.status === 200).length],
      [1, 24],
    );
    assert.equal(await db().event.count({ where: { workspaceId: ws.workspace.id, eventId: body.event_id } }), 1);
  });
});

describe("identity", () => {
  test("parallel transactions creating the same new profile all see it (no lost profile id)", async () => {
    const { storeCalls } = await import("@/lib/ingest/store-calls");
    const { prepareEvent } = await import("@/lib/ingest/calls");
    const { authenticateWriteKey } = await import("@/lib/ingest/write-keys");
    const { registrySnapshot } = await import("@/lib/ingest/registry-snapshot");
    const info = await authenticateWriteKey(heapKey);
    const snapshot = await registrySnapshot(info.workspaceId);
    const user = uid("racer");
    const calls = Array.from({ length: 8 }, (_, i) =>
      prepareEvent(info, snapshot, {
        type: "capture",
        eventId: uid("race"),
        sourceEvent: "purchase",
        userId: user,
        anonymousId: uid(`anon${i}`),
        properties: { order_id: "r", value: 1, currency: "EUR" },
        payload: {},
      }),
    );
    // Separate transactions at once, not one group commit: the race is between transactions.
    const results = await Promise.all(calls.map((c) => storeCalls([c])));
    assert.ok(
      results.every(([r]) => r!.status === 202),
      JSON.stringify(results.map(([r]) => r!.status)),
    );
    const rows = await db().event.findMany({ where: { workspaceId: ws.workspace.id, resolvedUserId: user } });
    assert.equal(rows.length, 8);
    assert.equal(new Set(rows.map((r) => r.profileId)).size, 1);
    assert.ok(rows[0]!.profileId);
  });

  test("anonymous events resolve to the known user; later identifies stitch earlier anonymous events", async () => {
    const anon = uid("anon");
    const early = uid("early");
    await capture(heapKey, { event: "Some page thing", event_id: early, anonymous_id: anon });
    assert.equal((await storedEvent(ws.workspace.id, early)).resolvedUserId, null);

    const linked = await identify(heapKey, { user_id: "cust_stitch", anonymous_id: anon, traits: { plan: "free" } });
    assert.deepEqual(linked.body.linked, [anon]);
    const stitched = await storedEvent(ws.workspace.id, early);
    assert.equal(stitched.resolvedUserId, "cust_stitch");
    assert.equal(stitched.profileId, linked.body.profile_id);

    const later = uid("later");
    await capture(heapKey, purchase({ event_id: later, user_id: undefined, anonymous_id: anon }));
    const resolved = await storedEvent(ws.workspace.id, later);
    assert.equal(resolved.resolvedUserId, "cust_stitch");
    assert.equal(resolved.profileId, linked.body.profile_id);
  });

  test("a capture carrying both ids links them", async () => {
    const anon = uid("anon");
    await capture(heapKey, purchase({ user_id: "cust_both", anonymous_id: anon }));
    const link = await db().profileIdentity.findUniqueOrThrow({
      where: { workspaceId_anonymousId: { workspaceId: ws.workspace.id, anonymousId: anon } },
    });
    assert.equal(link.linkedVia, "capture");
  });

  test("later captures of a linked pair are stored like any other; a capture claiming another user's anonymous_id is a conflict", async () => {
    const anon = uid("anon");
    await capture(heapKey, purchase({ user_id: "cust_pair", anonymous_id: anon }));
    const again = uid("again");
    assert.equal(
      (await capture(heapKey, purchase({ event_id: again, user_id: "cust_pair", anonymous_id: anon }))).status,
      202,
    );
    const stored = await storedEvent(ws.workspace.id, again);
    assert.deepEqual([stored.userId, stored.anonymousId, stored.resolvedUserId], ["cust_pair", anon, "cust_pair"]);
    assert.equal(await db().profileIdentity.count({ where: { workspaceId: ws.workspace.id, anonymousId: anon } }), 1);

    await capture(heapKey, purchase({ user_id: "cust_intruder" })); // a known user, like cust_pair
    const other = uid("other");
    assert.equal(
      (await capture(heapKey, purchase({ event_id: other, user_id: "cust_intruder", anonymous_id: anon }))).status,
      202,
    );
    assert.equal(
      (await storedEvent(ws.workspace.id, other)).resolvedUserId,
      "cust_intruder",
      "an event belongs to its own user_id",
    );
    const conflicts = await db().identityConflict.findMany({
      where: { workspaceId: ws.workspace.id, anonymousId: anon },
    });
    assert.deepEqual(
      conflicts.map((c) => [c.existingUserId, c.attemptedUserId, c.callRef]),
      [["cust_pair", "cust_intruder", other]],
    );
  });

  test("an anonymous_id already linked to another user is a recorded conflict, not a merge", async () => {
    const anon = uid("anon");
    await identify(heapKey, { user_id: "alice", anonymous_id: anon });
    const second = await identify(heapKey, { user_id: "bob", anonymous_id: anon });
    assert.equal(second.status, 202);
    assert.deepEqual(second.body.conflicts, [{ anonymous_id: anon, linked_to_user_id: "alice" }]);
    assert.deepEqual(second.body.linked, []);
    const conflict = await db().identityConflict.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, anonymousId: anon },
    });
    assert.deepEqual([conflict.existingUserId, conflict.attemptedUserId], ["alice", "bob"]);
    const link = await db().profileIdentity.findUniqueOrThrow({
      where: { workspaceId_anonymousId: { workspaceId: ws.workspace.id, anonymousId: anon } },
      include: { profile: true },
    });
    assert.equal(link.profile.userId, "alice");
  });

  test("another instance, whose owner cache is cold, still sees the link: same user nothing, another user a conflict", async () => {
    const anon = uid("anon");
    await identify(heapKey, { user_id: "carla", anonymous_id: anon });
    const coldCache = () => (globalThis as { __tracklayerOwners?: Map<string, unknown> }).__tracklayerOwners?.clear();
    coldCache();
    const same = await capture(heapKey, purchase({ event_id: uid("same"), user_id: "carla", anonymous_id: anon }));
    assert.equal(same.status, 202);
    coldCache();
    const other = await identify(heapKey, { user_id: "dora", anonymous_id: anon });
    assert.deepEqual(other.body.conflicts, [{ anonymous_id: anon, linked_to_user_id: "carla" }]);
    coldCache();
    await capture(heapKey, purchase({ event_id: uid("other"), user_id: "dora", anonymous_id: anon }));
    const conflicts = await db().identityConflict.findMany({
      where: { workspaceId: ws.workspace.id, anonymousId: anon },
      orderBy: { createdAt: "asc" },
    });
    assert.deepEqual(
      conflicts.map((c) => [c.existingUserId, c.attemptedUserId, c.via]),
      [
        ["carla", "dora", "identify"],
        ["carla", "dora", "capture"],
      ],
    );
    const links = await db().profileIdentity.findMany({
      where: { workspaceId: ws.workspace.id, anonymousId: anon },
      include: { profile: true },
    });
    assert.deepEqual(
      links.map((l) => l.profile.userId),
      ["carla"],
    );
  });

  test("a link lost to a concurrent commit is settled: another user's claim is recorded as a conflict (PostgreSQL)", {
    skip: database().mode !== "postgres",
  }, async () => {
    const anon = uid("anon");
    const alice = await identify(heapKey, { user_id: "cust_race_alice" });
    let pending: ReturnType<typeof capture> | undefined;
    const eventId = uid("race");
    await database().transaction(async (raw) => {
      // Alice's link, not committed yet: the capture's statement cannot see it and waits on its key.
      await raw.query(
        `INSERT INTO "ProfileIdentity" ("id","workspaceId","profileId","anonymousId","linkedVia","linkedByRef","createdAt") VALUES ($1, $2, $3, $4, 'identify', NULL, now())`,
        [uid("link"), ws.workspace.id, alice.body.profile_id, anon],
      );
      pending = capture(heapKey, purchase({ event_id: eventId, user_id: "cust_race_bob", anonymous_id: anon }));
      for (let i = 0; i < 200; i++) {
        const [waiting] = await database().raw.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        if (waiting!.n > 0) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      assert.fail("the capture never waited on the uncommitted link");
    });
    assert.equal((await pending!).status, 202);
    assert.equal((await storedEvent(ws.workspace.id, eventId)).resolvedUserId, "cust_race_bob");
    const conflicts = await db().identityConflict.findMany({
      where: { workspaceId: ws.workspace.id, anonymousId: anon },
    });
    assert.deepEqual(
      conflicts.map((c) => [c.existingUserId, c.attemptedUserId, c.callRef]),
      [["cust_race_alice", "cust_race_bob", eventId]],
    );
    const links = await db().profileIdentity.findMany({
      where: { workspaceId: ws.workspace.id, anonymousId: anon },
      include: { profile: true },
    });
    assert.deepEqual(
      links.map((l) => l.profile.userId),
      ["cust_race_alice"],
    );
  });

  test("traits: last write wins per trait, with the history of which call set what", async () => {
    await identify(heapKey, { user_id: "traity", traits: { plan: "free", country: "DE" } });
    await identify(heapKey, { user_id: "traity", traits: { plan: "pro" } });
    const profile = await db().profile.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: ws.workspace.id, userId: "traity" } },
      include: { traitChanges: { orderBy: { createdAt: "asc" } } },
    });
    assert.deepEqual(profile.traits, { plan: "pro", country: "DE" });
    assert.deepEqual(profile.traitChanges.map((c) => c.trait).sort(), ["country", "plan", "plan"]);
    assert.equal(
      profile.traitChanges
        .filter((c) => c.trait === "plan")
        .map((c) => c.value)
        .join(","),
      "free,pro",
    );
  });
});

describe("the outbox", () => {
  test("accepted events get one pending delivery per enabled destination in the same transaction; others none", async () => {
    const meta = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "meta" } });
    await db().destination.update({ where: { id: meta.id }, data: { enabled: true } });
    const purchaseMapping = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchaseMapping.id, { destinations: { [meta.id]: true } });
    const id = uid("deliver");
    const result = await capture(heapKey, purchase({ event_id: id }));
    assert.deepEqual(result.body.deliveries, [{ destination_id: meta.id, destination: meta.name, status: "pending" }]);
    const row = await storedEvent(ws.workspace.id, id);
    const deliveries = await db().delivery.findMany({ where: { eventRowId: row.id } });
    assert.deepEqual(
      deliveries.map((d) => [d.destinationId, d.status]),
      [[meta.id, "pending"]],
    );

    await updateMapping(ws.actors.growth, purchaseMapping.id, { destinations: { [meta.id]: false } });
    const off = await capture(heapKey, purchase({ event_id: uid("off") }));
    assert.deepEqual(off.body.deliveries, []);
    const duplicate = await capture(heapKey, purchase({ event_id: id }));
    assert.equal(duplicate.body.status, "duplicate");
    assert.equal(
      await db().delivery.count({ where: { eventRowId: row.id } }),
      1,
      "a repeat never queues a second delivery",
    );
  });

  test("stitching never creates deliveries for earlier events", async () => {
    const meta = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "meta" } });
    await db().destination.update({ where: { id: meta.id }, data: { enabled: true } });
    const purchaseMapping = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchaseMapping.id, { destinations: { [meta.id]: true } });
    try {
      const anon = uid("anon");
      const earlier = [uid("anon_buy"), uid("anon_buy")];
      for (const id of earlier) {
        const { user_id: _, ...anonymous } = purchase({ event_id: id });
        assert.equal((await capture(heapKey, { ...anonymous, anonymous_id: anon })).status, 202);
      }
      const rows = await Promise.all(earlier.map((id) => storedEvent(ws.workspace.id, id)));
      const deliveriesOf = () =>
        db().delivery.findMany({ where: { eventRowId: { in: rows.map((r) => r.id) } }, orderBy: { id: "asc" } });
      const before = await deliveriesOf();
      assert.equal(before.length, 2, "the earlier events were delivered once each");
      const total = await db().delivery.count({ where: { workspaceId: ws.workspace.id } });

      const userId = uid("late_user");
      const stitched = await identify(heapKey, { user_id: userId, anonymous_id: anon });
      assert.ok(stitched.status < 300);
      const link = await db().profileIdentity.findFirstOrThrow({
        where: { workspaceId: ws.workspace.id, anonymousId: anon },
        include: { profile: true },
      });
      assert.equal(link.profile.userId, userId, "the anonymous history now belongs to the user");
      assert.deepEqual(
        (await deliveriesOf()).map((d) => d.id),
        before.map((d) => d.id),
        "no new delivery for the earlier events",
      );
      assert.equal(await db().delivery.count({ where: { workspaceId: ws.workspace.id } }), total);
    } finally {
      await updateMapping(ws.actors.growth, purchaseMapping.id, { destinations: { [meta.id]: false } });
    }
  });
});
