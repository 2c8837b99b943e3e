// `npm run screenshots`: PNGs of the main dashboard pages at 1440 × 900 and 390 × 844 (plus the phone menu
// open) in screenshots/, for reviewers. Starts TrackLayer like the e2e config does (`npm start` on its own
// port and a temporary data directory, a few demo events sent), or reuses a running instance:
//   npm run screenshots -- --url http://localhost:3000   (with SCREENSHOTS_EMAIL and SCREENSHOTS_PASSWORD)
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, chromium } from "@playwright/test";

const OUT = "screenshots";
const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;
const PAGES = ["/", "/mappings", "/events", "/inspector", "/deliveries", "/destinations", "/sources", "/members"];

function argValue(name: string) {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function chromiumPath() {
  const candidates = [process.env.PLAYWRIGHT_CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  try {
    candidates.splice(1, 0, chromium.executablePath());
  } catch {}
  return candidates.find((p): p is string => Boolean(p && existsSync(p)));
}

async function waitForHealth(baseURL: string, child: ChildProcess | null, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`npm start exited with code ${child.exitCode}`);
    const ok = await fetch(`${baseURL}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 2000));
  }
  throw new Error(`${baseURL} did not answer /api/health in time`);
}

/** Starts `npm start` on its own port and data directory, with a known admin. */
function startApp(port: number, email: string, password: string) {
  const dataDir = path.join(os.tmpdir(), `tracklayer-screenshots-${port}`);
  rmSync(dataDir, { recursive: true, force: true });
  const baseURL = `http://localhost:${port}`;
  const child = spawn("npm", ["start"], {
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      TRACKLAYER_DATA_DIR: dataDir,
      TRACKLAYER_ADMIN_EMAIL: email,
      TRACKLAYER_ADMIN_PASSWORD: password,
      NEXTAUTH_URL: baseURL,
    },
  });
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  };
  return { baseURL, child, stop };
}

async function signIn(browser: Browser, baseURL: string, email: string, password: string) {
  const context = await browser.newContext({ baseURL, viewport: SIZES.desktop });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/signin"), { timeout: 60_000 });
  await page.close();
  return context;
}

/** A few purchases through the demo heap source, so the overview, events and inspector have rows. */
async function sendDemoEvents(context: BrowserContext) {
  const api = context.request;
  const sources = (await (await api.get("/api/sources")).json()) as { rows: { id: string; key: string }[] };
  const heap = sources.rows.find((s) => s.key === "heap");
  if (!heap) return;
  const { key } = (await (
    await api.post(`/api/sources/${heap.id}/keys`, { data: { name: "screenshots" } })
  ).json()) as {
    key: string;
  };
  for (let n = 1; n <= 6; n++) {
    await api.post("/api/capture", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        event: "Order Completed",
        event_id: `purchase_shot_${n}`,
        user_id: `cust_shot_${n % 3}`,
        source: "heap",
        properties: { order_id: `shot_${n}`, value: 20 * n, currency: "EUR" },
      },
    });
  }
}

const fileName = (url: string, size: string) =>
  `${url === "/" ? "overview" : url.slice(1).replaceAll("/", "-")}-${size}.png`;

async function shoot(context: BrowserContext, written: string[]) {
  const mappings = (await (await context.request.get("/api/mappings")).json()) as { rows: { id: string }[] };
  const pages = mappings.rows[0] ? [...PAGES, `/mappings/${mappings.rows[0].id}`] : PAGES;
  for (const [size, viewport] of Object.entries(SIZES)) {
    const page = await context.newPage();
    await page.setViewportSize(viewport);
    for (const url of pages) {
      await page.goto(url);
      await page.waitForTimeout(1200); // client tables and charts render after hydration
      const file = fileName(url.startsWith("/mappings/") ? "/mapping" : url, size);
      await page.screenshot({ path: path.join(OUT, file), fullPage: true });
      written.push(file);
    }
    if (size === "phone") {
      await page.goto("/mappings");
      await page.getByRole("button", { name: "Open navigation" }).click();
      await page.getByRole("dialog").waitFor();
      await page.waitForTimeout(400);
      await page.screenshot({ path: path.join(OUT, "menu-open-phone.png") });
      written.push("menu-open-phone.png");
    }
    await page.close();
  }
}

async function main() {
  const reuse = argValue("--url") ?? process.env.SCREENSHOTS_URL;
  const email = process.env.SCREENSHOTS_EMAIL ?? "screenshots-admin@tracklayer.test";
  const password = process.env.SCREENSHOTS_PASSWORD ?? "screenshots-admin-password";
  if (reuse && !(process.env.SCREENSHOTS_EMAIL && process.env.SCREENSHOTS_PASSWORD)) {
    throw new Error("With --url, set SCREENSHOTS_EMAIL and SCREENSHOTS_PASSWORD to an account of that instance.");
  }
  const app = reuse ? null : startApp(Number(process.env.SCREENSHOTS_PORT ?? 3499), email, password);
  const baseURL = reuse ?? app!.baseURL;
  const executablePath = chromiumPath();
  try {
    if (app) console.log(`Starting TrackLayer on ${baseURL} (builds first when sources changed)…`);
    await waitForHealth(baseURL, app?.child ?? null, 900_000);
    const browser = await chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu"] });
    try {
      const context = await signIn(browser, baseURL, email, password);
      if (app) await sendDemoEvents(context);
      mkdirSync(OUT, { recursive: true });
      const written: string[] = [];
      await shoot(context, written);
      console.log(`Wrote ${written.length} screenshots to ${OUT}/:`);
      for (const file of written) console.log(`  ${file}`);
    } finally {
      await browser.close();
    }
  } finally {
    app?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
