// Builds the Next app when its sources changed since the last build (a stamp of their
// paths, sizes and modification times), so a second `npm start` starts at once.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { childEnv } from "@/lib/env";

const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "next.config.js",
  "postcss.config.mjs",
  "package-lock.json",
  "tsconfig.json",
  "proxy.ts",
  "instrumentation.ts",
  "prisma/schema.prisma",
];
const STAMP = path.join(".next", "tracklayer-build-stamp");

function sourceStamp(): string {
  const hash = createHash("sha256");
  const visit = (p: string) => {
    if (!existsSync(p) || p.startsWith(path.join("lib", "generated"))) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const child of readdirSync(p).sort()) visit(path.join(p, child));
    else hash.update(`${p}:${st.size}:${st.mtimeMs}\n`);
  };
  BUILD_INPUTS.forEach(visit);
  return hash.digest("hex");
}

export function buildIfNeeded() {
  const stamp = sourceStamp();
  if (existsSync(path.join(".next", "BUILD_ID")) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === stamp) return;
  console.log("Building the dashboard (first run or sources changed)…");
  const result = spawnSync(path.join("node_modules", ".bin", "next"), ["build"], {
    stdio: "inherit",
    env: childEnv({ NODE_ENV: "production" }),
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(STAMP, stamp);
}
