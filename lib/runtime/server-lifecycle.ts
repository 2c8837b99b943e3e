// Node-only server start-up, imported from instrumentation.ts: validate the environment, warm
// the database, run the in-process delivery worker, and shut down cleanly.
import { closeDatabase, database } from "@/lib/db";
import { defaultWorkerOptions } from "@/lib/delivery/engine/default-options";
import { startWorker } from "@/lib/delivery/engine/worker";
import { env } from "@/lib/env";
import { drainCommits } from "@/lib/ingest/group-commit";

try {
  env();
  if (!process.env.TRACKLAYER_ENCRYPTION_KEY)
    throw new Error(
      "TRACKLAYER_ENCRYPTION_KEY is required: destination credentials are encrypted with it (npm start generates one locally)",
    );
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

await database().raw.query("SELECT 1");

// Embedded mode: the only worker. PostgreSQL: one per app instance, plus any `npm run worker`s.
const worker = process.env.TRACKLAYER_WORKER === "off" ? null : startWorker(defaultWorkerOptions({ idleMs: 500 }));

async function stop() {
  await worker?.stop();
  await drainCommits();
  await closeDatabase().catch((error: unknown) => console.error(error));
  process.exit(0);
}

process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
