// Audience sync against local mock platforms: Meta, Google Customer Match, LinkedIn DMP and the
// webhook receive the membership (hashed as each requires), diffs only after the first sync,
// unmatchable members are counted, failures retry with backoff and re-sends are idempotent.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { audienceDetail } from "@/lib/audiences/audience-status";
import { createAudience, updateAudience } from "@/lib/audiences/manage-audiences";
import { changeMembers } from "@/lib/audiences/membership";
import { type AudienceSyncOptions, runAudienceSyncOnce } from "@/lib/audiences/sync/deliver";
import { closeDatabase, db } from "@/lib/db";
import { withExchanges } from "@/lib/delivery/attempt-log";
import { verifyWebhookSignature } from "@/lib/delivery/destinations/webhook";
import { sha256Hex } from "@/lib/delivery/normalize";
import { sealSecrets } from "@/lib/delivery/secret-box";
import { membersChangeSchema } from "@/lib/validations/audiences";
import { type AudienceMock, startAudienceMock } from "./audience-mock";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { identify, writeKeyFor } from "./ingest-helpers";

process.env.TRACKLAYER_ENCRYPTION_KEY ||= randomBytes(32).toString("base64");
const SIGNING = "audience-webhook-signing-secret";

let ws: TestWorkspace;
let mock: AudienceMock;
let offset = 0;
const dest = { meta: "", google: "", linkedin: "", webhook: "" };
const opts: AudienceSyncOptions = {
  now: () => new Date(Date.now() + offset),
  timeoutMs: 2_000,
  leaseMs: 5 * 60_000,
  policy: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 },
};

const change = (key: string, body: Record<string, unknown>) =>
  changeMembers(ws.workspace.id, key, membersChangeSchema.parse(body));
const byPath = (fragment: string) => mock.received.filter((r) => r.path.includes(fragment));
async function drain() {
  for (let i = 0; i < 6; i++) {
    if ((await runAudienceSyncOnce("test", opts)) === 0) return;
  }
}

