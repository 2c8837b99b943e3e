// `npm run worker`: an extra worker process (PostgreSQL mode). Any number may run; they share the
// queues through leased, SKIP LOCKED claims. On SIGINT/SIGTERM it gives back the rows it claimed
// but has not sent (due again at once for the other workers), waits for requests in flight, exits.
// An unreachable database is one line and a backoff, never a crash (lib/worker/start-worker.ts).

import { closeDatabase } from "@/lib/db";
import { env, usesPostgres } from "@/lib/env";
import { prepareLocalEnv } from "@/lib/runtime/local-config";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { startWorker } from "@/lib/worker/start-worker";

prepareLocalEnv();
try {
  env();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
if (!usesPostgres()) {
  console.error(
    "The embedded database runs its worker inside the server (npm start). Separate workers need DATABASE_URL=postgres://…",
  );
  process.exit(2);
}
const worker = startWorker(defaultWorkerOptions());
console.log(`worker ${worker.id} started`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await worker.stop();
    await closeDatabase().catch(() => undefined);
    process.exit(0);
  });
}
