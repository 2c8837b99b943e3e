// Value rules on canonical event properties: each rule kind accepts/rejects values with a
// problem naming the rule and the value; bad rules are a 400 with the field path when saved;
// at ingest a violation is recorded with the value and the rule and shows in the samples.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { AppError, parseInput, toErrorBody } from "@/lib/errors";
import { getMappingViolations } from "@/lib/events/violations";
import { checkValue } from "@/lib/ingest/check-value";
import { updateCanonicalEvent } from "@/lib/registry/canonical-events";
import { canonicalEventCreateSchema } from "@/lib/validations/canonical-events";
import type { ValueSpec } from "@/lib/validations/value-rules";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";

/** The problems of one value: [] when valid. */
const check = (spec: ValueSpec, value: unknown) => checkValue("properties.x", value, spec);

function assertViolates(spec: ValueSpec, value: unknown, rule: string, text: RegExp) {
  const problems = check(spec, value);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  const [p] = problems;
  assert.equal(p!.code, rule);
  assert.match(p!.message, text);
  assert.ok(p!.message.includes(`(${rule})`), p!.message);
  assert.ok(p!.rule && rule in p!.rule, JSON.stringify(p));
  return p!;
}

describe("each rule kind", () => {
  test("enum", () => {
    const spec: ValueSpec = { type: "string", enum: ["EUR", "USD"] };
    assert.deepEqual(check(spec, "EUR"), []);
    const p = assertViolates(spec, "XYZ", "enum", /"XYZ" is not one of "EUR", "USD"/);
    assert.deepEqual(p.rule, { enum: ["EUR", "USD"] });
    assert.equal(p.value, "XYZ");
    assert.deepEqual(check({ type: "number", enum: [1, 2] }, 2), []);
    assertViolates({ type: "number", enum: [1, 2] }, 3, "enum", /3 is not one of 1, 2/);
  });

  test("pattern", () => {
    const spec: ValueSpec = { type: "string", pattern: "^[A-Z]{3}$" };
    assert.deepEqual(check(spec, "EUR"), []);
    const p = assertViolates(spec, "eur", "pattern", /"eur" does not match \/\^\[A-Z\]\{3\}\$\//);
    assert.deepEqual(p.rule, { pattern: "^[A-Z]{3}$" });
  });

  test("minimum and maximum", () => {
    const spec: ValueSpec = { type: "number", minimum: 0, maximum: 100 };
    assert.deepEqual(check(spec, 0), []);
    assert.deepEqual(check(spec, 100), []);
    assert.equal(assertViolates(spec, -1, "minimum", /-1 is less than 0/).value, -1);
    assert.deepEqual(assertViolates(spec, 101, "maximum", /101 is greater than 100/).rule, { maximum: 100 });
  });

  test("min_length and max_length (in characters)", () => {
    const spec: ValueSpec = { type: "string", min_length: 2, max_length: 3 };
    assert.deepEqual(check(spec, "ab"), []);
    assert.deepEqual(check(spec, "äöü"), []);
    assertViolates(spec, "a", "min_length", /"a" is shorter than 2 characters/);
    assertViolates(spec, "abcd", "max_length", /"abcd" is longer than 3 characters/);
  });

  test("array item type and item rules, with the item's index in the path", () => {
    const spec: ValueSpec = { type: "array", items: { type: "string", max_length: 2 } };
    assert.deepEqual(check(spec, ["a", "bb"]), []);
    const [wrong] = check(spec, ["a", 5]);
    assert.equal(wrong!.path, "properties.x.1");
    assert.match(wrong!.message, /must be a string \(got number\)/);
    assert.deepEqual(wrong!.rule, { type: "string" });
    const [long] = check(spec, ["abc"]);
    assert.equal(long!.path, "properties.x.0");
    assert.equal(long!.code, "max_length");
  });

  test("nested object shapes (recursive): required, types and rules of inner properties", () => {
    const spec: ValueSpec = {
      type: "object",
      properties: [
        { name: "city", type: "string", required: true, description: "" },
        {
          name: "geo",
          type: "object",
          required: false,
          description: "",
          properties: [{ name: "lat", type: "number", required: true, description: "", minimum: -90, maximum: 90 }],
        },
      ],
    };
    assert.deepEqual(check(spec, { city: "Berlin", geo: { lat: 52.5 } }), []);
    const problems = check(spec, { geo: { lat: 91 } });
    assert.deepEqual(
      problems.map((p) => [p.path, p.code]),
      [
        ["properties.x.city", "missing"],
        ["properties.x.geo.lat", "maximum"],
      ],
    );
    assert.equal(check(spec, { city: 7 })[0]!.message, "must be a string (got number)");
  });

  test("a long offending string is cut to a preview", () => {
    const p = assertViolates({ type: "string", max_length: 5 }, "x".repeat(500), "max_length", /longer than 5/);
    assert.ok(String(p.value).length <= 101);
  });
});

describe("saving rules: a bad rule is a 400 with the field path", () => {
  const save = (properties: unknown[]) => () => parseInput(canonicalEventCreateSchema, { name: "ruled", properties });

  function rejectsAt(properties: unknown[], path: string) {
    try {
      save(properties)();
    } catch (error) {
      assert.ok(error instanceof AppError);
      assert.equal(toErrorBody(error).status, 400);
      const paths = error.issues?.map((i) => i.path) ?? [];
      assert.ok(paths.includes(path), `${path} not in ${JSON.stringify(error.issues)}`);
      return;
    }
    assert.fail(`accepted ${JSON.stringify(properties)}`);
  }

  test("valid rules of every kind are accepted", () => {
    const parsed = save([
      { name: "currency", type: "string", enum: ["EUR"], pattern: "^[A-Z]{3}$", min_length: 3, max_length: 3 },
      { name: "value", type: "number", minimum: 0, maximum: 1e6 },
      { name: "tags", type: "array", items: { type: "string", max_length: 20 } },
      { name: "address", type: "object", properties: [{ name: "city", type: "string", required: true }] },
    ])();
    assert.equal(parsed.properties[3]!.properties![0]!.required, true);
  });

  test("rules that do not fit the type, or contradict each other", () => {
    rejectsAt([{ name: "a", type: "number", pattern: "^x$" }], "properties.0.pattern");
    rejectsAt([{ name: "a", type: "string", minimum: 1 }], "properties.0.minimum");
    rejectsAt([{ name: "a", type: "string", enum: ["x", 1] }], "properties.0.enum.1");
    rejectsAt([{ name: "a", type: "string", enum: [] }], "properties.0.enum");
    rejectsAt([{ name: "a", type: "number", minimum: 5, maximum: 1 }], "properties.0.maximum");
    rejectsAt([{ name: "a", type: "string", min_length: 5, max_length: 1 }], "properties.0.max_length");
    rejectsAt([{ name: "a", type: "array", items: { type: "number", pattern: "x" } }], "properties.0.items.pattern");
    rejectsAt(
      [{ name: "a", type: "object", properties: [{ name: "b", type: "number", max_length: 1 }] }],
      "properties.0.properties.0.max_length",
    );
    rejectsAt([{ name: "a", type: "string", bogus: 1 }], "properties.0.bogus");
  });

  test("patterns must compile, be short and not backtrack catastrophically", () => {
    rejectsAt([{ name: "a", type: "string", pattern: "([a-z" }], "properties.0.pattern");
    rejectsAt([{ name: "a", type: "string", pattern: "(a+)+$" }], "properties.0.pattern");
    rejectsAt([{ name: "a", type: "string", pattern: "^(a|aa)*$" }], "properties.0.pattern");
    rejectsAt([{ name: "a", type: "string", pattern: "^(?:x|y){2,}$" }], "properties.0.pattern");
    for (const fine of ["^(EUR|USD)$", "^[a|b]+$", "^(ab)+$", "\\(a|b\\)+", "^\\p{L}+$"]) {
      assert.equal(
        canonicalEventCreateSchema.safeParse({ name: "ok", properties: [{ name: "a", type: "string", pattern: fine }] })
          .success,
        true,
        fine,
      );
    }
    rejectsAt([{ name: "a", type: "string", pattern: "x".repeat(201) }], "properties.0.pattern");
  });

  test("nesting is limited in depth", () => {
    let spec: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 6; i++) spec = { type: "array", items: spec };
    rejectsAt([{ name: "deep", ...spec }], "properties.0");
  });
});

