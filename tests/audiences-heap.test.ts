// Heap's segment sync webhook: Heap-Hash signatures (bad, stale), the workspace found by its URL
// token, segments mapped to audiences (configured or created), paged syncs assembled by
// sync_task_id, redelivered pages changing nothing.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { configureHeapIntegration, getHeapIntegration } from "@/lib/audiences/heap/integration";
import { handleHeapSegmentSync, heapHashProblem, signHeapHash } from "@/lib/audiences/heap/segment-sync";
import { createAudience } from "@/lib/audiences/manage-audiences";
import { closeDatabase, db } from "@/lib/db";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

process.env.TRACKLAYER_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");

let ws: TestWorkspace;
let path: string;
let secret: string;

function heapBody(
  segment: { id: number; name: string },
  info: { page_number: number; total_pages: number; sync_task_id: number },
  add: string[],
  remove: string[] = [],
) {
  return JSON.stringify({
    id_token: "tok",
    action_type: "segment.users.sync",
    data: { segment, sync_info: info, add: add.map((id) => ({ id })), remove: remove.map((id) => ({ id })) },
  });
}

async function post(body: string, opts: { secret?: string; ts?: number; url?: string; header?: string } = {}) {
  const ts = opts.ts ?? Date.now();
  const response = await handleHeapSegmentSync(
    new Request(`http://localhost${opts.url ?? path}`, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "heap-hash": opts.header ?? signHeapHash(body, opts.secret ?? secret, ts),
      },
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const members = async (key: string) =>
  (
    await db().audienceMember.findMany({
      where: { audience: { workspaceId: ws.workspace.id, key } },
      orderBy: { value: "asc" },
    })
  ).map((m) => m.value);

before(async () => {
  ws = await createTestWorkspace();
  await rejectsWith(getHeapIntegration(ws.actors.growth), "forbidden");
  const setup = await configureHeapIntegration(ws.actors.admin, { identity_kind: "user_id", rotate_secret: false });
  path = setup.webhook_path!;
  secret = setup.secret!;
});
after(closeDatabase);

describe("Heap-Hash", () => {
  test("signature rules: fresh and matching only", () => {
    const now = 1_800_000_000_000;
    const header = signHeapHash('{"a":1}', "s3cret", now);
    assert.equal(heapHashProblem(header, '{"a":1}', "s3cret", now + 5_000), null);
    assert.equal(heapHashProblem(header, '{"a":2}', "s3cret", now), "Heap-Hash signature does not match");
    assert.equal(heapHashProblem(header, '{"a":1}', "other", now), "Heap-Hash signature does not match");
    assert.equal(heapHashProblem(header, '{"a":1}', "s3cret", now + 61_000), "stale Heap-Hash timestamp");
    assert.equal(heapHashProblem(null, "", "s3cret", now), "missing or malformed Heap-Hash header");
  });

  test("bad or stale signatures and unknown workspace tokens are refused with 403; nothing is stored", async () => {
    const body = heapBody({ id: 1, name: "Stalled checkout" }, { page_number: 1, total_pages: 1, sync_task_id: 10 }, [
      "u1",
    ]);
    assert.equal((await post(body, { secret: "wrong-secret" })).status, 403);
    assert.equal((await post(body, { ts: Date.now() - 61_000 })).status, 403);
    assert.equal((await post(body, { header: "garbage" })).status, 403);
    assert.equal((await post(body, { url: "/api/integrations/heap/segment-sync?workspace=nope" })).status, 403);
    assert.equal(
      await db().audience.count({ where: { workspaceId: ws.workspace.id, sourceCohort: "heap:segment:1" } }),
      0,
    );
  });

  test("a signed body that is not a segment sync is a 400 with field paths", async () => {
    const bad = await post(JSON.stringify({ action_type: "segment.users.sync", data: { segment: { id: 1 } } }));
    assert.equal(bad.status, 400);
    assert.ok(bad.body.error.issues.some((i: { path: string }) => i.path === "data.segment.name"));
    assert.equal((await post("{not json")).status, 400);
  });
});

describe("segment syncs", () => {
  test("a single-page sync creates the segment's audience and applies adds and removes", async () => {
    const first = await post(
      heapBody({ id: 501, name: "Strong trials" }, { page_number: 1, total_pages: 1, sync_task_id: 1 }, [
        "u1",
        "u2",
        "u3",
      ]),
    );
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.audience, "heap-501");
    const audience = await db().audience.findUniqueOrThrow({
      where: { workspaceId_key: { workspaceId: ws.workspace.id, key: "heap-501" } },
    });
    assert.deepEqual([audience.name, audience.sourceCohort], ["Strong trials", "heap:segment:501"]);
    await post(
      heapBody({ id: 501, name: "Strong trials" }, { page_number: 1, total_pages: 1, sync_task_id: 2 }, ["u4"], ["u1"]),
    );
    assert.deepEqual(await members("heap-501"), ["u2", "u3", "u4"]);
  });

  test("a segment lands on the audience configured with its cohort reference", async () => {
    await createAudience(ws.actors.growth, {
      key: "churn-risk",
      name: "Churn risk",
      description: "",
      source_cohort: "heap:segment:77",
      destinations: [],
    });
    const res = await post(
      heapBody({ id: 77, name: "Churn risk (Heap)" }, { page_number: 1, total_pages: 1, sync_task_id: 3 }, ["c1"]),
    );
    assert.equal(res.body.audience, "churn-risk");
    assert.deepEqual(await members("churn-risk"), ["c1"]);
  });

  test("paged syncs are assembled by sync_task_id and applied as one sync when the last page arrives; redeliveries change nothing", async () => {
    const segment = { id: 900, name: "Paged" };
    const p0 = await post(heapBody(segment, { page_number: 0, total_pages: 3, sync_task_id: 44 }, ["a", "b"]));
    assert.equal(p0.status, 200);
    assert.equal(p0.body.status, "pending");
    assert.deepEqual(await members("heap-900"), []);
    await post(heapBody(segment, { page_number: 2, total_pages: 3, sync_task_id: 44 }, ["c"]));
    const again = await post(heapBody(segment, { page_number: 0, total_pages: 3, sync_task_id: 44 }, ["a", "b"]));
    assert.equal(again.body.status, "pending", "a redelivered page counts once");
    const last = await post(heapBody(segment, { page_number: 1, total_pages: 3, sync_task_id: 44 }, ["d"]));
    assert.equal(last.body.status, "applied");
    assert.equal(last.body.added, 4);
    assert.deepEqual(await members("heap-900"), ["a", "b", "c", "d"]);
    assert.equal(
      await db().audienceSync.count({ where: { audience: { key: "heap-900", workspaceId: ws.workspace.id } } }),
      1,
    );
    const redelivered = await post(heapBody(segment, { page_number: 1, total_pages: 3, sync_task_id: 44 }, ["d"]));
    assert.deepEqual(redelivered.body, last.body, "Heap retrying the last page gets the same answer");
    assert.equal(
      await db().audienceSync.count({ where: { audience: { key: "heap-900", workspaceId: ws.workspace.id } } }),
      1,
    );
  });

  test("rotating the secret invalidates the old one", async () => {
    const rotated = await configureHeapIntegration(ws.actors.admin, { identity_kind: "user_id", rotate_secret: true });
    assert.notEqual(rotated.secret, secret);
    assert.equal(rotated.webhook_path, path, "the URL stays");
    const body = heapBody({ id: 501, name: "Strong trials" }, { page_number: 1, total_pages: 1, sync_task_id: 9 }, [
      "u9",
    ]);
    assert.equal((await post(body)).status, 403);
    secret = rotated.secret!;
    assert.equal((await post(body)).status, 200);
  });
});
