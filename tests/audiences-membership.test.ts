// Audience membership: definitions and permissions, adds / removes, snapshot diffing (one call,
// 100k members, pages), idempotent request ids, identity resolution of members.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { lookupMember } from "@/lib/audiences/audience-status";
import { createAudience, updateAudience } from "@/lib/audiences/manage-audiences";
import { changeMembers, putSnapshot } from "@/lib/audiences/membership";
import { closeDatabase, db } from "@/lib/db";
import { membersChangeSchema, membersSnapshotSchema } from "@/lib/validations/audiences";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { identify, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let wsId: string;

const change = (key: string, body: Record<string, unknown>) =>
  changeMembers(wsId, key, membersChangeSchema.parse(body));
const snapshot = (key: string, body: Record<string, unknown>) =>
  putSnapshot(wsId, key, membersSnapshotSchema.parse(body));
const members = async (key: string) =>
  (
    await db().audienceMember.findMany({
      where: { audience: { workspaceId: wsId, key } },
      orderBy: [{ kind: "asc" }, { value: "asc" }],
    })
  ).map((m) => `${m.kind}:${m.value}`);
const users = (ids: string[]) => ids.map((user_id) => ({ user_id }));

before(async () => {
  ws = await createTestWorkspace();
  wsId = ws.workspace.id;
});
after(closeDatabase);

describe("defining audiences", () => {
  test("growth defines an audience; a viewer may not; keys are unique; destinations are checked", async () => {
    const created = await createAudience(ws.actors.growth, {
      key: "stalled-checkout",
      name: "Stalled checkout",
      description: "",
      source_cohort: "heap:segment:1",
      destinations: [],
    });
    assert.equal(created.key, "stalled-checkout");
    assert.equal(created.members, 0);
    await rejectsWith(
      createAudience(ws.actors.viewer, { key: "nope", name: "Nope", description: "", destinations: [] }),
      "forbidden",
    );
    await rejectsWith(
      createAudience(ws.actors.analyst, { key: "nope", name: "Nope", description: "", destinations: [] }),
      "forbidden",
    );
    await rejectsWith(
      createAudience(ws.actors.admin, { key: "stalled-checkout", name: "Again", description: "", destinations: [] }),
      "conflict",
    );
    const bad = await rejectsWith(
      createAudience(ws.actors.admin, {
        key: "bad-dest",
        name: "Bad",
        description: "",
        destinations: [{ destination_id: "missing", enabled: true }],
      }),
      "unprocessable",
    );
    assert.equal(bad.issues?.[0]?.path, "destinations.0.destination_id");
    const meta = await db().destination.create({
      data: { workspaceId: wsId, type: "meta", name: "Meta audiences", config: {} },
    });
    const noId = await rejectsWith(
      updateAudience(ws.actors.growth, "stalled-checkout", {
        destinations: [{ destination_id: meta.id, enabled: true }],
      }),
      "unprocessable",
    );
    assert.equal(noId.issues?.[0]?.path, "destinations.0.audience_id");
  });
});

describe("adds and removes", () => {
  before(() => createAudience(ws.actors.growth, { key: "delta", name: "Delta", description: "", destinations: [] }));

  test("adds and removes members; unknown removes and repeated adds change nothing", async () => {
    const first = await change("delta", {
      add: [{ user_id: "u1" }, { user_id: "u2" }, { anonymous_id: "a1" }, { user_id: "u1" }],
    });
    assert.equal(first.status, 200);
    assert.deepEqual([first.body.added, first.body.removed, first.body.members], [3, 0, 3]);
    const second = await change("delta", {
      add: [{ user_id: "u1" }],
      remove: [{ user_id: "u2" }, { user_id: "ghost" }],
    });
    assert.deepEqual([second.body.added, second.body.removed, second.body.members], [0, 1, 2]);
    assert.deepEqual(await members("delta"), ["anonymous_id:a1", "user_id:u1"]);
    const log = await db().audienceChange.findMany({ where: { syncId: String(second.body.sync_id) } });
    assert.deepEqual(
      log.map((c) => `${c.action}:${c.value}`),
      ["remove:u2"],
    );
  });

  test("a member both added and removed is refused with its path", async () => {
    const error = await rejectsWith(
      change("delta", { add: [{ user_id: "x" }], remove: [{ user_id: "y" }, { user_id: "x" }] }),
      "invalid_request",
    );
    assert.equal(error.issues?.[0]?.path, "remove.1");
  });

  test("bad members are refused by the schema with field paths", () => {
    const parsed = membersChangeSchema.safeParse({ add: [{ user_id: "a", anonymous_id: "b" }, { email: "x@y.z" }] });
    assert.equal(parsed.success, false);
    const paths = parsed.error!.issues.map((i) => i.path.join("."));
    assert.ok(paths.includes("add.0"), paths.join());
    assert.ok(paths.includes("add.1"), paths.join());
    assert.equal(membersChangeSchema.safeParse({ add: [], remove: [] }).success, false);
  });

  test("a replayed request id answers the original result and changes nothing", async () => {
    const first = await change("delta", { add: [{ user_id: "u7" }], request_id: "req-1" });
    assert.equal(first.replayed, false);
    const syncs = await db().audienceSync.count({ where: { audience: { key: "delta", workspaceId: wsId } } });
    await change("delta", { remove: [{ user_id: "u7" }] });
    const replay = await change("delta", { add: [{ user_id: "u7" }], request_id: "req-1" });
    assert.equal(replay.replayed, true);
    assert.deepEqual(replay.body, first.body);
    assert.equal(
      await db().audienceSync.count({ where: { audience: { key: "delta", workspaceId: wsId } } }),
      syncs + 1,
    );
    assert.ok(!(await members("delta")).includes("user_id:u7"), "the replay did not re-add u7");
  });

  test("an unknown audience is a 404", async () => {
    await rejectsWith(change("missing", { add: [{ user_id: "u" }] }), "not_found");
  });
});

describe("snapshots (mirror mode)", () => {
  before(() => createAudience(ws.actors.growth, { key: "mirror", name: "Mirror", description: "", destinations: [] }));

  test("a snapshot becomes the membership: the diff is the adds and removes", async () => {
    await snapshot("mirror", { members: [{ user_id: "u1" }, { user_id: "u2" }, { anonymous_id: "a1" }] });
    const next = await snapshot("mirror", { members: [{ user_id: "u1" }, { user_id: "u3" }] });
    assert.deepEqual([next.body.added, next.body.removed, next.body.members], [1, 2, 2]);
    assert.deepEqual(await members("mirror"), ["user_id:u1", "user_id:u3"]);
    const log = await db().audienceChange.findMany({
      where: { syncId: String(next.body.sync_id) },
      orderBy: { value: "asc" },
    });
    assert.deepEqual(
      log.map((c) => `${c.action}:${c.kind}:${c.value}`),
      ["remove:anonymous_id:a1", "remove:user_id:u2", "add:user_id:u3"],
    );
    const same = await snapshot("mirror", { members: [{ user_id: "u3" }, { user_id: "u1" }] });
    assert.deepEqual([same.body.added, same.body.removed], [0, 0]);
  });

  test("a paged snapshot is applied when its last page arrives", async () => {
    const p1 = await snapshot("mirror", { members: users(["p1", "p2"]), snapshot_id: "s1", page: 1, total_pages: 3 });
    assert.equal(p1.status, 202);
    assert.deepEqual(p1.body.pages_received, [1]);
    assert.deepEqual(await members("mirror"), ["user_id:u1", "user_id:u3"], "nothing applied before the last page");
    await rejectsWith(
      snapshot("mirror", { members: users(["p9"]), snapshot_id: "s1", page: 2, total_pages: 4 }),
      "conflict",
    );
    await snapshot("mirror", { members: users(["p3", "u1"]), snapshot_id: "s1", page: 3, total_pages: 3 });
    const again = await snapshot("mirror", {
      members: users(["p1", "p2"]),
      snapshot_id: "s1",
      page: 1,
      total_pages: 3,
    });
    assert.equal(again.status, 202, "a re-sent page counts once");
    const done = await snapshot("mirror", { members: users(["p4"]), snapshot_id: "s1", page: 2, total_pages: 3 });
    assert.equal(done.status, 200);
    assert.deepEqual([done.body.added, done.body.removed], [4, 1]);
    assert.deepEqual(await members("mirror"), ["user_id:p1", "user_id:p2", "user_id:p3", "user_id:p4", "user_id:u1"]);
    assert.equal(
      await db().audienceStagedMember.count({ where: { batchKey: "snapshot:s1" } }),
      0,
      "staging is cleared",
    );
  });

  test("an upload whose last page never came is dropped after a week", async () => {
    const audience = await db().audience.findUniqueOrThrow({
      where: { workspaceId_key: { workspaceId: wsId, key: "mirror" } },
    });
    await db().audienceStaging.create({
      data: {
        audienceId: audience.id,
        batchKey: "snapshot:old",
        mode: "snapshot",
        totalPages: 2,
        pages: [1],
        createdAt: new Date(Date.now() - 8 * 86_400_000),
      },
    });
    await db().audienceStagedMember.create({
      data: { audienceId: audience.id, batchKey: "snapshot:old", action: "member", kind: "user_id", value: "old" },
    });
    await snapshot("mirror", { members: users(["n1"]), snapshot_id: "new", page: 1, total_pages: 2 });
    assert.equal(await db().audienceStaging.count({ where: { audienceId: audience.id, batchKey: "snapshot:old" } }), 0);
    assert.equal(
      await db().audienceStagedMember.count({ where: { audienceId: audience.id, batchKey: "snapshot:old" } }),
      0,
    );
    assert.equal(await db().audienceStaging.count({ where: { audienceId: audience.id, batchKey: "snapshot:new" } }), 1);
  });

  test("schema: paged fields go together", () => {
    assert.equal(membersSnapshotSchema.safeParse({ members: [], page: 1 }).success, false);
    assert.equal(
      membersSnapshotSchema.safeParse({ members: [], snapshot_id: "x", page: 3, total_pages: 2 }).success,
      false,
    );
  });

  test("a 100k-member snapshot is applied in one call, and the next one only diffs", async () => {
    await createAudience(ws.actors.growth, { key: "big", name: "Big", description: "", destinations: [] });
    const ids = Array.from({ length: 100_000 }, (_, i) => `big_${i}`);
    const started = Date.now();
    const first = await snapshot("big", { members: users(ids) });
    const firstMs = Date.now() - started;
    assert.deepEqual([first.body.added, first.body.members], [100_000, 100_000]);
    const shifted = [...ids.slice(10), ...Array.from({ length: 10 }, (_, i) => `big_new_${i}`)];
    const second = await snapshot("big", { members: users(shifted) });
    assert.deepEqual([second.body.added, second.body.removed, second.body.members], [10, 10, 100_000]);
    assert.ok(firstMs < 60_000, `first snapshot took ${firstMs} ms`);
    console.log(`100k snapshot: ${firstMs} ms; diff snapshot: ${Date.now() - started - firstMs} ms`);
  });
});

describe("identity resolution", () => {
  test("members resolve to profiles through user_id and linked anonymous_id; lookup finds them either way", async () => {
    const key = await writeKeyFor(ws);
    await identify(key, { user_id: "cust_9", anonymous_id: "anon_9", traits: { email: "nine@example.com" } });
    await createAudience(ws.actors.growth, { key: "resolved", name: "Resolved", description: "", destinations: [] });
    await change("resolved", {
      add: [{ anonymous_id: "anon_9" }, { user_id: "cust_9" }, { anonymous_id: "anon_unknown" }],
    });
    const profile = await db().profile.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: wsId, userId: "cust_9" } },
    });
    const rows = await db().audienceMember.findMany({
      where: { audience: { key: "resolved", workspaceId: wsId } },
      orderBy: { value: "asc" },
    });
    assert.deepEqual(
      rows.map((r) => [r.value, r.profileId]),
      [
        ["anon_9", profile.id],
        ["anon_unknown", null],
        ["cust_9", profile.id],
      ],
    );
    const viaUser = await lookupMember(ws.actors.viewer, "resolved", "cust_9");
    assert.equal(viaUser.is_member, true);
    assert.deepEqual(viaUser.matches.map((m) => m.value).sort(), ["anon_9", "cust_9"]);
    assert.equal((await lookupMember(ws.actors.viewer, "resolved", "someone_else")).is_member, false);
  });
});