before(async () => {
  ws = await createTestWorkspace();
  mock = await startAudienceMock();
  const make = async (
    type: "meta" | "google_ads" | "linkedin" | "webhook",
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ) =>
    (
      await db().destination.create({
        data: {
          workspaceId: ws.workspace.id,
          type,
          name: `${type} audiences`,
          enabled: true,
          testMode: false,
          config: config as object,
          secretsEncrypted: sealSecrets(secrets),
        },
      })
    ).id;
  dest.meta = await make("meta", { base_url: mock.url, pixel_id: "1" }, { access_token: "meta-token" });
  dest.google = await make(
    "google_ads",
    { base_url: mock.url, customer_id: "123-456-7890", ad_user_data: "GRANTED" },
    { access_token: "google-token" },
  );
  dest.linkedin = await make("linkedin", { base_url: mock.url }, { access_token: "li-token" });
  dest.webhook = await make("webhook", { url: `${mock.url}/hooks/audiences` }, { signing_secret: SIGNING });
  const key = await writeKeyFor(ws);
  await identify(key, {
    user_id: "ann",
    anonymous_id: "anon_ann",
    traits: { email: " Ann.Smith@Gmail.com ", phone: "+33 6 12 34 56 78" },
  });
  await identify(key, { user_id: "bob", traits: { phone: "+1 (415) 555-0100" } });
  await createAudience(ws.actors.growth, {
    key: "trials",
    name: "Strong trials",
    description: "",
    destinations: [
      { destination_id: dest.meta, enabled: true, audience_id: "2384" },
      { destination_id: dest.google, enabled: true, audience_id: "5550" },
      { destination_id: dest.linkedin, enabled: true, audience_id: "7777" },
      { destination_id: dest.webhook, enabled: true },
    ],
  });
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

describe("first sync and diffs", () => {
  test("the first sync sends the membership to every platform in its format; unmatchable members are counted", async () => {
    await change("trials", { add: [{ anonymous_id: "anon_ann" }, { user_id: "bob" }, { anonymous_id: "stranger" }] });
    await drain();
    const [meta] = byPath("/v24.0/2384/users");
    assert.equal(meta?.method, "POST");
    assert.deepEqual(meta?.body.payload.schema, ["EMAIL", "PHONE", "EXTERN_ID"]);
    assert.equal(meta?.body.access_token, "meta-token");
    assert.deepEqual(
      [...meta!.body.payload.data].sort(),
      [
        [sha256Hex("ann.smith@gmail.com"), sha256Hex("33612345678"), sha256Hex("ann")],
        ["", sha256Hex("14155550100"), sha256Hex("bob")],
      ].sort(),
      "anon_ann resolves to ann's profile; stranger has nothing Meta can match",
    );
    const [google] = byPath("/v1/audienceMembers:ingest");
    assert.equal(google?.headers.authorization, "Bearer google-token");
    assert.deepEqual(google?.body.destinations, [
      { operatingAccount: { accountType: "GOOGLE_ADS", accountId: "1234567890" }, productDestinationId: "5550" },
    ]);
    assert.equal(google?.body.encoding, "HEX");
    assert.deepEqual(google?.body.termsOfService, { customerMatchTermsOfServiceStatus: "ACCEPTED" });
    assert.deepEqual(google?.body.consent, { adUserData: "CONSENT_GRANTED" });
    assert.deepEqual(
      google?.body.audienceMembers.map((m: any) => m.userData.userIdentifiers).sort(),
      [
        [{ emailAddress: sha256Hex("annsmith@gmail.com") }, { phoneNumber: sha256Hex("+33612345678") }],
        [{ phoneNumber: sha256Hex("+14155550100") }],
      ].sort(),
    );
    const [linkedin] = byPath("/rest/dmpSegments/7777/users");
    assert.equal(linkedin?.headers["x-restli-method"], "BATCH_CREATE");
    assert.deepEqual(linkedin?.body.elements, [
      { action: "ADD", userIds: [{ idType: "SHA256_EMAIL", idValue: sha256Hex("ann.smith@gmail.com") }] },
    ]);
    const [hook] = byPath("/hooks/audiences");
    assert.ok(
      verifyWebhookSignature(
        hook!.raw,
        String(hook!.headers["x-tracklayer-timestamp"]),
        String(hook!.headers["x-tracklayer-signature"]),
        SIGNING,
        300,
        new Date(Date.now() + offset),
      ),
    );
    assert.equal(hook?.body.full, true);
    assert.equal(hook?.body.add.length, 3);

    const detail = await audienceDetail(ws.actors.viewer, "trials");
    const rate = Object.fromEntries(detail.destination_status.map((d) => [d.type, [d.status, d.members, d.matchable]]));
    assert.deepEqual(rate, {
      meta: ["succeeded", 3, 2],
      google_ads: ["succeeded", 3, 2],
      linkedin: ["succeeded", 3, 1],
      webhook: ["succeeded", 3, 3],
    });
    const metaRow = detail.syncs[0]!.deliveries.find((d) => d.destination_id === dest.meta)!;
    assert.deepEqual([metaRow.full, metaRow.sent_adds, metaRow.unmatchable], [true, 2, 1]);
  });

  test("later syncs send only the diff; removes use each platform's remove call", async () => {
    mock.received.length = 0;
    await change("trials", { remove: [{ user_id: "bob" }] });
    await drain();
    const meta = byPath("/2384/users");
    // As the official SDK sends a removal: every parameter in the query string (JSON-encoded), no body.
    const query = (r: (typeof meta)[number]) => new URL(r.path, "http://x").searchParams;
    assert.deepEqual(
      meta.map((r) => [r.method, r.raw, JSON.parse(query(r).get("payload") ?? "null").data]),
      [["DELETE", "", [["", sha256Hex("14155550100"), sha256Hex("bob")]]]],
    );
    assert.equal(query(meta[0]!).get("access_token"), "meta-token");
    assert.equal(byPath("/v1/audienceMembers:remove").length, 1);
    assert.equal(byPath("/v1/audienceMembers:ingest").length, 0);
    assert.equal(byPath("/rest/dmpSegments").length, 0, "bob has no email: nothing for LinkedIn");
    const [hook] = byPath("/hooks/audiences");
    assert.deepEqual(
      [hook?.body.full, hook?.body.add, hook?.body.remove],
      [false, [], [{ user_id: "bob", profile_user_id: "bob" }]],
    );
    const detail = await audienceDetail(ws.actors.viewer, "trials");
    assert.equal(detail.destination_status.find((d) => d.type === "meta")?.members, 2);
  });
});

describe("failures", () => {
  test("a 5xx retries with backoff, is logged, and the re-send succeeds; a 400 dead-letters", async () => {
    await updateAudience(ws.actors.growth, "trials", {
      destinations: [{ destination_id: dest.meta, enabled: true, audience_id: "2384" }],
    });
    mock.received.length = 0;
    mock.faults.push({ status: 503, body: { error: { message: "busy", code: 2, is_transient: true } } });
    await change("trials", { add: [{ user_id: "carol" }] });
    await runAudienceSyncOnce("test", opts);
    const row = await db().audienceDelivery.findFirstOrThrow({
      where: { destinationId: dest.meta },
      orderBy: { seq: "desc" },
    });
    assert.equal(row.status, "retrying");
    assert.match(row.lastError ?? "", /busy/);
    const [attempt] = await withExchanges(
      await db().audienceDeliveryAttempt.findMany({ where: { deliveryId: row.id } }),
    );
    assert.equal(attempt?.exchange?.responseStatus, 503);
    assert.equal(await runAudienceSyncOnce("test", opts), 0, "not due before its backoff");
    offset += 60_000;
    await drain();
    const done = await db().audienceDelivery.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal(done.status, "succeeded");
    assert.equal(byPath("/2384/users").length, 2, "sent once more after the failure, not again after success");
    await drain();
    assert.equal(byPath("/2384/users").length, 2);

    mock.faults.push({ status: 400, body: { error: { message: "Invalid parameter", code: 100 } } });
    await change("trials", { add: [{ user_id: "dave" }] });
    await drain();
    const dead = await db().audienceDelivery.findFirstOrThrow({
      where: { destinationId: dest.meta },
      orderBy: { seq: "desc" },
    });
    assert.equal(dead.status, "dead");
    assert.match(dead.lastError ?? "", /Meta error 100/);
    const detail = await audienceDetail(ws.actors.viewer, "trials");
    assert.match(detail.errors[0]?.reason ?? "", /Invalid parameter/);
  });

  test("Meta's per-row answer: some invalid rows are kept in the ack; all rows invalid dead-letters with the samples", async () => {
    await updateAudience(ws.actors.growth, "trials", {
      destinations: [{ destination_id: dest.meta, enabled: true, audience_id: "2384" }],
    });
    await drain();
    const latest = () =>
      db().audienceDelivery.findFirstOrThrow({ where: { destinationId: dest.meta }, orderBy: { seq: "desc" } });
    mock.faults.push({
      status: 200,
      body: { audience_id: "2384", num_received: 2, num_invalid_entries: 1, invalid_entry_samples: { x: "bad hash" } },
    });
    await change("trials", { add: [{ user_id: "gina" }, { user_id: "hank" }] });
    await drain();
    const some = await latest();
    assert.equal(some.status, "succeeded");
    assert.match(JSON.stringify(some.ack), /1 of 2 rows invalid: .*bad hash/);
    mock.faults.push({
      status: 200,
      body: { audience_id: "2384", num_received: 1, num_invalid_entries: 1, invalid_entry_samples: { y: "bad" } },
    });
    await change("trials", { add: [{ user_id: "ivan" }] });
    await drain();
    const all = await latest();
    assert.equal(all.status, "dead");
    assert.match(all.lastError ?? "", /Meta found all 1 rows invalid/);
  });

  test("a destination switched off on the audience is skipped; switched on, it gets a full sync", async () => {
    await updateAudience(ws.actors.growth, "trials", {
      destinations: [
        { destination_id: dest.meta, enabled: false, audience_id: "2384" },
        { destination_id: dest.linkedin, enabled: true, audience_id: "7777" },
      ],
    });
    mock.received.length = 0;
    await drain();
    const linkedin = byPath("/rest/dmpSegments/7777/users");
    assert.equal(linkedin.length, 1, "switched on again: full sync of the current membership");
    assert.deepEqual(
      linkedin[0]?.body.elements.map((e: any) => e.action),
      ["ADD"],
    );
    await change("trials", { add: [{ user_id: "erin" }] });
    await drain();
    assert.equal(byPath("/2384/users").length, 0, "meta is off for this audience");
  });
});
