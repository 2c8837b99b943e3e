// PII in the wrong place: a raw e-mail or phone in a property a webhook would forward unhashed is
// a violation with its field path (policy block) or leaves hashed (policy hash), against a local
// mock receiver; properties marked personal are masked for viewers (event detail, inspector trace)
// and below admin in the delivery log, while admins see them.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { getDelivery } from "@/lib/delivery/deliveries";
import { destinationModules } from "@/lib/delivery/destinations/index";
import { sha256Hex } from "@/lib/delivery/normalize";
import { sealSecrets } from "@/lib/delivery/secret-box";
import { getEvent } from "@/lib/events/get-event";
import { getTrace } from "@/lib/inspector/trace";
import { PERSONAL_MASK } from "@/lib/privacy/personal-properties";
import { guardUnhashedPii } from "@/lib/privacy/unhashed-pii";
import { updateCanonicalEvent } from "@/lib/registry/canonical-events";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { type WorkerOptions, workerSettings } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, storedEvent, writeKeyFor } from "./ingest-helpers";
import { type PlatformMock, startPlatformMock } from "./platform-mocks/core";

let ws: TestWorkspace;
let key: string;
let mock: PlatformMock;

const options = (): WorkerOptions => ({
  ...workerSettings(),
  modules: destinationModules as WorkerOptions["modules"],
  baseUrlFor: () => mock.url,
  timeoutMs: 2_000,
});

const purchase = (eventId: string, props: Record<string, unknown>) =>
  capture(key, {
    event: "purchase",
    event_id: eventId,
    user_id: "u_pii",
    properties: { order_id: eventId, value: 5, currency: "EUR", ...props },
  });

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  mock = await startPlatformMock("webhook-receiver", () => ({ status: 200, body: { ok: true } }));
  const webhook = await db().destination.create({
    data: {
      workspaceId: ws.workspace.id,
      type: "webhook",
      name: "PII receiver",
      enabled: true,
      testMode: false,
      config: { url: `${mock.url}/hook` },
      secretsEncrypted: sealSecrets({ signing_secret: "s".repeat(32) }),
    },
  });
  const mapping = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, mapping.id, { destinations: { [webhook.id]: true } });
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

describe("unhashed PII in forwarded properties", () => {
  test("detects e-mails and international phone numbers, not order ids or hashes", () => {
    const found = guardUnhashedPii(
      {
        note: " Jane.Doe@Example.com ",
        contact: { phone: "+49 30 901820" },
        order_id: "123456789",
        hashed: sha256Hex("x"),
        at: "not@an-email",
      },
      ["webhook"],
      "block",
    );
    assert.equal(found.outcome, "blocked");
    assert.deepEqual(found.outcome === "blocked" ? found.problems.map((p) => p.path) : [], [
      "properties.note",
      "properties.contact.phone",
    ]);
    assert.equal(guardUnhashedPii({ note: "jane@example.com" }, ["google_ads"], "block").outcome, "clean");
  });

  test("block: the event is a violation naming the field; nothing is queued", async () => {
    const answer = await purchase("pii_block_1", { note: "jane@example.com" });
    assert.equal(answer.status, 422);
    const body = answer.body as { error: { code: string; issues: { path: string; message: string }[] } };
    assert.equal(body.error.code, "schema_violation");
    assert.equal(body.error.issues[0]?.path, "properties.note");
    assert.match(body.error.issues[0]?.message ?? "", /raw e-mail address/);
    const stored = await db().event.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, eventId: "pii_block_1" },
    });
    assert.equal(stored.status, "rejected");
    assert.equal(await db().delivery.count({ where: { eventRowId: stored.id } }), 0);
  });

  test("hash: the value is normalised and SHA-256-hashed before it is stored and sent", async () => {
    await updateWorkspace(ws.actors.admin, { unhashed_pii_policy: "hash" });
    const answer = await purchase("pii_hash_1", { note: " Jane@Example.com ", phone: "0049 30 901820" });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    const stored = await storedEvent(ws.workspace.id, "pii_hash_1");
    const props = stored.properties as Record<string, unknown>;
    assert.equal(props.note, sha256Hex("jane@example.com"));
    assert.equal(props.phone, sha256Hex("+4930901820"));
    await runOnce("pii-test", options());
    const sent = mock.received.map((r) => JSON.stringify(r.json)).find((b) => b.includes("pii_hash_1"));
    assert.ok(sent, "the webhook received the event");
    assert.ok(sent.includes(sha256Hex("jane@example.com")));
    assert.ok(!/jane@example\.com/i.test(sent), "no raw e-mail left TrackLayer");
    assert.ok(!sent.includes("901820"), "no raw phone left TrackLayer");
  });
});

