// Audience payload builders (pure): request caps, Meta sessions, hashing rules, match keys.
import assert from "node:assert/strict";
import { test } from "node:test";
import { planSync } from "@/lib/audiences/platforms";
import { googleAudienceMember, googleAudiences } from "@/lib/audiences/platforms/google";
import { linkedinAudiences } from "@/lib/audiences/platforms/linkedin";
import {
  classifyMetaAudience,
  META_MAX_REMOVE_ROWS,
  META_MAX_ROWS,
  metaAudienceRow,
  metaAudiences,
} from "@/lib/audiences/platforms/meta";
import type { PlatformSettings, ResolvedMember } from "@/lib/audiences/platforms/types";
import { sha256Hex } from "@/lib/delivery/normalize";

const settings = (over: Partial<PlatformSettings> = {}): PlatformSettings => ({
  config: { customer_id: "1234567890" },
  secrets: { access_token: "tok" },
  baseUrl: "http://platform.test",
  testMode: false,
  now: new Date("2026-11-29T10:00:00Z"),
  ...over,
});
const target = { key: "k", name: "K", audienceId: "99", ref: "row-1", full: false };
const withEmail = (i: number): ResolvedMember => ({
  kind: "user_id",
  value: `u${i}`,
  userId: `u${i}`,
  traits: { email: `user${i}@example.com` },
});

test("Meta: more than 10,000 rows go in several requests of one session; removes are DELETE", () => {
  const adds = Array.from({ length: 25_000 }, (_, i) => withEmail(i));
  const requests = metaAudiences.build(adds, [withEmail(1)], target, settings());
  assert.equal(requests.length, 4);
  const bodies = requests.map((r) =>
    r.method === "DELETE"
      ? Object.fromEntries(
          [...new URL(r.url).searchParams].map(([k, v]) => [k, k === "access_token" ? v : JSON.parse(v)]),
        )
      : JSON.parse(r.body),
  );
  assert.deepEqual(
    bodies.slice(0, 3).map((b) => b.payload.data.length),
    [META_MAX_ROWS, META_MAX_ROWS, 5_000],
  );
  assert.deepEqual(
    bodies.slice(0, 3).map((b) => [b.session.batch_seq, b.session.last_batch_flag, b.session.estimated_num_total]),
    [
      [1, false, 25_000],
      [2, false, 25_000],
      [3, true, 25_000],
    ],
  );
  assert.equal(new Set(bodies.slice(0, 3).map((b) => b.session.session_id)).size, 1);
  assert.deepEqual(
    requests.map((r) => r.method),
    ["POST", "POST", "POST", "DELETE"],
  );
  assert.equal(bodies[3].session, undefined, "a single request needs no session");
  assert.equal(requests[0]!.url, "http://platform.test/v24.0/99/users");
  assert.equal((requests[0]!.log.body as { access_token?: string }).access_token, undefined, "the token is not logged");
});

test("Meta removal in the SDK's form: DELETE with payload, session and token in the query string, no body", () => {
  const removes = Array.from({ length: 120 }, (_, i) => withEmail(i));
  const requests = metaAudiences.build([], removes, target, settings());
  assert.equal(requests.length, Math.ceil(120 / META_MAX_REMOVE_ROWS));
  for (const [i, r] of requests.entries()) {
    assert.equal(r.method, "DELETE");
    assert.equal(r.body, "");
    assert.equal(r.headers["Content-Type"], undefined);
    const query = new URL(r.url).searchParams;
    assert.equal(query.get("access_token"), "tok");
    assert.deepEqual(JSON.parse(query.get("payload") ?? "{}").schema, ["EMAIL", "PHONE", "EXTERN_ID"]);
    assert.equal(JSON.parse(query.get("session") ?? "{}").batch_seq, i + 1);
    assert.ok(r.url.length < 16_000, "the query string stays a sane length");
    assert.ok(!r.log.url.includes("tok") && !r.log.url.includes("payload="), "the logged URL carries neither");
  }
});

