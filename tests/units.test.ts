// Small pure pieces: revision diffs, secrets, database mode selection, error translation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { generateSecret, hashSecret } from "@/lib/auth/secrets";
import { resolveDatabase } from "@/lib/db/connection";
import { AppError, toErrorBody } from "@/lib/errors";
import { timeOrderedId } from "@/lib/ids";
import { hashPayload } from "@/lib/ingest/calls";
import { ingestError, readBody } from "@/lib/ingest/http";
import { diffContent } from "@/lib/registry/mappings/diff";
import { stableJson } from "@/lib/stable-json";
import { mappingCreateSchema } from "@/lib/validations/mappings";

test("diffContent lists changed fields only, ignoring key order", () => {
  const before = {
    canonical_event: "purchase",
    required_properties: ["order_id"],
    property_renames: { a: "b", c: "d" },
    note: "",
  };
  const after = {
    canonical_event: "purchase",
    required_properties: ["order_id", "value"],
    property_renames: { c: "d", a: "b" },
    note: "",
  };
  assert.deepEqual(diffContent(before, after), [
    { field: "required_properties", before: ["order_id"], after: ["order_id", "value"] },
  ]);
  assert.equal(diffContent(null, after).length, 4, "every field of a first revision is new");
});

test("secrets carry a kind prefix, a visible prefix and a stable hash", () => {
  const s = generateSecret("wk");
  assert.match(s.value, /^tl_wk_[A-Za-z0-9_-]{32}$/);
  assert.equal(s.prefix, s.value.slice(0, 14));
  assert.equal(s.hash, hashSecret(s.value));
  assert.notEqual(generateSecret("wk").value, s.value);
});

test("DATABASE_URL chooses the database mode", () => {
  assert.deepEqual(resolveDatabase("postgres://u@h/d"), { mode: "postgres", url: "postgres://u@h/d" });
  assert.equal(resolveDatabase("", "/tmp/x").mode, "embedded");
  assert.equal((resolveDatabase("", "/tmp/x") as { dir: string }).dir, "/tmp/x/pglite");
  assert.equal((resolveDatabase(":memory:") as { dir?: string }).dir, undefined);
});

test("errors translate to { error: { code, message, issues } } with field paths", () => {
  const parsed = mappingCreateSchema.safeParse({
    source: "Heap!",
    source_event: "",
    canonical_event: "Purchase",
    extra: true,
  });
  assert.equal(parsed.success, false);
  const { status, body } = toErrorBody(parsed.error);
  assert.equal(status, 400);
  const paths = body.error.issues?.map((i) => i.path).sort();
  assert.deepEqual(paths, ["canonical_event", "extra", "source", "source_event"]);
  assert.deepEqual(toErrorBody(new AppError("four_eyes", "no")).status, 403);
  const hidden = toErrorBody(new Error("secret detail"));
  assert.equal(hidden.status, 500);
  assert.doesNotMatch(JSON.stringify(hidden.body), /secret detail/);
  assert.equal(z.string().safeParse(1).success, false);
});

test("stableJson: key order never matters; the order is the one stored payload hashes were made with", () => {
  assert.equal(stableJson({ b: 1, a: { y: [{ d: 1, c: 2 }], x: undefined } }), '{"a":{"y":[{"c":2,"d":1}]},"b":1}');
  assert.equal(stableJson({ b: 1, a: 2 }), stableJson({ a: 2, b: 1 }));
  // Array-index keys first in numeric order (as JavaScript objects hold them), then code-unit order.
  assert.equal(stableJson({ z: 1, "10": 2, "9": 3, "01": 4, Z: 5, é: 6 }), '{"9":3,"10":2,"01":4,"Z":5,"z":1,"é":6}');
  // A stored event's hash: a retry after an upgrade is still a duplicate, not a conflict.
  assert.equal(
    hashPayload({ type: "capture", event: "Order Completed", properties: { order_id: "o1", value: 10 } }),
    "a8b09097b8a6e4fafe6b39f410937b878c3bd283e546254de311c3cbcab89d78",
  );
  assert.throws(() => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    stableJson(loop);
  }, TypeError);
});

test("timeOrderedId: UUIDv7, unique across pool refills, and later milliseconds sort after earlier ones", async () => {
  const first = Array.from({ length: 1_000 }, () => timeOrderedId());
  assert.equal(new Set(first).size, first.length);
  for (const id of first) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  await new Promise((resolve) => setTimeout(resolve, 5));
  const later = timeOrderedId();
  assert.ok(
    first.every((id) => id < later),
    "an id made later sorts after every earlier one",
  );
  assert.ok(
    Math.abs(parseInt(later.replace(/-/g, "").slice(0, 12), 16) - Date.now()) < 1_000,
    "the leading 48 bits are the time in ms",
  );
});

test("readBody: a body the client stopped sending is a 400 answer, not a logged server error", async () => {
  const logged: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const body = new ReadableStream({
      start: (controller) => controller.error(Object.assign(new Error("aborted"), { code: "ECONNRESET" })),
    });
    const request = new Request("http://localhost/api/capture", {
      method: "POST",
      body,
      duplex: "half",
    } as RequestInit);
    const error = await readBody(request, 32_768).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(error instanceof AppError);
    const response = ingestError(error);
    assert.equal(response.status, 400);
    assert.match((await response.json()).error.message, /client closed the connection/);
    assert.deepEqual(logged, []);
  } finally {
    console.error = original;
  }
});

test("an unreachable database answers 503 database_unavailable with Retry-After, not a 500", () => {
  for (const error of [
    Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
    Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }),
    new Error("Connection terminated unexpectedly"),
  ]) {
    const answer = toErrorBody(error);
    assert.equal(answer.status, 503, error.message);
    assert.equal(answer.body.error.code, "database_unavailable");
    assert.equal(answer.retryAfter, 5);
  }
  assert.equal(toErrorBody(new Error("a bug")).status, 500);
});
