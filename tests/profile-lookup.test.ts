// The dashboard's profile lookup (linked ids, traits, history, conflicts, recent events) against a
// real database, with rows inserted directly.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { lookupProfile } from "@/lib/identity/lookup-profile";
import { profileLookupQuerySchema } from "@/lib/validations/events";
import { ago, DAY, HOUR, insertEvent, MIN } from "./event-fixtures";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

after(() => closeDatabase());

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
