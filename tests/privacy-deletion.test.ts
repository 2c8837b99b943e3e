// Erasure of one person end to end against local mocks (Meta / Google / LinkedIn audiences,
// HubSpot's GDPR delete, Heap's user deletion): a crash mid-way resumes at the first unfinished
// step without repeating the platform calls, and the receipt says what was erased where — with
// no personal data in it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createAudience } from "@/lib/audiences/manage-audiences";
import { changeMembers } from "@/lib/audiences/membership";
import { runAudienceSyncOnce } from "@/lib/audiences/sync/deliver";
import { closeDatabase, database, db } from "@/lib/db";
import { sha256Hex } from "@/lib/delivery/normalize";
import { sealSecrets } from "@/lib/delivery/secret-box";
import { claimDeletion, runDueDeletions } from "@/lib/privacy/deletion-queue";
import { fileDeletion, getDeletion } from "@/lib/privacy/deletions";
import { hashIdentifier } from "@/lib/privacy/identifier-hash";
import { runDeletion } from "@/lib/privacy/run-deletion";
import { membersChangeSchema } from "@/lib/validations/audiences";
import { deletionCreateSchema } from "@/lib/validations/privacy";
import { type AudienceMock, startAudienceMock } from "./audience-mock";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, identify, storedEvent, writeKeyFor } from "./ingest-helpers";
import { type ErasureMock, HEAP_CREDENTIALS, startErasureMock } from "./privacy-mock";

let ws: TestWorkspace;
let key: string;
let audiences: AudienceMock;
let erasure: ErasureMock;
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);
const file = (kind: string, value: string) =>
  fileDeletion(ws.actors.admin, deletionCreateSchema.parse({ kind, value }));

async function destination(
  type: "meta" | "google_ads" | "linkedin" | "hubspot" | "heap",
  config: object,
  secrets: object,
) {
  return (
    await db().destination.create({
      data: {
        workspaceId: ws.workspace.id,
        type,
        name: `${type} (privacy)`,
        enabled: true,
        testMode: false,
        config,
        secretsEncrypted: sealSecrets(secrets as Record<string, string>),
      },
    })
  ).id;
}

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws, "heap");
  audiences = await startAudienceMock();
  erasure = await startErasureMock();
  const meta = await destination("meta", { base_url: audiences.url, pixel_id: "1" }, { access_token: "meta-token" });
  const google = await destination(
    "google_ads",
    { base_url: audiences.url, customer_id: "123-456-7890", ad_user_data: "GRANTED" },
    { access_token: "google-token" },
  );
  const linkedin = await destination("linkedin", { base_url: audiences.url }, { access_token: "li-token" });
  await destination("hubspot", { base_url: erasure.url, portal_id: "42" }, { access_token: "hs-token" });
  await destination(
    "heap",
    { base_url: erasure.url, app_id: HEAP_CREDENTIALS.app_id },
    { api_key: HEAP_CREDENTIALS.api_key },
  );
  await identify(key, {
    user_id: "ann",
    anonymous_id: "anon_ann",
    traits: { email: "Ann.Smith@Gmail.com", plan: "pro" },
  });
  await identify(key, { user_id: "bob", traits: { email: "bob@example.com" } });
  await createAudience(ws.actors.growth, {
    key: "trials",
    name: "Trials",
    description: "",
    destinations: [
      { destination_id: meta, enabled: true, audience_id: "2384" },
      { destination_id: google, enabled: true, audience_id: "5550" },
      { destination_id: linkedin, enabled: true, audience_id: "7777" },
    ],
  });
  await changeMembers(
    ws.workspace.id,
    "trials",
    membersChangeSchema.parse({ add: [{ user_id: "ann" }, { user_id: "bob" }] }),
  );
  for (let i = 0; i < 6; i++)
    if ((await runAudienceSyncOnce("test", { leaseMs: 60_000, timeoutMs: 2_000 })) === 0) break;
  audiences.received.length = 0;
});
after(async () => {
  await audiences.close();
  await erasure.close();
  await closeDatabase();
});