test("Meta audience answers per row: some invalid rows are reported in the ack; all invalid is a permanent failure", () => {
  const ok = (body: unknown) => ({ status: 200, headers: {}, body });
  assert.deepEqual(classifyMetaAudience(ok({ audience_id: "99", num_received: 3, num_invalid_entries: 0 })), {
    outcome: "success",
    ack: { events_received: undefined, fbtrace_id: undefined, messages: [] },
  });
  const some = classifyMetaAudience(
    ok({ num_received: 3, num_invalid_entries: 1, invalid_entry_samples: { "0": "bad email" } }),
  );
  assert.equal(some.outcome, "success");
  assert.match(String(some.outcome === "success" && some.ack?.reason), /1 of 3 rows invalid: .*bad email/);
  const all = classifyMetaAudience(ok({ num_received: 2, num_invalid_entries: 2, invalid_entry_samples: {} }));
  assert.equal(all.outcome, "permanent");
  assert.match((all as { reason: string }).reason, /all 2 rows invalid/);
});

test("Meta rows: hashed email and phone (Meta rules), EXTERN_ID hashed like CAPI's external_id; a supplied hash passes through", () => {
  const hash = sha256Hex("x@y.com");
  assert.deepEqual(
    metaAudienceRow({
      kind: "user_id",
      value: "u1",
      userId: "u1",
      traits: { email: " X@Y.com", phone: "+44 020 7946 0018" },
    }),
    // The trunk 0 after +44 is dropped; EXTERN_ID is the same SHA-256 the Conversions API sends as external_id.
    [hash, sha256Hex("442079460018"), sha256Hex("u1")],
  );
  assert.deepEqual(
    metaAudienceRow({ kind: "anonymous_id", value: "a", userId: null, traits: { email_sha256: hash } }),
    [hash, "", ""],
  );
  assert.equal(metaAudienceRow({ kind: "anonymous_id", value: "a", userId: null, traits: {} }), null);
});

test("Google: identifiers under Google rules, ≤ 10,000 per request, validateOnly in test mode, no consent or terms on remove", () => {
  assert.deepEqual(
    googleAudienceMember({ kind: "user_id", value: "u", userId: "u", traits: { email: "J.Doe@googlemail.com" } }),
    {
      userData: { userIdentifiers: [{ emailAddress: sha256Hex("jdoe@googlemail.com") }] },
    },
  );
  assert.equal(
    googleAudienceMember({ kind: "user_id", value: "u", userId: "u", traits: {} }),
    null,
    "a user id alone does not match in Customer Match",
  );
  const adds = Array.from({ length: 10_001 }, (_, i) => withEmail(i));
  const requests = googleAudiences.build(adds, [withEmail(1)], target, settings({ testMode: true }));
  assert.deepEqual(
    requests.map((r) => r.url.replace("http://platform.test", "")),
    ["/v1/audienceMembers:ingest", "/v1/audienceMembers:ingest", "/v1/audienceMembers:remove"],
  );
  const [first, , remove] = requests.map((r) => JSON.parse(r.body));
  assert.equal(first.audienceMembers.length, 10_000);
  assert.equal(first.validateOnly, true);
  assert.deepEqual(first.termsOfService, { customerMatchTermsOfServiceStatus: "ACCEPTED" });
  assert.equal(remove.termsOfService, undefined);
  assert.equal(
    googleAudiences.check(target, settings({ config: {} })),
    "the Google Ads destination needs config.customer_id (10 digits)",
  );
});

test("LinkedIn: ADD and REMOVE elements share requests of at most 5,000", () => {
  const requests = linkedinAudiences.build(
    Array.from({ length: 6_000 }, (_, i) => withEmail(i)),
    [withEmail(7)],
    target,
    settings(),
  );
  const bodies = requests.map((r) => JSON.parse(r.body));
  assert.deepEqual(
    bodies.map((b) => b.elements.length),
    [5_000, 1_001],
  );
  assert.deepEqual(bodies[1].elements.at(-1), {
    action: "REMOVE",
    userIds: [{ idType: "SHA256_EMAIL", idValue: sha256Hex("user7@example.com") }],
  });
  assert.equal(
    linkedinAudiences.classify({ status: 200, headers: {}, body: { elements: [{ status: 201 }, { status: 503 }] } })
      .outcome,
    "retry",
  );
});

test("planSync counts members no identifier matches as unmatchable and does not send them", () => {
  const anonymous: ResolvedMember = { kind: "anonymous_id", value: "a", userId: null, traits: {} };
  const plan = planSync(googleAudiences, [withEmail(1), anonymous], [anonymous], target, settings());
  assert.deepEqual([plan.adds, plan.removes, plan.unmatchable, plan.requests.length], [1, 0, 2, 1]);
  assert.equal(planSync(googleAudiences, [anonymous], [], target, settings()).requests.length, 0);
});
