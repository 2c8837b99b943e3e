// Node-only server start-up, imported from instrumentation.ts: warm the database and close it
// cleanly on shutdown.
import { closeDatabase, database } from "@/lib/db";
import { drainCommits } from "@/lib/ingest/group-commit";

await database().raw.query("SELECT 1");

async function stop() {
  await drainCommits();
  await closeDatabase().catch((error: unknown) => console.error(error));
  process.exit(0);
}

process.once("SIGINT", () => void stop());
process.once("SIGTERM", () => void stop());
