// What people do with ingested events, each as their own role: the explorer, unmapped events,
// violations and profile lookup — fed through POST /api/capture with a write key made for this run.
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";

const run = Date.now().toString(36);
let ingest: APIRequestContext;
let writeKey: string;

async function capture(body: Record<string, unknown>) {
  return ingest.post("/api/capture", {
    headers: { authorization: `Bearer ${writeKey}` },
    data: { source: "heap", ...body },
  });
}

test.beforeAll(async ({ baseURL }) => {
  ingest = await request.newContext({ baseURL });
  const admin = await apiAs("admin", baseURL);
  const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
  const heap = sources.find((s) => s.key === "heap")!;
  const created = await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `e2e events ${run}` } });
  expect(created.status(), await created.text()).toBe(201);
  writeKey = ((await created.json()) as { key: string }).key;
  await admin.dispose();
});

test.afterAll(async () => {
  await ingest?.dispose();
});

test("[engineer] finds a captured purchase in the events explorer and opens its stored payload", async ({
  browser,
}) => {
  const eventId = `ord_${run}_purchase`;
  const response = await capture({
    event: "purchase",
    event_id: eventId,
    user_id: `cust_${run}`,
    properties: { order_id: `ord_${run}`, value: 10, currency: "EUR" },
  });
  expect(response.status(), await response.text()).toBe(202);
  expect((await response.json()).status).toBe("accepted");

  const page = await pageAs(browser, "engineer");
  await page.goto("/events");
  await page.getByRole("searchbox", { name: "Search" }).fill(eventId);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(new RegExp(`q=${eventId}`));
  const table = page.getByRole("table", { name: "Events" });
  await expect(table.getByRole("row")).toHaveCount(2);
  const row = table.getByRole("row").filter({ hasText: eventId });
  await expect(row).toContainText("accepted");
  await expect(row).toContainText(`cust_${run}`);
  await row.getByRole("link", { name: eventId }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("purchase");
  await expect(page.getByLabel("Stored payload")).toContainText(eventId);
  await expect(page.getByLabel("Stored payload")).toContainText(`"order_id": "ord_${run}"`);
  await expect(page.getByLabel("Canonical properties")).toContainText("currency");
  const checks = page.getByRole("list", { name: "Checks" });
  await expect(checks.locator(":scope > li")).toHaveCount(4);
  await expect(checks.locator('[data-check="stable_event_id"]')).toContainText(`event_id ${eventId} is unique`);
});

test.describe
  .serial("promoting an unmapped Heap event", () => {
    const label = `Clicked Start Trial CTA Twice ${run}`;

    test("[viewer] sees the unmapped Heap event but cannot promote it", async ({ browser }) => {
      const response = await capture({
        event: label,
        event_id: `cta_${run}`,
        anonymous_id: `anon_cta_${run}`,
        properties: { plan: "team" },
      });
      expect(response.status(), await response.text()).toBe(202);
      expect((await response.json()).status).toBe("unmapped");

      const page = await pageAs(browser, "viewer");
      const row = page
        .getByRole("table", { name: "Unmapped source events" })
        .getByRole("row")
        .filter({ hasText: label });
      // The list reads the rollups, which the worker brings up to date every few seconds.
      await expect(async () => {
        await page.goto(`/unmapped?q=${encodeURIComponent(label)}`);
        await expect(row).toBeVisible({ timeout: 1_000 });
      }).toPass({ timeout: 30_000 });
      await expect(row.getByRole("link", { name: "Promote to mapping" })).toHaveCount(0);
    });

    test("[analyst] promotes an unmapped Heap event to a draft mapping", async ({ browser }) => {
      const page = await pageAs(browser, "analyst");
      await page.goto(`/unmapped?q=${encodeURIComponent(label)}`);
      const row = page
        .getByRole("table", { name: "Unmapped source events" })
        .getByRole("row")
        .filter({ hasText: label });
      await row.getByRole("link", { name: "Promote to mapping" }).click();

      await expect(page.getByRole("heading", { name: "Propose a mapping" })).toBeVisible();
      await expect(page.getByLabel("Source", { exact: true })).toHaveValue("heap");
      await expect(page.getByLabel(/Source event/)).toHaveValue(label);
      await page.getByLabel("Canonical event").selectOption("start_trial");
      await page.getByRole("button", { name: "Create draft" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toContainText(label);
      await expect(page.locator(".spread .badge.draft")).toBeVisible();

      await page.goto(`/unmapped?q=${encodeURIComponent(label)}`);
      await expect(page.getByRole("row").filter({ hasText: label })).toContainText("mapped now");
    });
  });

test("[viewer] sees violations for a capture missing order_id", async ({ browser }) => {
  const eventId = `oc_${run}`;
  const response = await capture({
    event: "Order Completed",
    event_id: eventId,
    user_id: `cust_${run}`,
    properties: { value: 10, currency: "EUR" },
  });
  expect(response.status(), await response.text()).toBe(422);

  const page = await pageAs(browser, "viewer");
  const row = page.getByRole("table", { name: "Violations" }).getByRole("row").filter({ hasText: "Order Completed" });
  // Counts come from the rollups, which the worker brings up to date every few seconds.
  await expect(async () => {
    await page.goto("/violations");
    await expect(row).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  expect(Number(await row.getByRole("cell").nth(2).textContent()), "rejected in the last hour").toBeGreaterThanOrEqual(
    1,
  );
  await expect(row).toContainText("order_id");

  await row.getByRole("link", { name: "Rejected events →" }).click();
  await expect(page).toHaveURL(/status=rejected/);
  await expect(page.getByRole("table", { name: "Events" }).getByRole("row").filter({ hasText: eventId })).toBeVisible();
});

test("[engineer] looks up a profile by anonymous_id", async ({ browser }) => {
  const anonymousId = `anon_${run}`;
  const userId = `cust_p_${run}`;
  const eventId = `ord_p_${run}_purchase`;
  const response = await capture({
    event: "purchase",
    event_id: eventId,
    user_id: userId,
    anonymous_id: anonymousId,
    properties: { order_id: `ord_p_${run}`, value: 25, currency: "EUR" },
  });
  expect(response.status(), await response.text()).toBe(202);

  const page = await pageAs(browser, "engineer");
  await page.goto("/profiles");
  await page.getByLabel("Search by").selectOption("anonymous_id");
  await page.getByLabel("Id", { exact: true }).fill(anonymousId);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page).toHaveURL(new RegExp(`anonymous_id=${anonymousId}`));

  await expect(page.getByRole("region", { name: "Profile" })).toContainText(userId);
  await expect(page.getByRole("table", { name: "Linked anonymous ids" })).toContainText(anonymousId);
  await page.getByRole("table", { name: "Recent events" }).getByRole("link", { name: eventId }).click();
  await expect(page.getByLabel("Stored payload")).toContainText(eventId);
});

test("[engineer] reads events and profiles over the API; anonymous callers get 401", async ({ baseURL }) => {
  const eventId = `api_${run}_purchase`;
  const response = await capture({
    event: "purchase",
    event_id: eventId,
    user_id: `cust_api_${run}`,
    properties: { order_id: `api_${run}`, value: 5, currency: "EUR" },
  });
  expect(response.status(), await response.text()).toBe(202);

  const engineer = await apiAs("engineer", baseURL);
  const list = await (await engineer.get(`/api/events?q=${eventId}`)).json();
  expect(list.rows).toHaveLength(1);
  expect(list.next_cursor).toBeNull();
  const detail = await engineer.get(`/api/events/${list.rows[0].id}`);
  expect(detail.status()).toBe(200);
  expect((await detail.json()).payload.event_id).toBe(eventId);
  expect((await engineer.get("/api/events/no-such-event")).status()).toBe(404);
  expect((await engineer.get(`/api/profiles?user_id=cust_api_${run}`)).status()).toBe(200);
  expect((await engineer.get("/api/profiles?user_id=nobody-at-all")).status()).toBe(404);
  expect((await engineer.get("/api/profiles")).status()).toBe(400);
  await engineer.dispose();

  for (const url of ["/api/events", "/api/events/x", "/api/profiles?user_id=x"]) {
    expect((await ingest.get(url)).status(), url).toBe(401);
  }
});

test("[viewer] pages the events explorer with Next and Previous links that carry a cursor", async ({ browser }) => {
  const anonymousId = `anon_pages_${run}`;
  for (const n of [1, 2, 3]) {
    const response = await capture({ event: `Paged ${run}`, event_id: `pg_${run}_${n}`, anonymous_id: anonymousId });
    expect(response.status(), await response.text()).toBe(202);
  }
  const page = await pageAs(browser, "viewer");
  await page.goto(`/events?q=${anonymousId}&per_page=2`);
  const table = page.getByRole("table", { name: "Events" });
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await expect(table.getByRole("row").filter({ hasText: `pg_${run}_3` })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: `pg_${run}_1` })).toHaveCount(0);
  await pager.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(table.getByRole("row").filter({ hasText: `pg_${run}_1` })).toBeVisible();
  await expect(pager.getByRole("link", { name: "Next" })).toHaveCount(0);
  await pager.getByRole("link", { name: "Previous" }).click();
  await expect(table.getByRole("row").filter({ hasText: `pg_${run}_3` })).toBeVisible();
  await expect(table.getByRole("row").filter({ hasText: `pg_${run}_2` })).toBeVisible();
});