describe("members endpoint (HTTP)", () => {
  const call = async (method: "POST" | "PUT", key: string, body: string, auth?: string) => {
    const { POST, PUT } = await import("@/app/api/audiences/[key]/members/route");
    const handler = method === "POST" ? POST : PUT;
    const response = await handler(
      new Request(`http://localhost/api/audiences/${key}/members`, {
        method,
        body,
        headers: { "content-type": "application/json", ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      }),
      { params: Promise.resolve({ key }) },
    );
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
  };

  test("write key required; clear 4xx for unknown audiences, bad JSON and bad members; replays flagged", async () => {
    const key = await writeKeyFor(ws);
    await createAudience(ws.actors.growth, { key: "http", name: "HTTP", description: "", destinations: [] });
    assert.equal((await call("POST", "http", JSON.stringify({ add: [{ user_id: "h1" }] }))).status, 401);
    assert.equal((await call("POST", "http", JSON.stringify({ add: [{ user_id: "h1" }] }), "tl_wk_wrong")).status, 401);
    assert.equal((await call("POST", "nope", JSON.stringify({ add: [{ user_id: "h1" }] }), key)).status, 404);
    assert.equal((await call("POST", "http", "{oops", key)).body.error.code, "invalid_json");
    const bad = await call("PUT", "http", JSON.stringify({ members: [{ user_id: "" }] }), key);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.issues[0].path, "members.0.user_id");
    const body = JSON.stringify({ members: users(["h1", "h2"]), request_id: "http-1" });
    const first = await call("PUT", "http", body, key);
    assert.deepEqual([first.status, first.body.added, first.headers.get("idempotent-replayed")], [200, 2, null]);
    const replay = await call("PUT", "http", body, key);
    assert.deepEqual(
      [replay.status, replay.body, replay.headers.get("idempotent-replayed")],
      [200, first.body, "true"],
    );
  });
});
