// `npm start`'s first run: the demo write keys and the generated admin password reach an
// interactive terminal only; a log (stdout not a TTY) says where to find and create them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { CREDENTIALS_FILE, reportFirstRun } from "@/lib/runtime/first-run";

const seed = {
  created: true,
  workspace: "Demo",
  admin: { email: "admin@tracklayer.local", password: "generated-pw-123" },
  writeKeys: [{ name: "Heap forwarder", source: "heap", key: "tl_wk_secretvalue" }],
};

test("with stdout piped (a log), no write key or password is printed; they go to a private file", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tl-first-run-"));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, TRACKLAYER_DATA_DIR: dir, PORT: "3999" };
    for (const name of ["DATABASE_URL", "TRACKLAYER_ADMIN_PASSWORD", "TRACKLAYER_ADMIN_EMAIL", "NEXTAUTH_URL"])
      delete env[name];
    const run = spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        'const { prepareLocalEnv } = await import("./lib/runtime/local-config.ts"); prepareLocalEnv(); await (await import("./scripts/prepare-database.ts")).prepareDatabase();',
      ],
      { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 },
    );
    assert.equal(run.status, 0, run.stderr);
    const output = run.stdout + run.stderr;
    assert.match(output, /Demo workspace created/);
    assert.doesNotMatch(output, /tl_wk_/);
    assert.doesNotMatch(output, /password:/);
    const file = path.join(dir, CREDENTIALS_FILE);
    assert.ok(output.includes(file), output);
    assert.match(output, /Sources & keys page: http:\/\/localhost:3999\/sources/);
    const saved = readFileSync(file, "utf8");
    assert.equal((saved.match(/tl_wk_[\w-]+/g) ?? []).length, 2);
    assert.match(saved, /password: \S+/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("an interactive terminal is shown the keys and password, and no file is written", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "tl-first-run-"));
  try {
    const lines: string[] = [];
    reportFirstRun(seed, { interactive: true, dir, url: "http://localhost:3000", print: (l) => lines.push(l) });
    const output = lines.join("\n");
    assert.match(output, /tl_wk_secretvalue/);
    assert.match(output, /generated-pw-123/);
    assert.throws(() => statSync(path.join(dir, CREDENTIALS_FILE)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
