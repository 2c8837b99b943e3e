// Migrate, then seed the demo workspace on first run, reporting the sign-in and write keys
// (printed to a terminal only; see lib/runtime/first-run.ts).

import { openDatabase } from "@/lib/db/connection";
import { migrate } from "@/lib/db/migrate";
import { env, publicUrl } from "@/lib/env";
import { reportFirstRun } from "@/lib/runtime/first-run";
import { dataDir } from "@/lib/runtime/local-config";
import { seedDemo } from "@/lib/workspace/seed-demo";

export async function prepareDatabase() {
  const config = env(); // fails here, before anything runs, with one line per bad variable
  const handle = openDatabase();
  try {
    const ran = await migrate(handle);
    if (ran.length) console.log(`Applied ${ran.length} migration(s) to the ${handle.mode} database: ${ran.join(", ")}`);
    const seed = await seedDemo(handle.prisma, {
      email: config.TRACKLAYER_ADMIN_EMAIL,
      password: config.TRACKLAYER_ADMIN_PASSWORD,
    });
    const url = publicUrl();
    if (seed.created) {
      reportFirstRun(seed, { interactive: Boolean(process.stdout.isTTY), dir: dataDir(), url });
    } else {
      console.log(
        `Database ready (${handle.mode}); sign in at ${url}/signin as ${seed.admin.email} or another member.`,
      );
    }
  } finally {
    await handle.close();
  }
}
