// Environment validation: one clear line per bad variable.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";

function loadEnv(vars: Record<string, string>) {
  const script = `import { env } from "@/lib/env"; try { console.log(JSON.stringify(env())); } catch (e) { console.log(e.message); process.exit(3); }`;
  return spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH ?? "", ...vars } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
}

test("a valid environment parses with defaults", () => {
  const result = loadEnv({ NEXTAUTH_SECRET: "x".repeat(40) });
  assert.equal(result.status, 0, result.stderr);
  const env = JSON.parse(result.stdout);
  assert.equal(env.PORT, 3000);
  assert.equal(env.TRACKLAYER_DATA_DIR, ".data");
});

test("each bad variable is named with the reason", () => {
  const result = loadEnv({
    NEXTAUTH_SECRET: "short",
    PORT: "eighty",
    DATABASE_URL: "mysql://db/x",
    TRACKLAYER_ENCRYPTION_KEY: "nope",
    GITHUB_ID: "id-without-secret",
  });
  assert.equal(result.status, 3);
  const out = result.stdout;
  assert.match(out, /Invalid environment/);
  assert.match(out, /NEXTAUTH_SECRET: must be at least 32 characters/);
  assert.match(out, /PORT: /);
  assert.match(out, /DATABASE_URL: must be a postgres:\/\/ URL/);
  assert.match(out, /TRACKLAYER_ENCRYPTION_KEY: must be 32 bytes in base64/);
  assert.match(out, /GITHUB_SECRET: is required with GITHUB_ID/);
});

test("postgres URLs and directory paths are both accepted", () => {
  for (const DATABASE_URL of ["postgres://u@h:5432/d", "postgresql://u@h/d", "./somewhere/db", ""]) {
    assert.equal(loadEnv({ NEXTAUTH_SECRET: "x".repeat(40), DATABASE_URL }).status, 0, DATABASE_URL);
  }
});

test("worker settings are validated and named: a typo is an error, not NaN", () => {
  const result = loadEnv({
    NEXTAUTH_SECRET: "x".repeat(40),
    TRACKLAYER_WORKER_LEASE_MS: "60s",
    TRACKLAYER_DELIVERY_MAX_ATTEMPTS: "twelve",
    TRACKLAYER_WORKER: "maybe",
  });
  assert.equal(result.status, 3);
  assert.match(result.stdout, /TRACKLAYER_WORKER_LEASE_MS: /);
  assert.match(result.stdout, /TRACKLAYER_DELIVERY_MAX_ATTEMPTS: /);
  assert.match(result.stdout, /TRACKLAYER_WORKER: /);
  const valid = loadEnv({ NEXTAUTH_SECRET: "x".repeat(40), TRACKLAYER_WORKER_LEASE_MS: "5000" });
  assert.equal(valid.status, 0, valid.stderr);
  const parsed = JSON.parse(valid.stdout);
  assert.equal(parsed.TRACKLAYER_WORKER_LEASE_MS, 5000);
  assert.equal(parsed.TRACKLAYER_WORKER_BATCH_SIZE, 500);
});

test("where destinations may send: the private-network switch is off by default, and both settings are checked", () => {
  const defaults = JSON.parse(loadEnv({ NEXTAUTH_SECRET: "x".repeat(40) }).stdout);
  assert.equal(defaults.TRACKLAYER_ALLOW_PRIVATE_NETWORK, false);
  assert.deepEqual(defaults.TRACKLAYER_ALLOWED_DESTINATION_HOSTS, []);
  const set = JSON.parse(
    loadEnv({
      NEXTAUTH_SECRET: "x".repeat(40),
      TRACKLAYER_ALLOW_PRIVATE_NETWORK: "true",
      TRACKLAYER_ALLOWED_DESTINATION_HOSTS: " Capi.Example.com, *.staging.example ,",
    }).stdout,
  );
  assert.equal(set.TRACKLAYER_ALLOW_PRIVATE_NETWORK, true);
  assert.deepEqual(set.TRACKLAYER_ALLOWED_DESTINATION_HOSTS, ["capi.example.com", "*.staging.example"]);
  const bad = loadEnv({
    NEXTAUTH_SECRET: "x".repeat(40),
    TRACKLAYER_ALLOW_PRIVATE_NETWORK: "yes please",
    TRACKLAYER_ALLOWED_DESTINATION_HOSTS: "https://capi.example.com/path",
  });
  assert.equal(bad.status, 3);
  assert.match(bad.stdout, /TRACKLAYER_ALLOW_PRIVATE_NETWORK: must be true or false/);
  assert.match(bad.stdout, /TRACKLAYER_ALLOWED_DESTINATION_HOSTS: must be comma-separated host names/);
});
