// Computed traits against the database: ingestion marks only touched profiles, the worker step
// recomputes only those, window expiry and rule changes schedule recomputes, values keep history,
// and the management functions answer bad input with codes and field paths.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { createDestination, updateDestination } from "@/lib/delivery/manage-destinations";
import {
  createComputedTrait,
  deleteComputedTrait,
  listComputedTraits,
  updateComputedTrait,
} from "@/lib/traits/definitions";
import { INPUT_SETTLE_MS } from "@/lib/traits/mark-dirty";
import { recomputeDueProfiles } from "@/lib/traits/recompute";
import { computedTraitCreateSchema } from "@/lib/validations/computed-traits";
import { destinationCreateSchema } from "@/lib/validations/delivery";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, identify, writeKeyFor } from "./ingest-helpers";

const DAY = 86_400_000;
let ws: TestWorkspace;
let key: string;
let n = 0;

const purchase = (user: string, at: Date, extra: Record<string, unknown> = {}) =>
  capture(key, {
    event: "purchase",
    event_id: `ct_${++n}`,
    user_id: user,
    timestamp: at.toISOString(),
    properties: { order_id: `o${n}`, value: 10, currency: "EUR" },
    source: "heap",
    ...extra,
  });

const profileOf = (userId: string) =>
  db().profile.findUniqueOrThrow({ where: { workspaceId_userId: { workspaceId: ws.workspace.id, userId } } });
async function valuesOf(userId: string) {
  const rows = await db().profileComputedTrait.findMany({ where: { profileId: (await profileOf(userId)).id } });
  return Object.fromEntries(rows.map((r) => [r.key, r.value]));
}
const historyOf = async (userId: string, traitKey: string) =>
  db().computedTraitChange.findMany({
    where: { profileId: (await profileOf(userId)).id, key: traitKey },
    orderBy: { createdAt: "asc" },
  });
const queued = () =>
  db().computedTraitQueue.findMany({
    where: { workspaceId: ws.workspace.id },
    orderBy: [{ profileId: "asc" }, { kind: "asc" }],
  });
/** Profiles with new data waiting for a recompute (input marks: one or more per profile). */
const marked = async () => [
  ...new Set(
    (await db().computedTraitInput.findMany({ where: { workspaceId: ws.workspace.id } })).map((m) => m.profileId),
  ),
];
/** Recomputes everything due at `now` (default: once input marks have settled), returning how many profiles it took. */
async function recompute(now = new Date(Date.now() + INPUT_SETTLE_MS + 1_000)) {
  const passes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const done = await recomputeDueProfiles({ now });
    if (done === 0) break;
    passes.push(done);
  }
  return passes.reduce((a, b) => a + b, 0);
}

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  // Test files share PostgreSQL: earlier files' queued profiles must not count here.
  await db().computedTraitQueue.deleteMany({ where: { workspaceId: { not: ws.workspace.id } } });
  await db().computedTraitInput.deleteMany({ where: { workspaceId: { not: ws.workspace.id } } });
});
after(closeDatabase);