describe("deleting one person", () => {
  test("end to end, with a crash before erase_events that resumes where it stopped", async () => {
    const events = ["ann_e1", "ann_e2"];
    await capture(key, {
      event: "purchase",
      event_id: events[0],
      user_id: "ann",
      source: "heap",
      properties: { order_id: "o1", value: 5, currency: "EUR" },
    });
    await capture(key, {
      event: "page_viewed",
      event_id: events[1],
      anonymous_id: "anon_ann",
      properties: { path: "/ann" },
    });
    await capture(key, {
      event: "purchase",
      event_id: "bob_e1",
      user_id: "bob",
      source: "heap",
      properties: { order_id: "o2", value: 7, currency: "EUR" },
    });
    // One of ann's events (and its payload) arrived two months back, in another month's partition:
    // erasure scrubs each event by its full key (id, receivedAt), whichever month it is in.
    const older = await storedEvent(ws.workspace.id, events[1]!);
    const twoMonthsBack = `"receivedAt" = "receivedAt" - interval '62 days'`;
    await database().raw.query(`UPDATE "Event" SET ${twoMonthsBack} WHERE "id" = $1`, [older.id]);
    await database().raw.query(`UPDATE "EventPayload" SET ${twoMonthsBack} WHERE "eventRowId" = $1`, [older.id]);
    const annProfile = await db().profile.findUniqueOrThrow({
      where: { workspaceId_userId: { workspaceId: ws.workspace.id, userId: "ann" } },
    });
    await db().profileComputedTrait.create({
      data: { profileId: annProfile.id, key: "ltv", workspaceId: ws.workspace.id, value: 5 },
    });
    // A delivery-log row that carried ann's event.
    const annEvent = await storedEvent(ws.workspace.id, events[0]!);
    const hubspotId = (
      await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "hubspot" } })
    ).id;
    const delivery = await db().delivery.create({
      data: {
        id: `d_${annEvent.id}`,
        workspaceId: ws.workspace.id,
        eventRowId: annEvent.id,
        destinationId: hubspotId,
        status: "succeeded",
      },
    });
    // An attempt is written with its exchange's createdAt (the key readers find the exchange by).
    const sentAt = new Date();
    const exchange = await db().httpExchange.create({
      data: {
        createdAt: sentAt,
        id: `x_${annEvent.id}`,
        destinationId: hubspotId,
        requestUrl: "https://api.hubapi.com/events/v3/send",
        requestHeaders: {},
        requestBody: { email: "ann.smith@gmail.com" },
        responseStatus: 204,
        latencyMs: 3,
      },
    });
    await db().deliveryAttempt.create({
      data: {
        id: `a_${annEvent.id}`,
        deliveryId: delivery.id,
        attempt: 1,
        exchangeId: exchange.id,
        outcome: "success",
        createdAt: sentAt,
      },
    });

    const filed = await file("email", " ann.smith@gmail.com ");
    assert.equal(filed.created, true);
    assert.equal(filed.deletion.status, "pending");
    assert.deepEqual(filed.deletion.receipt.subject, { profiles: 1, user_ids: 1, anonymous_ids: 1, emails: 1 });
    const again = await file("email", "ANN.SMITH@gmail.com");
    assert.deepEqual([again.created, again.deletion.id], [false, filed.deletion.id], "filing twice is idempotent");

    // Crash: the process dies before erase_events (its lease is still held).
    assert.equal(await claimDeletion(), filed.deletion.id);
    await assert.rejects(
      runDeletion(filed.deletion.id, {
        beforeStep: (s) => {
          if (s === "erase_events") throw new Error("power cut");
        },
      }),
      /power cut/,
    );
    const mid = await getDeletion(ws.actors.admin, filed.deletion.id);
    assert.deepEqual([mid.status, mid.step], ["running", "erase_events"]);
    assert.deepEqual(Object.keys(mid.receipt.steps).sort(), [
      "audiences",
      "destinations",
      "erase_audiences",
      "suppress",
    ]);
    assert.equal(await runDueDeletions(), 0, "another worker waits for the lease to lapse");
    // Meanwhile the person is suppressed: a new call is not stored with their data.
    const during = await capture(key, {
      event: "purchase",
      event_id: "ann_e3",
      user_id: "ann",
      source: "heap",
      properties: { order_id: "o3", value: 1, currency: "EUR" },
    });
    assert.equal(during.body.status, "suppressed");

    assert.equal(await runDueDeletions({ now: later(10) }), 1);
    const done = await getDeletion(ws.actors.admin, filed.deletion.id);
    assert.equal(done.status, "completed", JSON.stringify(done));
    assert.equal(done.step, "done");
    const steps = done.receipt.steps;
    assert.deepEqual(Object.keys(steps).sort(), [
      "audiences",
      "destinations",
      "erase_audiences",
      "erase_events",
      "erase_profiles",
      "suppress",
    ]);
    assert.deepEqual(steps.audiences!.results!.map((r) => [r.type, r.outcome, r.status]).sort(), [
      ["google_ads", "done", 200],
      ["linkedin", "done", 200],
      ["meta", "done", 200],
    ]);
    assert.deepEqual(steps.destinations!.results!.map((r) => [r.type, r.outcome, r.status]).sort(), [
      ["heap", "done", 200],
      ["hubspot", "done", 204],
    ]);
    assert.deepEqual(steps.erase_audiences!.counts, {
      audience_members: 1,
      audience_changes: 1,
      audience_staged_members: 0,
    });
    assert.deepEqual(steps.erase_events!.counts, {
      events_scrubbed: 2,
      deliveries_cancelled: 0,
      delivery_log_bodies_scrubbed: 1,
    });
    assert.equal(steps.erase_profiles!.counts!.profiles, 1);
    assert.equal(steps.erase_profiles!.counts!.identity_links, 1);
    assert.equal(steps.erase_profiles!.counts!.computed_traits, 1);
    assert.ok(steps.erase_profiles!.counts!.trait_changes! >= 2);

    // Each platform was called once: the resumed run did not repeat the finished steps.
    assert.equal(erasure.received.filter((r) => r.path.endsWith("gdpr-delete")).length, 1);
    assert.deepEqual(erasure.received.find((r) => r.path.endsWith("gdpr-delete"))!.body, {
      objectId: "ann.smith@gmail.com",
      idProperty: "email",
    });
    assert.deepEqual(erasure.received.find((r) => r.path.endsWith("user_deletion"))!.body, {
      users: [{ identity: "ann" }],
    });
    const meta = audiences.received.filter((r) => r.path.includes("/2384/users"));
    assert.equal(meta.length, 1);
    assert.equal(meta[0]!.method, "DELETE");
    assert.ok(meta[0]!.path.includes(sha256Hex("ann.smith@gmail.com")));
    assert.equal(audiences.received.filter((r) => r.path.includes(":remove")).length, 1);
    assert.equal(audiences.received.find((r) => r.path.includes("7777"))!.body.elements[0].action, "REMOVE");

    // TrackLayer keeps nothing of ann; bob is untouched.
    assert.equal(await db().profile.count({ where: { workspaceId: ws.workspace.id, userId: "ann" } }), 0);
    assert.equal(
      await db().profileIdentity.count({ where: { workspaceId: ws.workspace.id, anonymousId: "anon_ann" } }),
      0,
    );
    assert.equal(await db().profileComputedTrait.count({ where: { profileId: annProfile.id } }), 0);
    const members = await db().audienceMember.findMany({ where: { audience: { workspaceId: ws.workspace.id } } });
    assert.deepEqual(
      members.map((m) => m.value),
      ["bob"],
    );
    for (const id of events) {
      const row = await storedEvent(ws.workspace.id, id);
      assert.deepEqual([row.userId, row.anonymousId, row.profileId, row.context], [null, null, null, null]);
      assert.deepEqual([row.properties, row.payload], [{}, { erased: true }]);
    }
    assert.equal((await db().httpExchange.findFirstOrThrow({ where: { id: exchange.id } })).requestBody, null);
    assert.equal((await storedEvent(ws.workspace.id, "bob_e1")).userId, "bob");
    assert.equal(
      (
        await capture(key, {
          event: "purchase",
          event_id: events[0],
          user_id: "ann",
          source: "heap",
          properties: { order_id: "o1", value: 5, currency: "EUR" },
        })
      ).status,
      200,
      "a retry is still a duplicate",
    );

    // The receipt and the request row hold no personal data.
    const row = await db().privacyDeletion.findUniqueOrThrow({ where: { id: filed.deletion.id } });
    assert.equal(row.sealedSubject, null);
    const text = JSON.stringify(row).toLowerCase();
    for (const pii of ["ann.smith", "anon_ann", '"ann"', sha256Hex("ann.smith@gmail.com")])
      assert.equal(text.includes(pii), false, pii);
    assert.equal(row.identifierHash, hashIdentifier(ws.workspace.id, "email", "ann.smith@gmail.com"));
  });

  test("a platform that keeps refusing is retried, then reported: the request ends partial, never silently", async () => {
    await identify(key, { user_id: "cy", traits: { email: "cy@example.com" } });
    const filed = await file("user_id", "cy");
    erasure.faults.push(503); // HubSpot, first try
    assert.equal(await runDueDeletions({ maxAttempts: 2 }), 1);
    const retrying = await getDeletion(ws.actors.admin, filed.deletion.id);
    assert.deepEqual([retrying.status, retrying.step, retrying.attempts], ["running", "destinations", 1]);
    assert.equal(await runDueDeletions({ maxAttempts: 2 }), 0, "not before its backoff");
    erasure.faults.push(400); // HubSpot, second and last try (Heap confirmed the first time)
    assert.equal(await runDueDeletions({ maxAttempts: 2, now: later(5) }), 1);
    const ended = await getDeletion(ws.actors.admin, filed.deletion.id);
    assert.equal(ended.status, "partial");
    const hubspot = ended.receipt.steps.destinations!.results!.find((r) => r.type === "hubspot")!;
    assert.deepEqual([hubspot.outcome, hubspot.status], ["failed", 400]);
    assert.equal(ended.receipt.steps.destinations!.results!.find((r) => r.type === "heap")!.outcome, "done");
    assert.equal(
      await db().profile.count({ where: { workspaceId: ws.workspace.id, userId: "cy" } }),
      0,
      "local erasure still ran",
    );
  });

  test("only admins file or read deletions; an invalid identifier is refused", async () => {
    await rejectsWith(fileDeletion(ws.actors.growth, { kind: "user_id", value: "x" }), "forbidden");
    assert.equal(deletionCreateSchema.safeParse({ kind: "email", value: "not-an-email" }).success, false);
    assert.equal(deletionCreateSchema.safeParse({ kind: "phone", value: "1" }).success, false);
  });
});
