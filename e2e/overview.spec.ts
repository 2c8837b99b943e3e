// The overview reads the rollups: events sent through the API show up in its numbers once the
// worker's aggregator has counted them (the server runs the worker in-process), for each role.
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { createWriteKey } from "./support/ingest";
import { apiAs, pageAs } from "./support/session";

const run = Date.now().toString(36);
const label = `Overview Banner ${run}`;
let ingest: APIRequestContext;
let writeKey: string;

test.beforeAll(async ({ baseURL }) => {
  ingest = await request.newContext({ baseURL });
  writeKey = await createWriteKey(baseURL, `e2e overview ${run}`);
  for (let i = 0; i < 3; i++) {
    const sent = await ingest.post("/api/capture", {
      headers: { authorization: `Bearer ${writeKey}` },
      data: { source: "heap", event: label, event_id: `${run}_banner_${i}`, user_id: `cust_${run}` },
    });
    expect(sent.status(), await sent.text()).toBe(202);
  }
  const purchase = await ingest.post("/api/capture", {
    headers: { authorization: `Bearer ${writeKey}` },
    data: {
      source: "heap",
      event: "purchase",
      event_id: `${run}_purchase`,
      user_id: `cust_${run}`,
      properties: { order_id: `ord_${run}`, value: 3, currency: "EUR" },
    },
  });
  expect(purchase.status(), await purchase.text()).toBe(202);
});

test.afterAll(async () => {
  await ingest?.dispose();
});

test("[analyst] sees a new unmapped label with its volume on the overview and promotes it", async ({ browser }) => {
  const page = await pageAs(browser, "analyst");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview", level: 1 })).toBeVisible();
  const newThisWeek = page.getByRole("region", { name: "New this week" });
  const row = newThisWeek.getByRole("row", { name: new RegExp(label) });
  // The aggregator counts within seconds: reload until the rollups hold the three events.
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(row.getByRole("cell").nth(1)).toHaveText("3");
  await expect(row.getByRole("cell").first()).toHaveText("heap");
  await row.getByRole("link", { name: `Promote ${label}` }).click();
  await expect(page).toHaveURL(/\/mappings\/new\?/);
  await expect(page.getByLabel("Source event (exact label, e.g. a Heap virtual event)")).toHaveValue(label);
});

test("[viewer] switches the period in the address and sees totals without promote actions", async ({ browser }) => {
  const page = await pageAs(browser, "viewer");
  await page.goto("/");
  const periods = page.getByRole("navigation", { name: "Period" });
  await expect(periods.getByRole("link", { name: "24 hours" })).toHaveAttribute("aria-current", "page");
  await periods.getByRole("link", { name: "7 days" }).click();
  await expect(page).toHaveURL(/period=7d/);
  await expect(periods.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText(/^Last 7 days · all events/)).toBeVisible();
  const row = page.getByRole("region", { name: "New this week" }).getByRole("row", { name: new RegExp(label) });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(row.getByRole("link", { name: /Promote/ })).toHaveCount(0);
  // The totals are server-rendered numbers: the unmapped count includes this run's three.
  const unmapped = page.getByRole("definition").nth(3);
  expect(Number((await unmapped.textContent())?.replace(/,/g, ""))).toBeGreaterThanOrEqual(3);
});

test("[engineer] sees each destination's delivery health on the overview and its success chart", async ({
  browser,
  baseURL,
}) => {
  const admin = await apiAs("admin", baseURL);
  const name = `Overview hook ${run}`;
  const created = await admin.post("/api/destinations", {
    data: {
      type: "webhook",
      name,
      config: { url: "http://127.0.0.1:9/hook" },
      secrets: { signing_secret: "overview-spec-secret" },
      enabled: false,
      test_mode: false,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  await admin.dispose();
  const page = await pageAs(browser, "engineer");
  await page.goto("/?period=30d");
  const delivery = page.getByRole("region", { name: "Delivery" });
  const row = delivery.getByRole("row", { name: new RegExp(name) });
  await expect(row).toBeVisible();
  // Nothing sent yet: no rate, no latency, an empty backlog.
  await expect(row.getByRole("cell")).toHaveText(["0", "0", "0", "0", "—", "—", "—", "0", "—"]);
  await page.goto("/destinations");
  await expect(
    page
      .getByRole("region", { name: `Destination ${name}` })
      .getByRole("figure", { name: `${name}: delivery success rate per hour, last 24 hours` }),
  ).toBeVisible();
});

test("[growth] sees each mapping's 7-day volume in the mappings table", async ({ browser }) => {
  const page = await pageAs(browser, "growth");
  await page.goto("/mappings?source=heap&q=purchase");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "purchase", exact: true }) });
  await expect(page.getByRole("columnheader", { name: "7 days" })).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(row.getByRole("img", { name: /^[1-9][\d,]* events in 7 days/ })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
});
