// `npm run worker`: an extra delivery worker process (PostgreSQL mode). Any number may run;
// they share the outbox through leased, SKIP LOCKED claims. Stops cleanly on SIGINT/SIGTERM.

import { closeDatabase } from "@/lib/db";
import { defaultWorkerOptions } from "@/lib/delivery/engine/default-options";
import { startWorker } from "@/lib/delivery/engine/worker";
import { env } from "@/lib/env";
import { prepareLocalEnv } from "@/lib/runtime/local-config";

prepareLocalEnv();
env();
if (!/^postgres(ql)?:\/\//i.test(process.env.DATABASE_URL ?? "")) {
  console.error(
    "The embedded database runs its delivery worker inside the server (npm start). Separate workers need DATABASE_URL=postgres://…",
  );
  process.exit(2);
}
const worker = startWorker(defaultWorkerOptions());
console.log(`delivery worker ${worker.id} started`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await worker.stop();
    await closeDatabase();
    process.exit(0);
  });
}
