// GET /api/registry/export: every canonical event as a valid JSON Schema 2020-12 document with
// the value rules as keywords, every mapping with its destinations by name, in a stable order.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { closeDatabase, db } from "@/lib/db";
import { parseInput } from "@/lib/errors";
import { updateCanonicalEvent } from "@/lib/registry/canonical-events";
import { exportRegistry } from "@/lib/registry/plan/export";
import { fromJsonSchema, toJsonSchema } from "@/lib/registry/plan/json-schema";
import { canonicalEventUpdateSchema, type PropertyDefinition } from "@/lib/validations/canonical-events";
import { registryBundleSchema } from "@/lib/validations/registry-bundle";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

let ws: TestWorkspace;
let purchaseId: string;

const RULED: unknown[] = [
  { name: "value", type: "number", required: true, minimum: 0, description: "Order value" },
  { name: "order_id", type: "string", required: true, pattern: "^ord_[0-9]+$", max_length: 40 },
  { name: "currency", type: "string", required: true, enum: ["EUR", "USD"], min_length: 3, max_length: 3 },
  {
    name: "items",
    type: "array",
    items: { type: "object", properties: [{ name: "sku", type: "string", required: true }] },
  },
  { name: "coupon", type: "string" },
];

before(async () => {
  ws = await createTestWorkspace();
  const purchase = await db().canonicalEvent.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, name: "purchase" },
  });
  purchaseId = purchase.id;
  const { properties } = parseInput(canonicalEventUpdateSchema, { properties: RULED });
  await updateCanonicalEvent(ws.actors.admin, purchaseId, { properties });
});
after(() => closeDatabase());

test("a canonical event exports as a JSON Schema 2020-12 document with its rules as keywords (sorted keys)", async () => {
  const bundle = await exportRegistry(ws.actors.viewer);
  const purchase = bundle.canonical_events.find((e) => e.title === "purchase");
  assert.equal(
    JSON.stringify(purchase),
    JSON.stringify({
      $schema: "https://json-schema.org/draft/2020-12/schema",
      description: "Primary revenue event with value, currency and order ID",
      properties: {
        coupon: { type: "string" },
        currency: { enum: ["EUR", "USD"], maxLength: 3, minLength: 3, type: "string" },
        items: {
          items: { properties: { sku: { type: "string" } }, required: ["sku"], type: "object" },
          type: "array",
        },
        order_id: { maxLength: 40, pattern: "^ord_[0-9]+$", type: "string" },
        value: { description: "Order value", minimum: 0, type: "number" },
      },
      required: ["currency", "order_id", "value"],
      title: "purchase",
      type: "object",
    }),
  );
});

test("every exported document is valid JSON Schema 2020-12 and validates events the way ingest does", async () => {
  const bundle = await exportRegistry(ws.actors.viewer);
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  for (const doc of bundle.canonical_events) ajv.compile(doc);
  const validate = ajv.compile(bundle.canonical_events.find((e) => e.title === "purchase")!);
  assert.equal(validate({ order_id: "ord_1", value: 5, currency: "EUR", items: [{ sku: "a" }] }), true);
  assert.equal(validate({ order_id: "ord_1", value: -1, currency: "EUR" }), false);
  assert.equal(validate({ order_id: "x", value: 1, currency: "GBP" }), false);
  assert.equal(validate({ order_id: "ord_1", value: 1, currency: "EUR", items: [{}] }), false);
});

test("the bundle is versioned, sorted, stable, and reads back as a valid bundle", async () => {
  const first = await exportRegistry(ws.actors.viewer);
  assert.equal(first.version, 1);
  const names = first.canonical_events.map((e) => e.title);
  assert.deepEqual(names, [...names].sort());
  const keys = first.mappings.map((m) => `${m.source}\u0000${m.source_event}`);
  assert.deepEqual(keys, [...keys].sort());
  assert.ok(first.mappings.length > 0);
  for (const m of first.mappings) {
    assert.deepEqual(m.required_properties, [...m.required_properties].sort());
    const dests = m.destinations.map((d) => d.name);
    assert.deepEqual(dests, [...dests].sort());
  }
  assert.ok(
    first.mappings.some((m) => m.destinations.length > 0),
    "destinations are exported by name",
  );

  // Reordering the stored properties changes nothing in the export.
  const stored = await db().canonicalEvent.findUniqueOrThrow({ where: { id: purchaseId } });
  const reversed = [...(stored.properties as PropertyDefinition[])].reverse();
  await updateCanonicalEvent(ws.actors.admin, purchaseId, { properties: reversed });
  const second = await exportRegistry(ws.actors.viewer);
  assert.equal(JSON.stringify(second), JSON.stringify(first));

  assert.deepEqual(parseInput(registryBundleSchema, JSON.parse(JSON.stringify(first))), first);
});

test("JSON Schema → property definitions → JSON Schema is the identity", async () => {
  const bundle = await exportRegistry(ws.actors.viewer);
  for (const doc of bundle.canonical_events) {
    assert.deepEqual(toJsonSchema(fromJsonSchema(doc)), doc);
  }
});

test("export needs workspace.read (every role has it)", async () => {
  await rejectsWith(exportRegistry({ ...ws.actors.viewer, role: "nobody" as never }), "forbidden");
});