describe("personal properties", () => {
  test("are masked for viewers in the event and below admin in the delivery log", async () => {
    const purchaseEvent = await db().canonicalEvent.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, name: "purchase" },
    });
    const properties = [
      ...(purchaseEvent.properties as Record<string, unknown>[]),
      { name: "customer_name", type: "string", required: false, description: "", personal: true },
    ];
    await updateCanonicalEvent(ws.actors.analyst, purchaseEvent.id, { properties } as never);
    const answer = await purchase("pii_personal_1", { customer_name: "Zoe Quinn-Holloway" });
    assert.equal(answer.status, 202);
    await runOnce("pii-test", options());
    const stored = await storedEvent(ws.workspace.id, "pii_personal_1");

    const asViewer = await getEvent(ws.actors.viewer, stored.id);
    assert.equal((asViewer.properties as Record<string, unknown>).customer_name, PERSONAL_MASK);
    assert.ok(!JSON.stringify(asViewer).includes("Zoe Quinn-Holloway"), "not in payload or context either");
    assert.equal(asViewer.personal_masked, true);
    const asAnalyst = await getEvent(ws.actors.analyst, stored.id);
    assert.equal((asAnalyst.properties as Record<string, unknown>).customer_name, "Zoe Quinn-Holloway");

    const delivery = await db().delivery.findFirstOrThrow({ where: { eventRowId: stored.id } });
    const logAsEngineer = await getDelivery(ws.actors.engineer, delivery.id);
    assert.ok(logAsEngineer.log.length > 0);
    assert.ok(!JSON.stringify(logAsEngineer.log).includes("Zoe Quinn-Holloway"));
    assert.ok(JSON.stringify(logAsEngineer.log).includes(PERSONAL_MASK));
    const logAsAdmin = await getDelivery(ws.actors.admin, delivery.id);
    assert.ok(JSON.stringify(logAsAdmin.log).includes("Zoe Quinn-Holloway"));
  });

  test("the inspector trace masks them the same way: viewers everywhere, the sent request below admin", async () => {
    const name = "Zoe Quinn-Holloway";
    const stored = await storedEvent(ws.workspace.id, "pii_personal_1");
    const asViewer = await getTrace(ws.actors.viewer, "pii_personal_1");
    assert.ok(!JSON.stringify(asViewer).includes(name), "not in any stage, lane or check");
    assert.equal((asViewer.stages.canonical.properties as Record<string, unknown>).customer_name, PERSONAL_MASK);
    assert.ok(JSON.stringify(asViewer.stages.received.payload).includes(PERSONAL_MASK));
    assert.ok(JSON.stringify(asViewer.stages.destinations[0]!.log).includes(PERSONAL_MASK));
    assert.equal(asViewer.personal_masked, true);
    assert.equal(asViewer.stages.destinations[0]!.status, "succeeded", "the lanes and checks still read");

    const asEngineer = await getTrace(ws.actors.engineer, stored.id);
    assert.equal((asEngineer.stages.canonical.properties as Record<string, unknown>).customer_name, name);
    assert.ok(!JSON.stringify(asEngineer.stages.destinations).includes(name), "the delivery log rule");
    assert.equal(asEngineer.personal_masked, false);

    const asAdmin = await getTrace(ws.actors.admin, stored.id);
    assert.equal((asAdmin.stages.canonical.properties as Record<string, unknown>).customer_name, name);
    assert.ok(JSON.stringify(asAdmin.stages.destinations[0]!.log).includes(name), "admins see what was sent");
  });

  test("the registry bundle carries the mark as x-personal and reads it back", async () => {
    const { fromJsonSchema, toJsonSchema } = await import("@/lib/registry/plan/json-schema");
    const doc = toJsonSchema({
      name: "lead",
      description: "",
      properties: [{ name: "email", type: "string", required: true, description: "", personal: true }],
    });
    assert.equal(doc.properties.email?.["x-personal"], true);
    assert.equal(fromJsonSchema(doc).properties[0]?.personal, true);
  });
});
