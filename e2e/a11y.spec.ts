// Accessibility: axe-core (WCAG 2 A and AA rules) on every dashboard page found on disk, signed in as an admin
// with data present, on the live inspector with a trace open, and on the public pages: 0 violations.
import AxeBuilder from "@axe-core/playwright";
import { type Browser, expect, type Page, test } from "@playwright/test";
import { dashboardRoutes, urlOf } from "./support/dashboard-pages";
import { purchase, type Seeded, seedPageData } from "./support/page-data";
import { apiAs, pageAs } from "./support/session";

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
// axe on a full page takes a while on a busy machine.
test.describe.configure({ timeout: 120_000 });
let data: Seeded;

test.beforeAll(async ({ baseURL }) => {
  data = await seedPageData(baseURL);
});
test.afterAll(async () => {
  await data.cleanup();
});

/** axe's findings as readable lines (rule, impact, where), so a failure says what to fix. */
async function violations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(TAGS).analyze();
  return result.violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(" ")} — ${n.failureSummary?.split("\n")[1] ?? v.help}`),
  );
}

async function openSettled(page: Page, url: string) {
  const response = await page.goto(url);
  expect(response?.status(), url).toBeLessThan(400);
  await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
  // Client tables, charts and the overview's polling render after hydration; let them settle.
  await page.waitForLoadState("load");
  await page.waitForTimeout(800);
}

test.describe("[admin] every dashboard page", () => {
  for (const route of dashboardRoutes()) {
    test(`[admin] ${route} has no WCAG A/AA violations`, async ({ browser }) => {
      const page = await pageAs(browser, "admin");
      await openSettled(page, urlOf(route, data));
      expect(await violations(page)).toEqual([]);
      await page.context().close();
    });
  }
});

test("[admin] the live inspector with a trace open has no violations", async ({ browser }) => {
  const page = await pageAs(browser, "admin");
  await page.goto(`/inspector?q=cust_pages_${data.tag}`);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  const sent = await data.ingest.post("/api/capture", { data: purchase(data.tag, 9) });
  expect(sent.status()).toBe(202);
  const toggle = page.getByRole("button", { name: new RegExp(`^Trace of ${purchase(data.tag, 9).event_id}`) });
  await expect(toggle).toBeVisible({ timeout: 10_000 });
  await toggle.press("Enter");
  await expect(toggle).toHaveAttribute("aria-expanded", "true");
  await expect(page.locator('[data-check="accepted_downstream"]')).toBeVisible({ timeout: 20_000 });
  expect(await violations(page)).toEqual([]);
  await page.context().close();
});

async function publicPage(browser: Browser, url: string) {
  const page = await (await browser.newContext()).newPage();
  await page.goto(url);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await violations(page), url).toEqual([]);
  await page.context().close();
}

for (const url of ["/signin", "/forgot-password"]) {
  test(`[visitor] ${url} has no violations`, async ({ browser }) => {
    await publicPage(browser, url);
  });
}

test("[visitor] an invitation has no violations", async ({ baseURL, browser }) => {
  const admin = await apiAs("admin", baseURL);
  const invited = await admin.post("/api/invitations", {
    data: { email: `a11y-${data.tag}@tracklayer.test`, role: "viewer" },
  });
  expect(invited.status()).toBe(201);
  const { url } = (await invited.json()) as { url: string };
  await publicPage(browser, new URL(url).pathname);
  await admin.dispose();
});
