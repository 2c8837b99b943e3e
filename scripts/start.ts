// `npm start`: prepare config, migrate and seed the database, build if the sources changed,
// then serve the dashboard and API (PORT, default 3000). `--dev` runs `next dev` instead.
import { spawn } from "node:child_process";
import { describeStartupError } from "@/lib/db/startup-error";
import { childEnv, serverPort, usesPostgres } from "@/lib/env";
import { buildIfNeeded } from "@/lib/runtime/build";
import { assertUnlocked, releaseLock, writeLock } from "@/lib/runtime/data-lock";
import { dataDir, prepareLocalEnv } from "@/lib/runtime/local-config";
import { prepareDatabase } from "./prepare-database";

const dev = process.argv.includes("--dev");
async function main() {
  prepareLocalEnv();
  const embedded = !usesPostgres();
  if (embedded) assertUnlocked(dataDir());
  await prepareDatabase();
  if (!dev) buildIfNeeded();

  const port = serverPort();
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/serve.ts", ...(dev ? ["--dev"] : [])], {
    stdio: "inherit",
    env: childEnv({ PORT: port, ...(dev ? {} : { NODE_ENV: "production" }) }),
  });
  if (embedded && child.pid) writeLock(dataDir(), child.pid);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    if (embedded) releaseLock(dataDir());
    process.exit(code ?? (signal ? 0 : 1));
  });
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
