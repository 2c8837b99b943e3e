// POST /api/registry/plan: the change set a bundle would make — added, changed (per-field diff)
// and removed/deprecated, breaking changes flagged — without writing anything.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase } from "@/lib/db";
import { parseInput, zodIssues } from "@/lib/errors";
import { diffEventDocuments } from "@/lib/registry/plan/diff-event";
import { exportRegistry } from "@/lib/registry/plan/export";
import { planRegistry, type RegistryPlan } from "@/lib/registry/plan/plan";
import { type RegistryBundle, registryBundleSchema } from "@/lib/validations/registry-bundle";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

let ws: TestWorkspace;
let exported: RegistryBundle;

before(async () => {
  ws = await createTestWorkspace();
  exported = await exportRegistry(ws.actors.viewer);
});
after(() => closeDatabase());

/** Tests edit the bundle as plain JSON. */
type Json = any;

/** Plans the exported bundle after `edit` changed a copy of it (as a client would send it). */
async function planWith(edit: (bundle: Json) => void): Promise<RegistryPlan> {
  const bundle = structuredClone(exported) as Json;
  edit(bundle);
  return planRegistry(ws.actors.analyst, parseInput(registryBundleSchema, bundle));
}

const event = (bundle: Json, name: string) => bundle.canonical_events.find((e: Json) => e.title === name);
const mapping = (bundle: Json, source: string, sourceEvent: string) =>
  bundle.mappings.find((m: Json) => m.source === source && m.source_event === sourceEvent);

function change(plan: RegistryPlan, key: string) {
  const found = plan.changes.find((c) => c.key === key);
  assert.ok(found, `no change for ${key} in ${JSON.stringify(plan.changes)}`);
  return found;
}
function field(plan: RegistryPlan, key: string, name: string) {
  const found = change(plan, key).fields.find((f) => f.field === name);
  assert.ok(found, `no field ${name} in ${JSON.stringify(change(plan, key))}`);
  return found;
}

test("the workspace's own export plans to no changes", async () => {
  const plan = await planWith(() => {});
  assert.deepEqual(plan.changes, []);
  assert.equal(plan.breaking, false);
  assert.equal(plan.summary.unchanged, exported.canonical_events.length + exported.mappings.length);
});

test("nothing is written by planning", async () => {
  await planWith((b) => {
    b.canonical_events = b.canonical_events.filter((e: Json) => e.title !== "sign_up");
    b.mappings = b.mappings.filter((m: Json) => m.canonical_event !== "sign_up");
  });
  assert.deepEqual(await exportRegistry(ws.actors.viewer), exported);
});

describe("canonical events", () => {
  test("added (not breaking) and removed (breaking)", async () => {
    const plan = await planWith((b) => {
      b.canonical_events.push({ ...event(b, "sign_up"), title: "refund_issued" });
      b.canonical_events = b.canonical_events.filter((e: Json) => e.title !== "start_trial");
      b.mappings = b.mappings.filter((m: Json) => m.canonical_event !== "start_trial");
    });
    const added = change(plan, "refund_issued");
    assert.equal(added.action, "added");
    assert.equal(added.breaking, false);
    assert.equal((added.content as Json).title, "refund_issued");
    const removed = change(plan, "start_trial");
    assert.equal(removed.action, "removed");
    assert.equal(removed.breaking, true);
    assert.equal(change(plan, "backend/start_trial").action, "deprecated");
    assert.equal(plan.summary.added, 1);
    assert.equal(plan.summary.removed, 1);
    assert.equal(plan.summary.deprecated, 1);
    assert.equal(plan.breaking, true);
  });

  test("a property removed, retyped or made required is breaking; an optional one added is not", async () => {
    const plan = await planWith((b) => {
      const p = event(b, "purchase");
      delete p.properties.coupon;
      p.properties.value.type = "string";
      p.required.push("items");
      p.properties.gift_note = { type: "string" };
    });
    const purchase = change(plan, "purchase");
    assert.equal(purchase.action, "changed");
    assert.equal(purchase.breaking, true);
    assert.equal(field(plan, "purchase", "properties.coupon").breaking, true);
    assert.deepEqual(field(plan, "purchase", "properties.value.type"), {
      field: "properties.value.type",
      before: "number",
      after: "string",
      breaking: true,
    });
    assert.equal(field(plan, "purchase", "properties.items.required").breaking, true);
    const added = field(plan, "purchase", "properties.gift_note");
    assert.deepEqual([added.before, added.after, added.breaking], [null, { type: "string" }, false]);
  });

  test("a new required property is breaking; a description change is not", async () => {
    const plan = await planWith((b) => {
      const p = event(b, "sign_up");
      p.properties.referrer = { type: "string" };
      p.required.push("referrer");
      p.description = "changed words";
    });
    assert.equal(field(plan, "sign_up", "properties.referrer").breaking, true);
    assert.equal(field(plan, "sign_up", "description").breaking, false);
  });

  test("a value rule added or tightened is breaking; loosened or dropped is not", async () => {
    const tighten = await planWith((b) => {
      const p = event(b, "purchase").properties;
      p.currency.enum = ["EUR", "USD"];
      p.value.minimum = 0;
      p.order_id.maxLength = 40;
    });
    for (const name of ["properties.currency.enum", "properties.value.minimum", "properties.order_id.maxLength"]) {
      assert.equal(field(tighten, "purchase", name).breaking, true, name);
    }

    // From a workspace where the rules exist, loosen and tighten them.
    const ruled = structuredClone(exported) as Json;
    Object.assign(event(ruled, "purchase").properties.currency, { enum: ["EUR", "USD"], maxLength: 3 });
    const base = await planRegistry(ws.actors.analyst, parseInput(registryBundleSchema, ruled));
    assert.ok(Array.isArray(field(base, "purchase", "properties.currency.enum").after));
    const before = event(ruled, "purchase");
    const after = structuredClone(before);
    after.properties.currency.enum = ["EUR", "USD", "GBP"];
    delete after.properties.currency.maxLength;
    assert.deepEqual(
      diffEventDocuments(before, after).map((f) => [f.field, f.breaking]),
      [
        ["properties.currency.enum", false],
        ["properties.currency.maxLength", false],
      ],
    );
    after.properties.currency.enum = ["EUR"];
    after.properties.currency.maxLength = 2;
    assert.ok(diffEventDocuments(before, after).every((f) => f.breaking));
  });

  test("a bad rule in the bundle is a 400 with the path in the document", async () => {
    const error = await rejectsWith(
      planWith((b) => {
        event(b, "purchase").properties.currency.pattern = "(a+)+$";
        event(b, "purchase").properties.value.minLength = 2;
      }),
      "invalid_request",
    );
    const paths = error.issues?.map((i) => i.path) ?? [];
    const index = exported.canonical_events.findIndex((e) => e.title === "purchase");
    assert.ok(paths.includes(`canonical_events.${index}.properties.currency.pattern`), JSON.stringify(paths));
    assert.ok(paths.includes(`canonical_events.${index}.properties.value.minLength`), JSON.stringify(paths));
  });
});

