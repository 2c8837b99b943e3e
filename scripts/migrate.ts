// `npm run db:migrate`: apply pending migrations (the server must be stopped in embedded mode).

import { openDatabase } from "@/lib/db/connection";
import { migrate } from "@/lib/db/migrate";
import { assertUnlocked } from "@/lib/runtime/data-lock";
import { dataDir, prepareLocalEnv } from "@/lib/runtime/local-config";

prepareLocalEnv();
if (!/^postgres/i.test(process.env.DATABASE_URL ?? "")) assertUnlocked(dataDir());
const handle = openDatabase();
const ran = await migrate(handle);
console.log(ran.length ? `Applied: ${ran.join(", ")}` : "No pending migrations.");
await handle.close();
