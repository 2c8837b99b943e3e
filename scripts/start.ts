// `npm start`: prepare config, migrate and seed the database, build if the sources changed,
// then serve the dashboard and API (PORT, default 3000). `--dev` runs `next dev` instead.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfNeeded } from "@/lib/runtime/build";
import { assertUnlocked, releaseLock, writeLock } from "@/lib/runtime/data-lock";
import { dataDir, prepareLocalEnv } from "@/lib/runtime/local-config";
import { prepareDatabase } from "./prepare-database";

const dev = process.argv.includes("--dev");
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
