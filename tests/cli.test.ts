// The `tracklayer` CLI against a running server (the registry routes over HTTP in this process,
// authenticated by personal access token): pull / diff / push / validate / promote exit codes
// and output, run as a CI job would run it (`node bin/tracklayer.mjs ...`).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { readBundle } from "@/cli/bundle-files";
import { closeDatabase, db } from "@/lib/db";
import { exportRegistry } from "@/lib/registry/plan/export";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { emptyWorkspaceLike, startRegistryServer, tokenFor } from "./registry-helpers";

const BIN = path.resolve("bin/tracklayer.mjs");
let ws: TestWorkspace;
let server: Awaited<ReturnType<typeof startRegistryServer>>;
let work: string;
let admin: string;
let analyst: string;

/** Runs the CLI without blocking this process (the server answers from it). */
function cli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        cwd: work,
        env: { PATH: process.env.PATH, NODE_ENV: "test", TRACKLAYER_URL: server.url, ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? 1) : 0;
        resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
      },
    );
  });
}

before(async () => {
  ws = await createTestWorkspace();
  server = await startRegistryServer();
  work = mkdtempSync(path.join(tmpdir(), "tracklayer-cli-"));
  admin = await tokenFor(ws.actors.admin);
  analyst = await tokenFor(ws.actors.analyst);
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
  await closeDatabase();
});

const dir = () => path.join(work, "tracklayer");

