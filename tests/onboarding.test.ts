// The first-run checklist's steps from stored facts, the copyable snippets, and the typed destination forms
// staying in step with each platform's config and secrets schemas.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { z } from "zod";
import { destinationModules } from "@/lib/delivery/destinations";
import { DESTINATION_FORMS, mapToLines, parseMapLines } from "@/lib/delivery/destinations/form-fields";
import { type OnboardingFacts, onboardingSteps } from "@/lib/onboarding/checklist";
import { curlSnippet, guidePurchase, keySnippets } from "@/lib/onboarding/snippets";
import { DESTINATION_TYPES } from "@/lib/validations/delivery";

const none: OnboardingFacts = {
  writeKey: null,
  firstEventId: null,
  approvedMappingId: null,
  testDestinationId: null,
  validatedEventId: null,
  lastTriedEventId: null,
};

test("a new workspace has five steps to do, in order, each linking to where it is done", () => {
  const state = onboardingSteps(none);
  assert.equal(state.done, false);
  assert.deepEqual(
    state.steps.map((s) => [s.key, s.done, s.href]),
    [
      ["write_key", false, "/sources"],
      ["first_event", false, "/events"],
      ["approved_mapping", false, "/mappings"],
      ["test_destination", false, "/destinations"],
      ["validated", false, "/inspector"],
    ],
  );
});

test("steps tick from the facts; the last one points at the event that still fails, then the one that passed", () => {
  const partial = onboardingSteps({
    ...none,
    writeKey: { prefix: "tl_wk_abcd", source: "heap" },
    firstEventId: "evt1",
    lastTriedEventId: "evt2",
  });
  assert.deepEqual(
    partial.steps.map((s) => s.done),
    [true, true, false, false, false],
  );
  assert.equal(partial.steps[1]?.href, "/events/evt1");
  assert.equal(partial.steps[4]?.href, "/events/evt2");
  const all = onboardingSteps({
    writeKey: { prefix: "tl_wk_abcd", source: "heap" },
    firstEventId: "evt1",
    approvedMappingId: "map1",
    testDestinationId: "dst1",
    validatedEventId: "evt3",
    lastTriedEventId: null,
  });
  assert.equal(all.done, true);
  assert.equal(all.steps[4]?.href, "/events/evt3");
});

test("the curl carries the guide's purchase with the key's source, and names the key by its prefix", () => {
  const curl = curlSnippet("https://tl.example", { key: null, prefix: "tl_wk_abcd", source: "backend" });
  assert.match(curl, /the write key starting tl_wk_abcd/);
  assert.match(curl, /curl -X POST https:\/\/tl\.example\/api\/capture/);
  assert.match(curl, /Authorization: Bearer \$TRACKLAYER_WRITE_KEY/);
  const body = JSON.parse(/-d '(.+)'$/m.exec(curl)?.[1] ?? "{}");
  assert.deepEqual(body, guidePurchase("backend"));
  assert.equal(body.event_id, "ord_10492_purchase");
  assert.deepEqual(body.properties, { order_id: "ord_10492", value: 129.95, currency: "EUR" });
  const fresh = keySnippets("https://tl.example", { key: "tl_wk_secret", prefix: "tl_wk_secr", source: "heap" });
  assert.deepEqual(
    fresh.map((s) => s.label),
    ["curl", "Segment SDK (Node)", "RudderStack SDK (Node)"],
  );
  assert.match(fresh[0]!.code, /Bearer tl_wk_secret/);
  assert.match(fresh[1]!.code, /writeKey: "tl_wk_secret", host: "https:\/\/tl\.example", path: "\/v1\/batch"/);
  assert.match(fresh[2]!.code, /dataPlaneUrl: "https:\/\/tl\.example"/);
});

const shapeKeys = (schema: z.ZodType) => Object.keys((schema as unknown as { shape?: object }).shape ?? {}).sort();

test("every destination type's form describes each config and secret setting its schema knows, and no other", () => {
  for (const type of DESTINATION_TYPES) {
    const form = DESTINATION_FORMS[type];
    const module = destinationModules[type];
    const config = form.fields.filter((f) => !f.secret).map((f) => f.name);
    const secrets = form.fields.filter((f) => f.secret).map((f) => f.name);
    assert.deepEqual([...config].sort(), shapeKeys(module.configSchema), `${type} config fields`);
    assert.deepEqual([...secrets].sort(), shapeKeys(module.secretsSchema), `${type} secret fields`);
    for (const f of form.fields) {
      assert.ok(f.label, `${type}.${f.name} has a label`);
      if (f.kind === "select") assert.ok(f.options?.length, `${type}.${f.name} has options`);
      if (f.link) assert.match(f.link.href, /^https:\/\//);
    }
  }
});

test("select options are values the schemas accept", () => {
  for (const type of DESTINATION_TYPES) {
    const shape = (destinationModules[type].configSchema as unknown as { shape: Record<string, z.ZodType> }).shape;
    for (const f of DESTINATION_FORMS[type].fields.filter((x) => x.kind === "select" && !x.secret))
      for (const option of f.options ?? [])
        assert.ok(shape[f.name]?.safeParse(option).success, `${type}.${f.name} accepts ${option}`);
  }
});

test("map fields read one key = value per line and show the stored map the same way", () => {
  assert.deepEqual(parseMapLines("purchase = Purchase\n\n sign_up: CompleteRegistration \nbroken"), {
    purchase: "Purchase",
    sign_up: "CompleteRegistration",
  });
  assert.equal(mapToLines({ purchase: "Purchase", lead: 12 }), "purchase = Purchase\nlead = 12");
  assert.equal(mapToLines(undefined), "");
});