describe("incremental recomputation", () => {
  test("ingestion marks only the profiles it touched; the worker recomputes only those", async () => {
    await identify(key, {
      user_id: "alice",
      anonymous_id: "a-anon",
      traits: { email: "alice@example.com", plan: "pro" },
    });
    await purchase("bob", new Date(), { context: { ip: "203.0.113.7", userAgent: "Mozilla/5.0" } });
    assert.deepEqual((await marked()).sort(), [(await profileOf("alice")).id, (await profileOf("bob")).id].sort());
    assert.equal(await recompute(), 2);
    assert.deepEqual(await marked(), []);

    const alice = await valuesOf("alice");
    assert.equal(alice.match_quality, 4, "email 3 + external id 1");
    assert.equal(alice.last_conversion, null);
    const bob = await valuesOf("bob");
    assert.equal(bob.match_quality, 2, "external id 1 + ip and user agent 1");
    assert.equal((bob.last_conversion as { event: string }).event, "purchase");
    assert.deepEqual(Object.keys(bob.destination_eligibility as object), [], "the demo's destinations are disabled");

    // A new event for bob only: alice is not recomputed (no queue row, no new history).
    const aliceHistory = (await historyOf("alice", "match_quality")).length;
    await purchase("bob", new Date(), { context: { ip: "203.0.113.7", userAgent: "Mozilla/5.0", fbp: "fb.1.1.42" } });
    assert.deepEqual(await marked(), [(await profileOf("bob")).id]);
    assert.equal(await recompute(), 1);
    assert.equal((await valuesOf("bob")).match_quality, 3);
    assert.equal((await historyOf("alice", "match_quality")).length, aliceHistory);
    const bobHistory = await historyOf("bob", "match_quality");
    assert.deepEqual(
      bobHistory.map((h) => [h.previous, h.value, h.reason]),
      [
        [null, 2, "new data for this profile"],
        [2, 3, "new data for this profile"],
      ],
    );
  });

  test("a duplicate call marks nothing; a burst of calls for one profile costs one recompute", async () => {
    await purchase("carol", new Date());
    await recompute();
    const body = {
      event: "purchase",
      event_id: "ct_carol_dup",
      user_id: "carol",
      properties: { order_id: "dup", value: 1, currency: "EUR" },
      source: "heap",
    };
    await capture(key, body);
    await recompute();
    assert.equal((await capture(key, body)).status, 200, "duplicate");
    assert.deepEqual(await marked(), []);
    await purchase("carol", new Date());
    await purchase("carol", new Date());
    await purchase("carol", new Date());
    assert.deepEqual(await marked(), [(await profileOf("carol")).id]);
    assert.equal(await recompute(), 1, "one recompute for the three calls");
    assert.deepEqual(await marked(), []);
  });

  test("ingestion never waits on a recompute holding a profile's marks (PostgreSQL: concurrent transactions)", {
    skip: database().mode !== "postgres",
  }, async () => {
    await purchase("erin", new Date());
    const erin = (await profileOf("erin")).id;
    // A recompute's claim, left open: it holds erin's marks while ingestion stores more for erin.
    await database().transaction(async (raw) => {
      await raw.query(`DELETE FROM "ComputedTraitInput" WHERE "profileId" = $1`, [erin]);
      const [first, second] = await Promise.all([
        purchase("erin", new Date()),
        identify(key, { user_id: "erin", traits: { plan: "pro" } }),
      ]);
      assert.deepEqual([first.status, second.status], [202, 202]);
    });
    assert.deepEqual(await marked(), [erin], "the new calls' marks survive the claim");
    assert.equal(await recompute(), 1);
  });

  test("a window rule flips when the counted event leaves the window (scheduled, not scanned)", async () => {
    // A little ahead of the wall clock, so the marks ingestion makes now are due.
    const now = Date.now() + 60_000;
    await createComputedTrait(
      ws.actors.growth,
      computedTraitCreateSchema.parse({ key: "repeat_buyer", name: "Repeat buyer", rule: "purchases_30d >= 2" }),
    );
    await purchase("dave", new Date(now - 29 * DAY));
    await purchase("dave", new Date(now - 1 * DAY));
    await recompute(new Date(now));
    assert.equal((await valuesOf("dave")).repeat_buyer, true);
    const daveId = (await profileOf("dave")).id;
    const daveWindow = (await queued()).find((q) => q.profileId === daveId && q.kind === "window");
    assert.ok(daveWindow, "the next expiry is scheduled");
    assert.ok(
      Math.abs(daveWindow.dueAt.getTime() - (now + DAY)) < 1_000,
      "due when the 29-day-old purchase turns 30 days old",
    );

    const before = (await historyOf("dave", "repeat_buyer")).length;
    await recompute(new Date(now + DAY / 2));
    assert.equal((await valuesOf("dave")).repeat_buyer, true, "not yet");
    assert.equal((await historyOf("dave", "repeat_buyer")).length, before);
    await recompute(new Date(now + DAY + 10_000));
    assert.equal((await valuesOf("dave")).repeat_buyer, false);
    const last = (await historyOf("dave", "repeat_buyer")).at(-1)!;
    assert.deepEqual([last.previous, last.value, last.reason], [true, false, "a counted event left its time window"]);
  });

  test("a rule change queues the workspace's profiles and records why; delete removes the values", async () => {
    const all = await db().profile.count({ where: { workspaceId: ws.workspace.id } });
    // The worker's clock, past the previous test's (history is ordered by it).
    const later = new Date(Date.now() + 3 * DAY);
    await recompute(later);
    const def = (await listComputedTraits(ws.actors.viewer)).rows.find((r) => r.key === "repeat_buyer")!;
    await updateComputedTrait(ws.actors.admin, def.id, { rule: 'plan == "pro"' });
    const rows = await queued();
    assert.equal(rows.filter((r) => r.kind === "rule").length, all, "every profile of the workspace");
    await recompute(later);
    assert.equal((await valuesOf("alice")).repeat_buyer, true);
    const change = (await historyOf("alice", "repeat_buyer")).at(-1)!;
    assert.equal(change.reason, 'rule repeat_buyer changed: purchases_30d >= 2 → plan == "pro"');

    const holders = await db().profileComputedTrait.count({
      where: { workspaceId: ws.workspace.id, key: "repeat_buyer" },
    });
    await deleteComputedTrait(ws.actors.growth, def.id);
    assert.equal((await queued()).filter((r) => r.kind === "rule").length, holders, "the profiles holding the trait");
    await recompute(later);
    assert.equal("repeat_buyer" in (await valuesOf("alice")), false);
    assert.equal((await historyOf("alice", "repeat_buyer")).at(-1)!.reason, "rule repeat_buyer deleted");
  });
});

