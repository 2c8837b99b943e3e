// Test write keys validate mappings and nothing else: they cannot change audience members or the
// identity graph; whoever created a test key may revoke it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { POST as identifyRoute } from "@/app/api/identify/route";
import { POST as segmentRoute } from "@/app/v1/[type]/route";
import { createAudience } from "@/lib/audiences/manage-audiences";
import { closeDatabase, db } from "@/lib/db";
import { createWriteKey, listSources, revokeWriteKey } from "@/lib/registry/sources";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { type RouteHandler, send } from "./http-helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let testKey: string;
let heapId: string;

before(async () => {
  ws = await createTestWorkspace();
  testKey = await writeKeyFor(ws, "heap", [], true);
  heapId = (await db().source.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, key: "heap" } })).id;
  await createAudience(ws.actors.growth, { key: "vip", name: "VIP", description: "", destinations: [] });
});
after(() => closeDatabase());

const members = async () => (await import("@/app/api/audiences/[key]/members/route")) as Record<string, RouteHandler>;

describe("test write keys are refused where they would change production state", () => {
  test("POST and PUT /api/audiences/{key}/members: 403 test_key_not_allowed, nothing stored", async () => {
    const { POST, PUT } = await members();
    const add = await send(POST!, "/api/audiences/vip/members", {
      key: testKey,
      params: { key: "vip" },
      body: JSON.stringify({ add: [{ user_id: "intruder" }] }),
    });
    assert.equal(add.status, 403, JSON.stringify(add.body));
    assert.equal(add.body.error.code, "test_key_not_allowed");
    const put = await send(PUT!, "/api/audiences/vip/members", {
      method: "PUT",
      key: testKey,
      params: { key: "vip" },
      body: JSON.stringify({ members: [{ user_id: "intruder" }] }),
    });
    assert.equal(put.status, 403);
    const audience = await db().audience.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, key: "vip" } });
    assert.equal(await db().audienceMember.count({ where: { audienceId: audience.id } }), 0);
    // A live key still works.
    const live = await send(POST!, "/api/audiences/vip/members", {
      key: await writeKeyFor(ws, "heap"),
      params: { key: "vip" },
      body: JSON.stringify({ add: [{ user_id: "welcome" }] }),
    });
    assert.equal(live.status, 200, JSON.stringify(live.body));
  });

  test("/api/identify refuses test keys; capturing with one (validation) still works", async () => {
    const answer = await send(identifyRoute as RouteHandler, "/api/identify", {
      key: testKey,
      body: JSON.stringify({ user_id: "u_test", traits: { plan: "pro" } }),
    });
    assert.equal(answer.status, 403);
    assert.equal(answer.body.error.code, "test_key_not_allowed");
    const sent = await capture(testKey, {
      event: "Order Completed",
      event_id: `tk_${Date.now()}`,
      user_id: "u_test",
      properties: { order_id: "1", value: 1, currency: "EUR" },
    });
    assert.ok(sent.status < 300, JSON.stringify(sent.body));
  });

  test("/v1/identify and /v1/alias refuse test keys too", async () => {
    for (const [type, body] of [
      ["identify", { userId: "u_test", traits: { plan: "pro" } }],
      ["alias", { userId: "u_test", previousId: "anon_test" }],
    ] as const) {
      const answer = await send(segmentRoute as unknown as RouteHandler, `/v1/${type}`, {
        key: testKey,
        params: { type },
        body: JSON.stringify(body),
      });
      assert.equal(answer.status, 403, `${type}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, "test_key_not_allowed");
    }
  });
});

describe("revoking test keys", () => {
  test("the engineer who created a test key may revoke it; others (not admins) may not", async () => {
    const mine = await createWriteKey(ws.actors.engineer, heapId, { name: "mine", allowed_sources: [], test: true });
    const stored = await db().writeKey.findUniqueOrThrow({ where: { id: mine.id } });
    assert.equal(stored.createdById, ws.actors.engineer.userId);
    const listed = (await listSources(ws.actors.engineer)).rows.flatMap((s) => s.write_keys);
    assert.equal(listed.find((k) => k.id === mine.id)?.created_by_me, true);

    await rejectsWith(revokeWriteKey(ws.actors.analyst, heapId, mine.id), "forbidden");
    await rejectsWith(revokeWriteKey(ws.actors.viewer, heapId, mine.id), "forbidden");
    const revoked = await revokeWriteKey(ws.actors.engineer, heapId, mine.id);
    assert.ok(revoked.revoked_at);

    const live = await createWriteKey(ws.actors.admin, heapId, { name: "live", allowed_sources: [], test: false });
    await rejectsWith(revokeWriteKey(ws.actors.engineer, heapId, live.id), "forbidden");
    const theirs = await createWriteKey(ws.actors.analyst, heapId, { name: "theirs", allowed_sources: [], test: true });
    await rejectsWith(revokeWriteKey(ws.actors.engineer, heapId, theirs.id), "forbidden");
    assert.ok((await revokeWriteKey(ws.actors.admin, heapId, theirs.id)).revoked_at);
  });
});
