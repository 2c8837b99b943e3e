// First-run configuration for a local install: loads .env, generates and keeps the session
// secret and the encryption key under the data directory, so a newcomer sets nothing.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function dataDir(): string {
  return path.resolve(process.env.TRACKLAYER_DATA_DIR || ".data");
}

export function prepareLocalEnv(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "local-secrets.json");
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const wanted = {
    NEXTAUTH_SECRET: () => randomBytes(32).toString("base64url"),
    TRACKLAYER_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
  };
  let changed = false;
  for (const [name, make] of Object.entries(wanted)) {
    if (process.env[name]) continue;
    if (!stored[name]) {
      stored[name] = make();
      changed = true;
    }
    process.env[name] = stored[name];
  }
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  process.env.NEXTAUTH_URL ??= `http://localhost:${process.env.PORT || 3000}`;
}
