// Management bodies nested absurdly deep are a 400 before a recursive schema walks them (which
// would overflow the stack: a 500), and the schemas handle anything under the cap.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertJsonDepth, MAX_JSON_DEPTH, nestsDeeperThan } from "@/lib/api/json-depth";
import { AppError, parseInput, toErrorBody } from "@/lib/errors";
import { canonicalEventCreateSchema } from "@/lib/validations/canonical-events";
import { registryBundleSchema } from "@/lib/validations/registry-bundle";

/** { type: "array", items: { … } } nested `levels` JSON levels deep. */
function nestedItems(levels: number): Record<string, unknown> {
  let spec: Record<string, unknown> = { type: "string" };
  for (let i = 1; i < levels; i++) spec = { type: "array", items: spec };
  return spec;
}

test("depth is measured without recursion", () => {
  assert.equal(nestsDeeperThan({ a: [{ b: 1 }] }, 3), false);
  assert.equal(nestsDeeperThan({ a: [{ b: {} }] }, 3), true);
  assert.equal(nestsDeeperThan("x", 0), false);
  assert.equal(nestsDeeperThan(nestedItems(200_000), MAX_JSON_DEPTH), true);
});

test("a body deeper than the cap is a 400 with code too_deep", () => {
  try {
    assertJsonDepth({ properties: [nestedItems(100_000)] });
    assert.fail("accepted");
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(toErrorBody(error).status, 400);
    assert.equal(error.issues?.[0]?.code, "too_deep");
  }
});

test("the recursive schemas answer a 400 (not a stack overflow) for anything under the cap", () => {
  const body = { name: "deep", properties: [{ name: "a", ...nestedItems(MAX_JSON_DEPTH - 2) }] };
  assertJsonDepth(body);
  assert.throws(
    () => parseInput(canonicalEventCreateSchema, body),
    (e) => toErrorBody(e).status === 400,
  );
  const doc = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "deep",
    type: "object",
    properties: { a: nestedItems(MAX_JSON_DEPTH - 4) },
  };
  const bundle = { version: 1, canonical_events: [doc] };
  assertJsonDepth(bundle);
  assert.doesNotThrow(() => parseInput(registryBundleSchema, bundle));
});
