// Apply and the `tracklayer` CLI against the real server: a token pulls, diffs (exit codes),
// pushes as drafts with a reference (audited, nothing approved); the apply route refuses a
// missing reference and members who may not plan.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, request, test } from "@playwright/test";
import { apiAs } from "./support/session";

const unique = () => Math.random().toString(36).slice(2, 8);

function cli(args: string[], cwd: string, env: Record<string, string>) {
  return new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.resolve("bin/tracklayer.mjs"), ...args],
      { cwd, env: { PATH: process.env.PATH, NODE_ENV: "test", ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        resolve({ code: error ? (typeof code === "number" ? code : 1) : 0, out: stdout + stderr });
      },
    );
  });
}

test("the CLI pulls, diffs and pushes against the server with a personal access token", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  const { token } = await (await analyst.post("/api/tokens", { data: { name: "registry CI" } })).json();
  const work = mkdtempSync(path.join(tmpdir(), "tracklayer-e2e-"));
  const env = { TRACKLAYER_URL: baseURL ?? "", TRACKLAYER_TOKEN: token };
  try {
    expect((await cli(["pull"], work, env)).code).toBe(0);
    const clean = await cli(["diff"], work, env);
    expect(clean.code, clean.out).toBe(0);

    const name = `applied_${unique()}`;
    const purchase = JSON.parse(readFileSync(path.join(work, "tracklayer/events/purchase.schema.json"), "utf8"));
    writeFileSync(
      path.join(work, `tracklayer/events/${name}.schema.json`),
      JSON.stringify({ ...purchase, title: name }),
    );
    const changed = await cli(["diff"], work, env);
    expect(changed.code, changed.out).toBe(2);
    expect(changed.out).toContain(`+ canonical event ${name} added`);

    const reference = `https://git.example/pr/${unique()}`;
    const pushed = await cli(["push", "--reference", reference], work, env);
    expect(pushed.code, pushed.out).toBe(0);
    expect((await cli(["diff"], work, env)).code).toBe(0);

    const admin = await apiAs("admin", baseURL);
    const audit = await (await admin.get("/api/audit-log?action=registry.apply&per_page=50")).json();
    const entry = audit.rows.find((r: { after: { reference?: string } }) => r.after?.reference === reference);
    expect(entry?.actor).toContain("token");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test("apply: a reference is required; growth and anonymous callers are refused", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  const bundle = await (await analyst.get("/api/registry/export")).json();
  const missing = await analyst.post("/api/registry/apply", { data: { bundle } });
  expect(missing.status()).toBe(400);
  expect((await missing.json()).error.issues[0].path).toBe("reference");

  const same = await analyst.post("/api/registry/apply", { data: { bundle, reference: "abc1234" } });
  expect(same.status(), await same.text()).toBe(200);
  const applied = (await same.json()).changes.filter((c: { outcome: string }) => c.outcome !== "skipped");
  expect(applied).toEqual([]);

  const growth = await apiAs("growth", baseURL);
  expect((await growth.post("/api/registry/apply", { data: { bundle, reference: "x" } })).status()).toBe(403);
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.post("/api/registry/apply", { data: { bundle, reference: "x" } })).status()).toBe(401);
});
