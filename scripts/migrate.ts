// `npm run db:migrate`: apply pending migrations (the server must be stopped in embedded mode).

import { openDatabase } from "@/lib/db/connection";
import { migrate } from "@/lib/db/migrate";
import { describeStartupError } from "@/lib/db/startup-error";
import { usesPostgres } from "@/lib/env";
import { assertUnlocked } from "@/lib/runtime/data-lock";
import { dataDir, prepareLocalEnv } from "@/lib/runtime/local-config";

async function main() {
  prepareLocalEnv();
  if (!usesPostgres()) assertUnlocked(dataDir());
  const handle = openDatabase();
  try {
    const ran = await migrate(handle);
    console.log(ran.length ? `Applied: ${ran.join(", ")}` : "No pending migrations.");
  } finally {
    await handle.close().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(describeStartupError(error));
  process.exit(1);
});
