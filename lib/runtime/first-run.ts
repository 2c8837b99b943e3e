// What `npm start` says after seeding the demo workspace. Its secrets (the generated admin
// password, the demo write keys: shown once, stored hashed) go to an interactive terminal only:
// a log kept by a process manager or CI must not hold them. Otherwise they are written to a
// credentials file only the owner can read, and the log says where it is and where to make keys.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { SeedResult } from "@/lib/workspace/seed-demo";

export const CREDENTIALS_FILE = "first-run-credentials.txt";

interface Options {
  /** Whether stdout is a terminal someone is reading (process.stdout.isTTY). */
  interactive: boolean;
  /** The data directory (the credentials file goes there). */
  dir: string;
  url: string | undefined;
  print?: (line: string) => void;
}

function secretLines(seed: SeedResult): string[] {
  return [
    `    email:    ${seed.admin.email}`,
    `    password: ${seed.admin.password ?? "(the TRACKLAYER_ADMIN_PASSWORD you set)"}`,
    "  Write keys (shown once; stored hashed):",
    ...seed.writeKeys.map((k) => `    ${k.name.padEnd(16)} ${k.key}   source: ${k.source}`),
  ];
}

export function reportFirstRun(seed: SeedResult, { interactive, dir, url, print = console.log }: Options): void {
  print(`\n  Demo workspace created. Sign in at ${url}/signin`);
  if (interactive) {
    for (const line of secretLines(seed)) print(line);
    print("");
    return;
  }
  const file = path.join(dir, CREDENTIALS_FILE);
  writeFileSync(
    file,
    `TrackLayer first-run credentials (delete this file once noted)\n${secretLines(seed).join("\n")}\n`,
    {
      mode: 0o600,
    },
  );
  print(`    email:    ${seed.admin.email}`);
  print(`  The output is not a terminal, so the ${seed.admin.password ? "generated password and the " : ""}demo write`);
  print(`  keys are not printed: they are in ${file} (readable by you only; delete it once noted).`);
  print(`  Create and revoke write keys on the Sources & keys page: ${url}/sources`);
  print("");
}
