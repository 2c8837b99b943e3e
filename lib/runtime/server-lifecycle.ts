// Node-only server start-up, imported from instrumentation.ts: validate the environment, warm
// the database, run the in-process worker, and shut down cleanly.
import { closeDatabase, database } from "@/lib/db";
import { describeStartupError } from "@/lib/db/startup-error";
import { env } from "@/lib/env";
import { drainCommits } from "@/lib/ingest/group-commit";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { startWorker } from "@/lib/worker/start-worker";

function fail(error: unknown): never {
  console.error(describeStartupError(error));
  process.exit(1);
}

let config: ReturnType<typeof env>;
try {
  config = env();
  if (!config.TRACKLAYER_ENCRYPTION_KEY)
    throw new Error(
      "TRACKLAYER_ENCRYPTION_KEY is required: destination credentials are encrypted with it (npm start generates one locally)",
    );
} catch (error) {
  fail(error);
}

await database()
  .raw.query("SELECT 1")
  .catch((error: unknown) => fail(error));

// Embedded mode: the only worker. PostgreSQL: one per app instance, plus any `npm run worker`s.
const worker = config.TRACKLAYER_WORKER === "off" ? null : startWorker(defaultWorkerOptions({ idleMs: 500 }));

async function stop() {
  await worker?.stop();
  await drainCommits();
  await closeDatabase().catch((error: unknown) => console.error(error));
  process.exit(0);
}

process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