describe("mappings", () => {
  test("a required property added is breaking; a destination toggled is not; a mapping left out is deprecated", async () => {
    const plan = await planWith((b) => {
      mapping(b, "heap", "Form Submitted: Signup").required_properties.push("method");
      mapping(b, "heap", "Order Completed").destinations[0].enabled = false;
      b.mappings = b.mappings.filter((m: Json) => m.source_event !== "Payment Info Completed");
      b.mappings.push({ source: "backend", source_event: "purchase", canonical_event: "purchase" });
    });
    assert.equal(field(plan, "heap/Form Submitted: Signup", "required_properties").breaking, true);
    assert.equal(change(plan, "heap/Order Completed").breaking, false);
    assert.equal(field(plan, "heap/Order Completed", "destinations").breaking, false);
    const gone = change(plan, "heap/Payment Info Completed");
    assert.deepEqual([gone.action, gone.breaking], ["deprecated", true]);
    assert.equal(change(plan, "backend/purchase").action, "added");
  });

  test("another canonical event is breaking", async () => {
    const plan = await planWith((b) => {
      mapping(b, "heap", "Form Submitted: Signup").canonical_event = "start_trial";
    });
    const diff = field(plan, "heap/Form Submitted: Signup", "canonical_event");
    assert.deepEqual([diff.before, diff.after, diff.breaking], ["sign_up", "start_trial", true]);
  });

  test("unknown sources, destinations and canonical events are a 422 with their paths", async () => {
    const error = await rejectsWith(
      planWith((b) => {
        b.mappings.push({
          source: "nope",
          source_event: "x",
          canonical_event: "not_there",
          destinations: [{ name: "Nowhere" }],
        });
      }),
      "unprocessable",
    );
    const i = exported.mappings.length;
    assert.deepEqual(error.issues?.map((x) => x.path).sort(), [
      `mappings.${i}.canonical_event`,
      `mappings.${i}.destinations.0.name`,
      `mappings.${i}.source`,
    ]);
  });
});

test("the bundle itself is checked strictly: version, unknown keywords, duplicates", () => {
  const bad = (edit: (b: Json) => void) => {
    const bundle = structuredClone(exported) as Json;
    edit(bundle);
    const { error } = registryBundleSchema.safeParse(bundle);
    return error ? zodIssues(error).map((i) => i.path) : [];
  };
  assert.deepEqual(
    bad((b) => (b.version = 2)),
    ["version"],
  );
  assert.deepEqual(
    bad((b) => (b.canonical_events[0].properties.checkout_id.format = "uuid")),
    ["canonical_events.0.properties.checkout_id.format"],
  );
  assert.deepEqual(
    bad((b) => b.mappings.push(b.mappings[0])),
    [`mappings.${exported.mappings.length}.source_event`],
  );
});

test("planning needs mapping.edit or canonicalEvent.manage", async () => {
  const bundle = parseInput(registryBundleSchema, structuredClone(exported));
  await rejectsWith(planRegistry(ws.actors.growth, bundle), "forbidden");
  await rejectsWith(planRegistry(ws.actors.viewer, bundle), "forbidden");
  assert.equal((await planRegistry(ws.actors.admin, bundle)).changes.length, 0);
});
