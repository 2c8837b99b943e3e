// Migrate, then seed the demo workspace on first run, printing the sign-in and write keys.

import { openDatabase } from "@/lib/db/connection";
import { migrate } from "@/lib/db/migrate";
import { env, publicUrl } from "@/lib/env";
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
      console.log(`\n  Demo workspace created. Sign in at ${url}/signin`);
      console.log(`    email:    ${seed.admin.email}`);
      console.log(`    password: ${seed.admin.password ?? "(the TRACKLAYER_ADMIN_PASSWORD you set)"}`);
      console.log("  Write keys (shown once; stored hashed):");
      for (const k of seed.writeKeys) console.log(`    ${k.name.padEnd(16)} ${k.key}   source: ${k.source}`);
      console.log("");
    } else {
      console.log(
        `Database ready (${handle.mode}); sign in at ${url}/signin as ${seed.admin.email} or another member.`,
      );
    }
  } finally {
    await handle.close();
  }
}
