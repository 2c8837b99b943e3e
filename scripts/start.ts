// `npm start`: prepare config, migrate and seed the database, build if the sources changed,
// then serve the dashboard and API (PORT, default 3000). `--dev` runs `next dev` instead.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { prepareLocalEnv, dataDir } from "@/lib/runtime/local-config";
import { assertUnlocked, releaseLock, writeLock } from "@/lib/runtime/data-lock";
import { prepareDatabase } from "./prepare-database";

const dev = process.argv.includes("--dev");
const BUILD_INPUTS = ["app", "components", "lib", "public", "next.config.js", "package-lock.json", "tsconfig.json", "proxy.ts", "instrumentation.ts", "prisma/schema.prisma"];
const STAMP = path.join(".next", "tracklayer-build-stamp");

function sourceStamp(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p) || p.startsWith(path.join("lib", "generated"))) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const child of readdirSync(p).sort()) visit(path.join(p, child));
    else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  BUILD_INPUTS.forEach(visit);
  return hash.digest("hex");
}

function buildIfNeeded() {
  const stamp = sourceStamp();
  if (existsSync(path.join(".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) return;
  console.log("Building the dashboard (first run or sources changed)…");
  const result = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, stamp);
}

async function main() {
  prepareLocalEnv();
  const embedded = !/^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "");
  if (embedded) assertUnlocked(dataDir());
  await prepareDatabase();
  if (!dev) buildIfNeeded();

  const port = process.env.PORT || "3000";
  const child = spawn(path.join("node_modules", ".bin", "next"), [dev ? "dev" : "start", "-p", port], {
    stdio: "inherit",
    env: { ...process.env, NEXT_MANUAL_SIG_HANDLE: "true", ...(dev ? {} : { NODE_ENV: "production" }) },
  });
  if (embedded && child.pid) writeLock(dataDir(), child.pid);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (embedded) releaseLock(dataDir());
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