describe("at ingest", () => {
  let ws: TestWorkspace;
  let key: string;
  before(async () => {
    ws = await createTestWorkspace();
    key = await writeKeyFor(ws, "heap");
    const purchase = await db().canonicalEvent.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, name: "purchase" },
    });
    const props = parseInput(canonicalEventCreateSchema, {
      name: "purchase",
      properties: [
        ...(purchase.properties as { name: string }[]).filter((p) => p.name !== "currency" && p.name !== "value"),
        { name: "value", type: "number", required: true, minimum: 0 },
        { name: "currency", type: "string", required: true, enum: ["EUR", "USD"] },
      ],
    }).properties;
    await updateCanonicalEvent(ws.actors.analyst, purchase.id, { properties: props });
  });
  after(() => closeDatabase());

  test("a rule violation is rejected and recorded with the value and the rule, and shown in the sample", async () => {
    const eventId = `ord_rule_${Date.now()}`;
    const result = await capture(key, {
      event: "purchase",
      event_id: eventId,
      user_id: "cust_rule",
      properties: { order_id: "o1", value: -5, currency: "XYZ" },
    });
    assert.equal(result.status, 422, JSON.stringify(result.body));
    const issues = (result.body.error as { issues: { path: string; code: string }[] }).issues;
    assert.deepEqual(issues.map((i) => [i.path, i.code]).sort(), [
      ["properties.currency", "enum"],
      ["properties.value", "minimum"],
    ]);
    const stored = await db().event.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, eventId } });
    assert.equal(stored.status, "rejected");
    const enumProblem = (stored.problems as { path: string; rule: unknown; value: unknown }[]).find(
      (p) => p.path === "properties.currency",
    );
    assert.deepEqual(enumProblem?.rule, { enum: ["EUR", "USD"] });
    assert.equal(enumProblem?.value, "XYZ");

    const violations = await getMappingViolations(ws.actors.viewer, stored.mappingId!);
    assert.equal(violations.latest?.event_id, eventId);
    const sample = violations.latest!.problems.find((p) => p.path === "properties.value");
    assert.deepEqual(sample?.rule, { minimum: 0 });
    assert.equal(sample?.value, -5);
    assert.match(sample!.message, /-5 is less than 0 \(minimum\)/);
  });

  test("a value within the rules is accepted", async () => {
    const result = await capture(key, {
      event: "purchase",
      event_id: `ord_ok_${Date.now()}`,
      user_id: "cust_rule",
      properties: { order_id: "o2", value: 10, currency: "USD" },
    });
    assert.equal(result.status, 202, JSON.stringify(result.body));
  });
});
