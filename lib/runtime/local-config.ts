// First-run configuration for a local install: loads .env, generates and keeps the session
// secret and the encryption key under the data directory, so a newcomer sets nothing.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { databaseLocation, loadDotEnv, serverPort, setEnvDefaults } from "@/lib/env";

/** Generated on first run and kept in the data directory, unless set. */
const GENERATED: Record<string, () => string> = {
  NEXTAUTH_SECRET: () => randomBytes(32).toString("base64url"),
  TRACKLAYER_ENCRYPTION_KEY: () => randomBytes(32).toString("base64"),
};

export function dataDir(): string {
  return path.resolve(databaseLocation().dataDir);
}

export function prepareLocalEnv(): void {
  loadDotEnv();
  const dir = dataDir();
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, "local-secrets.json");
  const stored: Record<string, string> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  let changed = false;
  setEnvDefaults(Object.keys(GENERATED), (name) => {
    if (!stored[name]) {
      stored[name] = GENERATED[name]!();
      changed = true;
    }
    return stored[name];
  });
  if (changed) writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  setEnvDefaults(["NEXTAUTH_URL"], () => `http://localhost:${serverPort()}`);
}
