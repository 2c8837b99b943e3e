// Computed traits synced back to Heap through the TraitSync outbox, against a local Heap mock:
// bulk add_user_properties, only changed values, idempotent re-sends, an outage only delays.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { withTraitSyncLog } from "@/lib/delivery/attempt-log";
import { createDestination } from "@/lib/delivery/manage-destinations";
import { createComputedTrait } from "@/lib/traits/definitions";
import { CLAIM_DUE_SYNCS_SQL, processHeapSyncs } from "@/lib/traits/heap-outbox";
import { recomputeDueProfiles } from "@/lib/traits/recompute";
import { computedTraitCreateSchema } from "@/lib/validations/computed-traits";
import { destinationCreateSchema } from "@/lib/validations/delivery";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { type HeapMock, startHeapMock } from "./heap-mock";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, identify, writeKeyFor } from "./ingest-helpers";
import { claimPlan, nodesOf, rowsRead } from "./plan-nodes";

let mock: HeapMock;
let ws: TestWorkspace;
let key: string;
let clock = Date.now() + 60_000;

const options = () =>
  defaultWorkerOptions({
    now: () => new Date(clock),
    timeoutMs: 2_000,
    policy: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 },
  });
/** Recompute dirty profiles, then one pass of the Heap outbox. */
async function step() {
  while ((await recomputeDueProfiles({ now: new Date(clock) })) > 0);
  return processHeapSyncs("test-worker", options());
}
const syncsOf = async (userId: string) => {
  const profile = await db().profile.findUniqueOrThrow({
    where: { workspaceId_userId: { workspaceId: ws.workspace.id, userId } },
  });
  return withTraitSyncLog(
    await db().traitSync.findMany({ where: { profileId: profile.id }, orderBy: { createdAt: "asc" } }),
  );
};
const lastBody = () => mock.requests.at(-1)!.body;

before(async () => {
  mock = await startHeapMock();
  process.env.TRACKLAYER_HEAP_BASE_URL = mock.url;
  process.env.TRACKLAYER_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  await createDestination(
    ws.actors.admin,
    destinationCreateSchema.parse({
      type: "heap",
      name: "Heap",
      config: { app_id: "4242" },
      enabled: true,
      test_mode: false,
    }),
  );
  await createComputedTrait(
    ws.actors.growth,
    computedTraitCreateSchema.parse({ key: "buyer", name: "Buyer", rule: "purchases_30d >= 1" }),
  );
});
after(async () => {
  delete process.env.TRACKLAYER_HEAP_BASE_URL;
  await mock.close();
  await closeDatabase();
});

