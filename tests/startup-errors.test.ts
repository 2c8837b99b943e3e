// Start-up with a database that cannot be used: one clear paragraph naming the variable and what
// to check, never a bare `connect ECONNREFUSED` or a stack trace; the worker backs off quietly.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";

const UNREACHABLE = "postgres://tracklayer@127.0.0.1:1/nowhere";
const STACK = /\n\s+at /;

function envWith(vars: Record<string, string>): NodeJS.ProcessEnv {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "tracklayer-startup-"));
  return {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    TRACKLAYER_DATA_DIR: dataDir,
    ...vars,
  } as unknown as NodeJS.ProcessEnv;
}

function runScript(script: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["--import", "tsx", script], { env, encoding: "utf8", timeout: 60_000 });
}

test("npm start names DATABASE_URL and what to check when PostgreSQL cannot be reached", () => {
  const result = runScript("scripts/start.ts", envWith({ DATABASE_URL: UNREACHABLE }));
  assert.equal(result.status, 1);
  assert.match(
    result.stderr,
    /Cannot reach the PostgreSQL database in DATABASE_URL \(tracklayer@127\.0\.0\.1:1\/nowhere\)/,
  );
  assert.match(result.stderr, /Check that PostgreSQL is running/);
  assert.doesNotMatch(result.stderr, STACK);
});

test("npm run db:migrate says the same, and on a data directory in use gives the clear message, not a stack trace", () => {
  const unreachable = runScript("scripts/migrate.ts", envWith({ DATABASE_URL: UNREACHABLE }));
  assert.equal(unreachable.status, 1);
  assert.match(unreachable.stderr, /Cannot reach the PostgreSQL database in DATABASE_URL/);
  assert.doesNotMatch(unreachable.stderr, STACK);

  const env = envWith({});
  writeFileSync(path.join(env.TRACKLAYER_DATA_DIR!, "server.pid"), String(process.pid)); // a live process owns it
  const locked = runScript("scripts/migrate.ts", env);
  assert.equal(locked.status, 1);
  assert.match(locked.stderr, new RegExp(`Another TrackLayer process \\(pid ${process.pid}\\) is using`));
  assert.doesNotMatch(locked.stderr, STACK);
});

test("npm run worker with PostgreSQL unreachable prints one clear line and backs off, and stops on SIGTERM", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    env: envWith({ DATABASE_URL: UNREACHABLE }),
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  // Wait for the first line (however slow the machine), then long enough for several retries.
  const deadline = Date.now() + 60_000;
  while (!stderr.includes("\n") && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  child.kill("SIGTERM");
  const code = await new Promise((resolve) => child.on("exit", resolve));
  assert.equal(code, 0, "stops cleanly");
  const lines = stderr.trim().split("\n");
  assert.equal(lines.length, 1, `one line for the whole outage:\n${stderr}`);
  assert.match(lines[0]!, /database unavailable \(.*ECONNREFUSED.*check DATABASE_URL/);
});
