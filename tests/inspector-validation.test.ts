// Guided validation: test write keys send through the revision under review to test-mode
// destinations only; a finished trace is recorded on the mapping; approval can require it.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { createDestination } from "@/lib/delivery/manage-destinations";
import { checkProperties } from "@/lib/ingest/resolve-event";
import { validationSample } from "@/lib/inspector/validation-sample";
import { recordValidation } from "@/lib/inspector/validations";
import { createMapping } from "@/lib/registry/mappings/create-mapping";
import { getMapping } from "@/lib/registry/mappings/get-mapping";
import { transitionMapping } from "@/lib/registry/mappings/transition-mapping";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { createWriteKey } from "@/lib/registry/sources";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let liveKey: string;
let testKey: string;
let mappingId: string;
let testDestination: string;
let liveDestination: string;
const received: string[] = [];
const receiver = http.createServer((req, res) => {
  let body = "";
  req.on("data", (c: Buffer) => (body += c.toString()));
  req.on("end", () => {
    received.push(`${req.url} ${body}`);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
const deliver = () => runOnce("validation-test", defaultWorkerOptions({ timeoutMs: 2_000 }));

before(async () => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  ws = await createTestWorkspace();
  liveKey = await writeKeyFor(ws);
  testKey = await writeKeyFor(ws, "heap", [], true);
  const secrets = { signing_secret: "validation-signing-secret" };
  testDestination = (
    await createDestination(ws.actors.admin, {
      type: "webhook",
      name: "Test hook",
      enabled: true,
      test_mode: true,
      config: { url: `${url}/test` },
      secrets,
    })
  ).id;
  liveDestination = (
    await createDestination(ws.actors.admin, {
      type: "webhook",
      name: "Live hook",
      enabled: true,
      test_mode: false,
      config: { url: `${url}/live` },
      secrets,
    })
  ).id;
  const mapping = await createMapping(ws.actors.analyst, {
    source: "heap",
    source_event: "Demo Booked",
    canonical_event: "qualify_lead",
    property_renames: { crm_lead: "lead_id" },
    note: "",
  });
  mappingId = mapping.id;
  await updateMapping(ws.actors.growth, mappingId, {
    destinations: { [testDestination]: true, [liveDestination]: true },
  });
  await transitionMapping(ws.actors.analyst, mappingId, "submit");
});
after(async () => {
  receiver.close();
  await closeDatabase();
});

describe("guided validation", () => {
  test("the sample event is keyed to its business id and uses the source's property names", () => {
    const sample = validationSample({
      source: "heap",
      sourceEvent: "Demo Booked",
      canonicalEvent: "qualify_lead",
      required: ["lead_id"],
      renames: { crm_lead: "lead_id" },
      definitions: [],
      userId: "u1",
      nonce: "abc",
    });
    assert.equal(sample.eventId, "qualify_lead_val_abc");
    assert.deepEqual(sample.body, {
      event: "Demo Booked",
      event_id: "qualify_lead_val_abc",
      user_id: "u1",
      source: "heap",
      properties: { crm_lead: "val_abc" },
    });
  });

  test("the sample event fits the canonical event's value rules (enum, bounds, lengths, nested required)", () => {
    const definitions: PropertyDefinition[] = [
      { name: "currency", type: "string", required: true, description: "", enum: ["USD", "EUR"] },
      { name: "value", type: "number", required: true, description: "", minimum: 10, maximum: 20 },
      { name: "plan", type: "string", required: true, description: "", min_length: 30, max_length: 40 },
      {
        name: "address",
        type: "object",
        required: true,
        description: "",
        properties: [{ name: "city", type: "string", required: true, description: "", max_length: 5 }],
      },
    ];
    const sample = validationSample({
      source: "heap",
      sourceEvent: "Order Completed",
      canonicalEvent: "purchase",
      required: ["order_id", "currency", "value", "plan", "address"],
      renames: {},
      definitions,
      userId: "u1",
      nonce: "abc",
    });
    const properties = sample.body.properties as Record<string, unknown>;
    assert.equal(properties.order_id, "val_abc");
    assert.deepEqual(checkProperties(properties, [], definitions, "purchase"), []);
  });

  test("a test key sends through the revision in review, to test-mode destinations only; a live key is held", async () => {
    const held = await capture(liveKey, {
      event: "Demo Booked",
      event_id: "qualify_lead_live_1",
      user_id: "u1",
      source: "heap",
      properties: { crm_lead: "L1", pipeline_stage: "sql" },
    });
    assert.equal(held.body.status, "held");
    const sent = await capture(testKey, {
      event: "Demo Booked",
      event_id: "qualify_lead_L2",
      user_id: "u1",
      source: "heap",
      properties: { crm_lead: "L2", pipeline_stage: "sql" },
    });
    assert.equal(sent.status, 202);
    assert.equal(sent.body.status, "accepted");
    assert.deepEqual(
      (sent.body.deliveries as { destination_id: string }[]).map((d) => d.destination_id),
      [testDestination],
    );
    const stored = await db().event.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, eventId: "qualify_lead_L2" },
    });
    assert.deepEqual(stored.properties, { lead_id: "L2", pipeline_stage: "sql" });
  });

  test("recording waits for every destination, then stores passed with the checks and shows it on the mapping", async () => {
    await assert.rejects(recordValidation(ws.actors.engineer, mappingId, "qualify_lead_L2"), {
      code: "validation_pending",
    });
    await deliver();
    assert.ok(received.some((r) => r.startsWith("/test ") && r.includes("qualify_lead_L2")));
    assert.ok(!received.some((r) => r.startsWith("/live ")), "live destinations never see test-key events");
    const recorded = await recordValidation(ws.actors.engineer, mappingId, "qualify_lead_L2");
    assert.equal(recorded.outcome, "passed");
    assert.equal(
      (recorded.checks as { status: string }[]).every((c) => c.status === "pass"),
      true,
    );
    const mapping = await getMapping(ws.actors.viewer, mappingId);
    assert.equal(mapping.last_validation?.outcome, "passed");
    assert.equal(mapping.last_validation?.covers_head, true);
    assert.equal(mapping.last_validation?.validated_by, ws.actors.engineer.email);
  });

  test("an event of another mapping cannot validate this one; viewers cannot record", async () => {
    await capture(liveKey, {
      event: "Order Completed",
      event_id: "purchase_o9",
      user_id: "u1",
      source: "heap",
      properties: { order_id: "o9", value: 1, currency: "EUR" },
    });
    await assert.rejects(
      recordValidation(ws.actors.engineer, mappingId, "purchase_o9"),
      /did not go through the mapping/,
    );
    await assert.rejects(recordValidation(ws.actors.viewer, mappingId, "qualify_lead_L2"), { code: "forbidden" });
  });

  test("with the policy on, approval needs a passed validation of that very revision", async () => {
    await assert.rejects(updateWorkspace(ws.actors.analyst, { require_validation: true }), { code: "forbidden" });
    await assert.rejects(updateWorkspace(ws.actors.growth, { name: "renamed" }), { code: "forbidden" });
    assert.equal((await updateWorkspace(ws.actors.growth, { require_validation: true })).require_validation, true);

    // A failed run: the event_id does not derive from the lead id.
    await capture(testKey, {
      event: "Demo Booked",
      event_id: "evt-7f3a9c",
      user_id: "u1",
      source: "heap",
      properties: { crm_lead: "L3", pipeline_stage: "sql" },
    });
    await deliver();
    assert.equal((await recordValidation(ws.actors.analyst, mappingId, "evt-7f3a9c")).outcome, "failed");
    await assert.rejects(
      transitionMapping(ws.actors.growth, mappingId, "approve"),
      (e: Error & { code?: string }) => e.code === "validation_required" && /last validation failed/.test(e.message),
    );

    await recordValidation(ws.actors.analyst, mappingId, "qualify_lead_L2");
    const approved = await transitionMapping(ws.actors.growth, mappingId, "approve");
    assert.equal(approved.status, "approved");

    // A new revision needs its own validation.
    await updateMapping(ws.actors.analyst, mappingId, { required_properties: ["lead_id"] });
    await transitionMapping(ws.actors.analyst, mappingId, "submit");
    await assert.rejects(
      transitionMapping(ws.actors.growth, mappingId, "approve"),
      /requires a passed end-to-end validation of revision 2/,
    );
  });

  test("test keys: whoever validates may create one; only admins create live keys", async () => {
    const heap = await db().source.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, key: "heap" } });
    const created = await createWriteKey(ws.actors.analyst, heap.id, {
      name: "validation",
      allowed_sources: [],
      test: true,
    });
    assert.equal(created.test, true);
    await assert.rejects(
      createWriteKey(ws.actors.analyst, heap.id, { name: "live", allowed_sources: [], test: false }),
      { code: "forbidden" },
    );
    await assert.rejects(
      createWriteKey(ws.actors.viewer, heap.id, { name: "validation", allowed_sources: [], test: true }),
      { code: "forbidden" },
    );
  });
});