describe("destination changes", () => {
  test("enabling a destination recomputes eligibility for the workspace's profiles", async () => {
    process.env.TRACKLAYER_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
    const later = new Date(Date.now() + 4 * DAY);
    await recompute(later);
    const created = await createDestination(
      ws.actors.admin,
      destinationCreateSchema.parse({
        type: "hubspot",
        name: "CRM",
        config: { mode: "contact" },
        secrets: { access_token: "t" },
        enabled: true,
      }),
    );
    await recompute(later);
    assert.deepEqual((await valuesOf("alice")).destination_eligibility, { CRM: { type: "hubspot", eligible: true } });
    assert.deepEqual((await valuesOf("bob")).destination_eligibility, {
      CRM: { type: "hubspot", eligible: false, reason: "needs a plain email" },
    });
    assert.equal((await historyOf("bob", "destination_eligibility")).at(-1)!.reason, "destination CRM added");
    await updateDestination(ws.actors.admin, created.id, { enabled: false });
    await recompute(new Date(later.getTime() + 1000));
    assert.deepEqual((await valuesOf("alice")).destination_eligibility, {});
  });
});

describe("management API rules", () => {
  test("unknown events 422 on rule; duplicate keys 409 on key; only growth and admin may define", async () => {
    const input = computedTraitCreateSchema.parse({ key: "refunder", name: "Refunder", rule: "refunds_30d > 0" });
    const unknown = await rejectsWith(createComputedTrait(ws.actors.admin, input), "unprocessable");
    assert.equal(unknown.issues?.[0]?.path, "rule");
    assert.match(
      unknown.issues?.[0]?.message ?? "",
      /unknown canonical event "refunds" in refunds_30d .*\(at column 1\)/,
    );

    const ok = computedTraitCreateSchema.parse({ key: "buyer", name: "Buyer", rule: "purchases_90d > 0" });
    await createComputedTrait(ws.actors.growth, ok);
    const clash = await rejectsWith(createComputedTrait(ws.actors.admin, ok), "conflict");
    assert.equal(clash.issues?.[0]?.path, "key");
    for (const role of ["analyst", "engineer", "viewer"] as const)
      await rejectsWith(createComputedTrait(ws.actors[role], { ...ok, key: `k_${role}` }), "forbidden");
  });
});