describe("Heap sync", () => {
  test("the first sync sends every value, many users in one bulk add_user_properties request (TRACKLAYER_HEAP_BASE_URL)", async () => {
    await identify(key, { user_id: "h1", traits: { email: "h1@example.com" } });
    await identify(key, { user_id: "h2", traits: {} });
    assert.equal(await step(), 2);
    assert.equal(mock.requests.length, 1);
    assert.equal(mock.requests[0]!.path, "/api/add_user_properties");
    const body = lastBody();
    assert.equal(body.app_id, "4242");
    assert.deepEqual(body.users.find((u) => u.identity === "h1")!.properties, {
      tl_match_quality: 4,
      tl_eligible_heap: "true",
      tl_last_conversion_event: "",
      tl_last_conversion_at: "",
      tl_buyer: "false",
    });
    assert.equal(body.users.find((u) => u.identity === "h2")!.properties.tl_match_quality, 1);
    assert.equal((await syncsOf("h1"))[0]!.status, "succeeded");
  });

  test("afterwards only changed values are sent; an unchanged recompute queues nothing", async () => {
    const at = new Date(clock - 3_600_000);
    await capture(key, {
      event: "purchase",
      event_id: "heap_p1",
      user_id: "h1",
      timestamp: at.toISOString(),
      properties: { order_id: "p1", value: 5, currency: "EUR" },
      source: "heap",
    });
    assert.equal(await step(), 1);
    assert.deepEqual(lastBody().users, [
      {
        identity: "h1",
        properties: { tl_last_conversion_event: "purchase", tl_last_conversion_at: at.toISOString(), tl_buyer: "true" },
      },
    ]);

    const sent = mock.requests.length;
    await identify(key, { user_id: "h1", traits: { email: "h1@example.com" } });
    assert.equal(await step(), 0, "recomputed, nothing changed, nothing queued");
    assert.equal(mock.requests.length, sent);
    assert.equal((await syncsOf("h1")).length, 2);
  });

  test("a Heap outage delays the change: retried with backoff, the same payload each time, logged, then delivered once", async () => {
    mock.faults.push(503, 503);
    await identify(key, { user_id: "h2", traits: { phone: "+49 151 23456789" } });
    assert.equal(await step(), 1);
    let [row] = (await syncsOf("h2")).slice(-1);
    assert.equal(row!.status, "retrying");
    assert.match(row!.lastError ?? "", /HTTP 503: Heap is unavailable/);
    assert.equal(await processHeapSyncs("w", options()), 0, "not due before its backoff");
    clock += 20_000;
    assert.equal(await processHeapSyncs("w", options()), 1);
    clock += 20_000;
    assert.equal(await processHeapSyncs("w", options()), 1);
    [row] = (await syncsOf("h2")).slice(-1);
    assert.equal(row!.status, "succeeded");
    assert.deepEqual(
      row!.log.map((l) => [l.outcome, l.exchange?.responseStatus]),
      [
        ["retry", 503],
        ["retry", 503],
        ["success", 200],
      ],
    );
    const tries = mock.requests.slice(-3).map((r) => JSON.stringify(r.body));
    assert.equal(
      new Set(tries).size,
      1,
      "every re-send carries the same payload (setting a property twice is harmless)",
    );
    assert.deepEqual(mock.users.get("h2")?.tl_match_quality, 3);
    clock += 60_000;
    assert.equal(await processHeapSyncs("w", options()), 0, "never sent again once accepted");
  });

  test("a change made while an earlier one waits for a retry joins it: Heap ends with the latest values", async () => {
    mock.faults.push(500);
    await identify(key, { user_id: "h3", traits: { email: "h3@example.com" } });
    await step();
    await identify(key, { user_id: "h3", traits: { phone: "+49 151 99999999" } });
    await step();
    const waiting = (await syncsOf("h3")).filter((s) => s.status !== "succeeded");
    assert.equal(waiting.length, 1, "merged into the waiting row");
    clock += 30_000;
    // The worker pass (as `npm run worker` runs it) recomputes and sends.
    await runOnce("w", options());
    assert.equal(mock.users.get("h3")?.tl_match_quality, 6);
    assert.deepEqual(
      (await syncsOf("h3")).map((s) => s.status),
      ["succeeded"],
    );
  });

  test("an identity over 255 characters is refused before sending, with the reason; the others are sent", async () => {
    await identify(key, { user_id: "h6", traits: {} });
    await identify(key, { user_id: "h7", traits: {} });
    while ((await recomputeDueProfiles({ now: new Date(clock) })) > 0);
    const [long] = await syncsOf("h6");
    await db().traitSync.update({ where: { id: long!.id }, data: { identity: "x".repeat(300) } });
    const before = mock.requests.length;
    await processHeapSyncs("test-worker", options());
    const [refused] = await syncsOf("h6");
    assert.equal(refused!.status, "dead");
    assert.match(refused!.lastError ?? "", /300 characters: Heap refuses identities longer than 255/);
    assert.equal(refused!.log[0]?.exchange, null, "nothing was sent for it");
    const sent = mock.requests.slice(before).flatMap((r) => r.body.users.map((u: { identity: string }) => u.identity));
    assert.ok(sent.includes("h7") && !sent.some((i: string) => i.length > 255));
    assert.equal((await syncsOf("h7"))[0]!.status, "succeeded");
  });

  test("a 400 from Heap is permanent: dead-lettered with the reason, not retried", async () => {
    mock.faults.push(400);
    await identify(key, { user_id: "h4", traits: {} });
    await step();
    const [row] = await syncsOf("h4");
    assert.equal(row!.status, "dead");
    assert.match(row!.lastError ?? "", /HTTP 400/);
  });

  test("a backlog of 20,000 (a rule changed for every profile) is claimed oldest first from the due index: no claim reads it whole", async () => {
    const heap = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "heap" } });
    const plan = await claimPlan(
      "TraitSync",
      async (raw) => {
        await raw.query(
          `INSERT INTO "TraitSync" ("id","workspaceId","destinationId","profileId","identity","properties","status","nextAttemptAt","createdAt","updatedAt")
           SELECT 'backlog_' || g, $1, $2, 'backlog_profile_' || g, 'backlog_user_' || g, '{"buyer":true}', 'pending',
             timestamp '2026-01-01', timestamp '2026-01-01', timestamp '2026-01-01'
           FROM generate_series(1, 20000) g`,
          [ws.workspace.id, heap.id],
        );
        await raw.exec(`ANALYZE "TraitSync"`);
      },
      CLAIM_DUE_SYNCS_SQL,
      ["2026-02-01 00:05", "backlog-worker", "2026-02-01", 100],
    );
    assert.equal(nodesOf(plan).find((n) => n["Node Type"] === "ModifyTable")?.["Actual Rows"], 100, "it leases 100");
    const read = rowsRead(plan, "TraitSync", "TraitSync_pkey");
    assert.ok(read.rows <= 200, `the claim read ${read.rows} rows of the backlog to take 100 (${read.scans})`);
  });
});