describe("pull, diff, push", () => {
  test("pull writes the bundle as JSON Schemas and YAML mappings, the same bytes every time", async () => {
    const first = await cli(["pull", "--token", analyst]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(existsSync(path.join(dir(), "tracklayer.yaml")));
    assert.ok(existsSync(path.join(dir(), "events", "purchase.schema.json")));
    assert.ok(readdirSync(path.join(dir(), "mappings")).every((f) => f.endsWith(".yaml")));
    assert.deepEqual(readBundle(dir()), await exportRegistry(ws.actors.viewer));
    const snapshot = (d: string): string[] =>
      readdirSync(d, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => `${e.name}\n${readFileSync(path.join(e.parentPath, e.name), "utf8")}`)
        .sort();
    const before = snapshot(dir());
    assert.equal((await cli(["pull"], { TRACKLAYER_TOKEN: analyst })).code, 0);
    assert.deepEqual(snapshot(dir()), before);
  });

  test("diff: exit 0 without changes, 2 with changes (breaking highlighted), --json for machines", async () => {
    const clean = await cli(["diff", "--token", analyst]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /No changes/);

    const file = path.join(dir(), "events", "purchase.schema.json");
    const purchase = JSON.parse(readFileSync(file, "utf8"));
    purchase.properties.channel = { type: "string", enum: ["web", "app"] };
    purchase.required = [...purchase.required, "channel"].sort();
    writeFileSync(file, JSON.stringify(purchase, null, 2));
    writeFileSync(
      path.join(dir(), "events", "refund_issued.schema.json"),
      JSON.stringify({ ...purchase, title: "refund_issued", required: ["order_id"] }, null, 2),
    );

    const human = await cli(["diff", "--token", analyst]);
    assert.equal(human.code, 2, human.stderr);
    assert.match(human.stdout, /~ canonical event purchase changed {2}\[BREAKING\]/);
    assert.match(human.stdout, /properties\.channel: ∅ → .*\[BREAKING\]/);
    assert.match(human.stdout, /\+ canonical event refund_issued added/);

    const machine = await cli(["diff", "--json", "--token", analyst]);
    assert.equal(machine.code, 2);
    const plan = JSON.parse(machine.stdout);
    assert.equal(plan.breaking, true);
    assert.deepEqual(plan.changes.map((c: { key: string }) => c.key).sort(), ["purchase", "refund_issued"]);
  });

  test("push needs a reference, applies as drafts, and the next diff is clean", async () => {
    const missing = await cli(["push", "--token", analyst]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--reference/);

    const pushed = await cli(["push", "--reference", "3f2c1ab", "--token", analyst]);
    assert.equal(pushed.code, 0, pushed.stderr);
    assert.match(pushed.stdout, /created +canonical event refund_issued/);
    const entry = await db().auditLog.findFirst({ where: { workspaceId: ws.workspace.id, action: "registry.apply" } });
    assert.equal((entry?.after as { reference?: string } | null)?.reference, "3f2c1ab");

    const after = await cli(["diff", "--token", analyst]);
    assert.equal(after.code, 0, after.stdout);
  });

  test("errors exit 1 with the server's message: a bad token, a bundle the server refuses", async () => {
    const badToken = await cli(["diff", "--token", "tl_pat_nope"]);
    assert.equal(badToken.code, 1);
    assert.match(badToken.stderr, /unauthenticated/);
    const noToken = await cli(["diff"]);
    assert.equal(noToken.code, 1);
    assert.match(noToken.stderr, /TRACKLAYER_TOKEN/);

    const broken = path.join(work, "broken");
    await cli(["pull", "--dir", broken, "--token", admin]);
    const file = path.join(broken, "events", "purchase.schema.json");
    const purchase = JSON.parse(readFileSync(file, "utf8"));
    purchase.properties.value.minimum = "zero";
    writeFileSync(file, JSON.stringify(purchase));
    const refused = await cli(["diff", "--dir", broken, "--token", analyst]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /invalid_request/);
    assert.match(refused.stderr, /canonical_events\.\d+\.properties\.value\.minimum/);
  });
});

describe("validate", () => {
  test("example events that fit the schemas pass (exit 0); violations are listed (exit 1)", async () => {
    const good = path.join(work, "good.json");
    writeFileSync(
      good,
      JSON.stringify([
        { event: "purchase", properties: { order_id: "o-1", value: 10, currency: "EUR", channel: "web" } },
      ]),
    );
    const ok = await cli(["validate", good]);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /1 example event checked, 0 violations/);

    const bad = path.join(work, "bad.yaml");
    writeFileSync(
      bad,
      "- event: purchase\n  properties: { order_id: o-2, value: ten, currency: EUR, channel: web }\n" +
        "- event: purchase\n  properties: { value: 3, currency: EUR, channel: tv }\n" +
        "- event: no_such_event\n  properties: {}\n",
    );
    const failed = await cli(["validate", bad, "--json"]);
    assert.equal(failed.code, 1);
    const { violations } = JSON.parse(failed.stdout);
    const paths = violations.map((v: { index: number; path: string }) => `${v.index} ${v.path}`);
    assert.ok(paths.includes("0 properties.value"), paths.join(", "));
    assert.ok(paths.includes("1 properties"), "missing order_id");
    assert.ok(paths.includes("1 properties.channel"), "channel not in the enum");
    assert.ok(paths.includes("2 event"));
  });
});

describe("promote between workspaces", () => {
  test("promote plans (exit 2) then applies the source's registry on the target as drafts", async () => {
    const target = await emptyWorkspaceLike(ws);
    const env = { TRACKLAYER_FROM_TOKEN: analyst, TRACKLAYER_TO_TOKEN: await tokenFor(target.actors.admin) };
    const planned = await cli(["promote", "--json"], env);
    assert.equal(planned.code, 2, planned.stderr);
    assert.ok(JSON.parse(planned.stdout).summary.added > 0);

    const applied = await cli(["promote", "--reference", "release-42"], env);
    assert.equal(applied.code, 0, applied.stderr);
    const mappings = await db().mapping.findMany({ where: { workspaceId: target.workspace.id } });
    assert.ok(mappings.length > 0 && mappings.every((m) => m.status === "in_review"), "reviewed on the target");

    assert.equal((await cli(["promote"], env)).code, 0, "nothing left to promote");
  });
});
