// `tracklayer codegen --lang typescript`: the generated client type-checks valid calls and tsc
// rejects a wrong property type or a missing required property; at run time its zod validators
// reject the same, and a valid call captures with the event_id derived from the business id.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { after, before, test } from "node:test";
import { writeBundle } from "@/cli/bundle-files";
import { typescriptClient } from "@/cli/codegen";
import { closeDatabase } from "@/lib/db";
import { exportRegistry } from "@/lib/registry/plan/export";
import { createTestWorkspace } from "./helpers";

// Inside the repository (a folder tsconfig and biome skip) so the client resolves zod like a user's project would.
let work: string;

function run(file: string, args: string[]) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(file, args, { cwd: work, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ code: error ? (typeof code === "number" ? code : 1) : 0, out: stdout + stderr });
    });
  });
}

const TSC = path.resolve("node_modules/.bin/tsc");
/** tsc on the client and one file that uses it, with a strict config of their own. */
function tsc(file: string) {
  const compilerOptions = {
    noEmit: true,
    strict: true,
    skipLibCheck: true,
    target: "es2022",
    module: "esnext",
    moduleResolution: "bundler",
    lib: ["es2022", "dom"],
    types: [],
  };
  const config = `tsconfig.${path.basename(file, ".ts")}.json`;
  writeFileSync(path.join(work, config), JSON.stringify({ compilerOptions, files: ["client.ts", file] }));
  return run(TSC, ["-p", config]);
}

before(async () => {
  const ws = await createTestWorkspace();
  mkdirSync(".data", { recursive: true });
  work = mkdtempSync(path.resolve(".data", "codegen-test-"));
  writeBundle(path.join(work, "tracklayer"), await exportRegistry(ws.actors.viewer));
  const generated = await run(process.execPath, [
    path.resolve("bin/tracklayer.mjs"),
    "codegen",
    "--lang",
    "typescript",
    "--out",
    "client.ts",
  ]);
  assert.equal(generated.code, 0, generated.out);
});
after(async () => {
  rmSync(work, { recursive: true, force: true });
  await closeDatabase();
});

test("valid calls type-check", async () => {
  writeFileSync(
    path.join(work, "valid.ts"),
    `import { createClient, eventIdFor } from "./client";
const client = createClient({ url: "http://localhost:3000", writeKey: "tl_wk_x" });
export const calls = [
  client.purchase({ order_id: "o-1", value: 12.5, currency: "EUR" }, { user_id: "u-1" }),
  client.purchase({ order_id: "o-2", value: 3, currency: "USD", coupon: "SPRING" }, { anonymous_id: "a-1" }),
  client.identify("u-1", { plan: "pro" }),
];
export const id: string = eventIdFor("purchase", "o-1");
`,
  );
  const result = await tsc("valid.ts");
  assert.equal(result.code, 0, result.out);
});

test("a wrong property type fails tsc", async () => {
  writeFileSync(
    path.join(work, "wrong-type.ts"),
    `import { createClient } from "./client";
createClient({ url: "http://x", writeKey: "k" }).purchase({ order_id: "o-1", value: "12", currency: "EUR" }, { user_id: "u" });
`,
  );
  const result = await tsc("wrong-type.ts");
  assert.notEqual(result.code, 0);
  assert.match(result.out, /wrong-type\.ts.*TS2322/);
});

test("a missing required property fails tsc", async () => {
  writeFileSync(
    path.join(work, "missing.ts"),
    `import { createClient } from "./client";
createClient({ url: "http://x", writeKey: "k" }).purchase({ value: 12, currency: "EUR" }, { user_id: "u" });
`,
  );
  const result = await tsc("missing.ts");
  assert.notEqual(result.code, 0);
  assert.match(result.out, /missing\.ts[\s\S]*'order_id' is missing/);
});

test("at run time: the same mistakes throw before sending; a valid call captures with a stable event_id", async () => {
  const sent: { url: string; body: Record<string, unknown> }[] = [];
  const fakeFetch = (async (url: URL, init: RequestInit) => {
    sent.push({ url: String(url), body: JSON.parse(String(init.body)) });
    return new Response(JSON.stringify({ ok: true }), { status: 202 });
  }) as unknown as typeof fetch;
  const { createClient } = await import(path.join(work, "client.ts"));
  const client = createClient({ url: "http://tl.test", writeKey: "tl_wk_x", fetch: fakeFetch });

  await assert.rejects(() => client.purchase({ order_id: "o-1", value: "12", currency: "EUR" }, { user_id: "u" }));
  await assert.rejects(() => client.purchase({ value: 12, currency: "EUR" }, { user_id: "u" }));
  assert.equal(sent.length, 0, "nothing sent for invalid calls");

  await client.purchase({ order_id: "o-9", value: 12, currency: "EUR" }, { user_id: "u-1" });
  await client.purchase({ order_id: "o-9", value: 12, currency: "EUR" }, { user_id: "u-1" });
  await client.identify("u-1", { plan: "pro" });
  assert.equal(sent[0]?.url, "http://tl.test/api/capture");
  assert.equal(sent[0]?.body.event, "purchase");
  assert.equal(sent[0]?.body.event_id, "purchase:o-9");
  assert.equal(sent[1]?.body.event_id, sent[0]?.body.event_id, "a retry keeps the event_id");
  assert.deepEqual(sent[2], { url: "http://tl.test/api/identify", body: { user_id: "u-1", traits: { plan: "pro" } } });
});

test("--lang jsonschema writes one JSON Schema per canonical event", async () => {
  const result = await run(process.execPath, [
    path.resolve("bin/tracklayer.mjs"),
    "codegen",
    "--lang",
    "jsonschema",
    "--out",
    "schemas",
  ]);
  assert.equal(result.code, 0, result.out);
  assert.ok(readdirSync(path.join(work, "schemas")).includes("purchase.schema.json"));
});

test("an event named like the client's identify method gets its own name", () => {
  const doc = { $schema: "https://json-schema.org/draft/2020-12/schema", title: "identify", type: "object" };
  const code = typescriptClient({
    version: 1,
    canonical_events: [{ ...doc, properties: {}, required: [] }],
    mappings: [],
  });
  assert.match(code, /identifyEvent: \(properties: IdentifyProperties/);
  assert.match(code, /identify: \(user_id: string/);
});
