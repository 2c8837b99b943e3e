// End-to-end tests: Playwright starts TrackLayer exactly as a newcomer would (`npm start`),
// on its own port and its own temporary data directory, then drives headless Chromium.
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, defineConfig } from "@playwright/test";
import { ADMIN, E2E_PORT } from "./e2e/support/users";

const baseURL = `http://localhost:${E2E_PORT}`;
const dataDir = path.join(os.tmpdir(), `tracklayer-e2e-${E2E_PORT}`);

/** Playwright's own Chromium when installed, else the system one (Debian's chromium). */
function chromiumExecutable(): string | undefined {
  const candidates = [
    process.env.PLAYWRIGHT_CHROMIUM_PATH,
    safe(() => chromium.executablePath()),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  const found = candidates.find((p): p is string => Boolean(p && existsSync(p)));
  if (!found) {
    throw new Error("No Chromium found. Install one (apt-get install -y chromium) or set PLAYWRIGHT_CHROMIUM_PATH.");
  }
  return found;
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "e2e", testMatch: /.*\.spec\.ts/, dependencies: ["setup"] },
  ],
  webServer: {
    command: `rm -rf "${dataDir}" && npm start`,
    url: `${baseURL}/api/health`,
    timeout: 900_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(E2E_PORT),
      TRACKLAYER_DATA_DIR: dataDir,
      TRACKLAYER_ADMIN_EMAIL: ADMIN.email,
      TRACKLAYER_ADMIN_PASSWORD: ADMIN.password,
      NEXTAUTH_URL: baseURL,
      // The specs' platform mocks and receivers listen on 127.0.0.1: let destinations reach them, and allow
      // that host for base_url overrides (npm start runs in production mode).
      TRACKLAYER_ALLOW_PRIVATE_NETWORK: "true",
      TRACKLAYER_ALLOWED_DESTINATION_HOSTS: "127.0.0.1",
      // Sign-in throttling with a window short enough to wait out in e2e/accounts.spec.ts.
      TRACKLAYER_LOGIN_MAX_ATTEMPTS: "5",
      TRACKLAYER_LOGIN_WINDOW_SECONDS: "15",
    },
  },
});
