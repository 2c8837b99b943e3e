// First run: a new workspace's home page lists five steps and ticks each one as it happens — the first
// event arriving, the mapping approved, the destination added, one event validated end to end — without
// reloading; Sources & keys shows ready-to-copy calls per key.
import { type APIRequestContext, expect, type Page, request, test } from "@playwright/test";
import { addWebhookDestination, type Receiver, startReceiver } from "./support/receiver";
import { storageStateOf } from "./support/users";

const tag = Date.now().toString(36);
let receiver: Receiver;

test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(() => receiver.close());

const step = (page: Page, title: string) =>
  page
    .getByRole("list", { name: "Onboarding steps" })
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: title, exact: true }) });

async function expectStep(page: Page, title: string, state: "done" | "to do") {
  await expect(step(page, title).locator(".badge")).toHaveText(state, { timeout: 20_000 });
}

const purchase = (eventId: string, orderId: string) => ({
  event: "purchase",
  event_id: eventId,
  user_id: `cust_${tag}`,
  source: "backend",
  properties: { order_id: orderId, value: 129.95, currency: "EUR" },
});

test("[admin] a new workspace's checklist ticks each step as it happens, without a reload", async ({
  browser,
  baseURL,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ storageState: storageStateOf("admin") });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  const page = await context.newPage();
  const api: APIRequestContext = page.request;
  const slug = `onboard-${tag}`;
  expect((await api.post("/api/workspaces", { data: { name: `Onboarding ${tag}`, slug } })).status()).toBe(201);
  expect((await api.post("/api/workspaces/switch", { data: { workspace: slug } })).status()).toBe(200);
  expect((await api.post("/api/sources", { data: { key: "backend", name: "Backend" } })).status()).toBe(201);

  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Get started" })).toBeVisible();
  for (const title of [
    "Create a write key",
    "Send your first event",
    "Approve a mapping",
    "Add a destination in test mode",
    "Validate one event end to end",
  ])
    await expectStep(page, title, "to do");
  await expect(step(page, "Create a write key").getByRole("link", { name: "Create a write key" })).toHaveAttribute(
    "href",
    "/sources",
  );

  // Step 1 where the link leads: the new key comes with calls ready to copy.
  await step(page, "Create a write key").getByRole("link").click();
  await expect(page).toHaveURL(/\/sources/);
  await page.getByText("New write key for backend").click();
  await page.getByRole("textbox", { name: "Name" }).last().fill(`first key ${tag}`);
  await page.getByRole("button", { name: "Create write key" }).click();
  const key = (await page.getByTestId("new-secret").textContent())?.trim() ?? "";
  expect(key.length).toBeGreaterThan(20);
  const snippets = page.getByRole("region", { name: /^Snippets for / }).first();
  await expect(snippets).toContainText(`Bearer ${key}`);
  await expect(snippets).toContainText('"event_id":"ord_10492_purchase"');
  await expect(snippets).toContainText('path: "/v1/batch"');
  await expect(snippets).toContainText("dataPlaneUrl");
  await snippets.getByRole("button", { name: /^Copy curl for / }).click();
  await expect(snippets.getByText(/curl for .*: copied to the clipboard\./)).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain(`Bearer ${key}`);

  await page.goto("/");
  await expectStep(page, "Create a write key", "done");
  const prefix = key.slice(0, 14);
  const curl = step(page, "Send your first event");
  await expect(curl).toContainText(`the write key starting ${prefix}`);
  await expect(curl).toContainText('"order_id":"ord_10492"');
  // From here on the page is never reloaded: a marker on window would vanish with a reload.
  await page.evaluate(() => {
    (window as unknown as { stayed: boolean }).stayed = true;
  });

  const ingest = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  const first = await ingest.post("/api/capture", { data: purchase(`ord_first_${tag}_purchase`, `ord_first_${tag}`) });
  expect(first.status(), await first.text()).toBeLessThan(300);
  await expectStep(page, "Send your first event", "done");
  await expect(page.getByRole("status").filter({ hasText: "Done: Send your first event" })).toBeVisible();

  // Step 3: a canonical purchase and its mapping, approved (one admin: four-eyes off for this workspace).
  expect((await api.patch("/api/workspace", { data: { require_four_eyes: false } })).status()).toBe(200);
  const canonical = await api.post("/api/canonical-events", {
    data: {
      name: "purchase",
      properties: [
        { name: "order_id", type: "string", required: true },
        { name: "value", type: "number", required: true },
        { name: "currency", type: "string", required: true },
      ],
    },
  });
  expect(canonical.status(), await canonical.text()).toBe(201);
  const mapping = await api.post("/api/mappings", {
    data: { source: "backend", source_event: "purchase", canonical_event: "purchase" },
  });
  expect(mapping.status(), await mapping.text()).toBe(201);
  const mappingId = (await mapping.json()).id as string;
  expect((await api.post(`/api/mappings/${mappingId}/submit`, { data: {} })).status()).toBe(200);
  const approved = await api.post(`/api/mappings/${mappingId}/approve`, { data: {} });
  expect(approved.status(), await approved.text()).toBe(200);
  await expectStep(page, "Approve a mapping", "done");

  // Step 4: a webhook destination in test mode.
  const destinationId = await addWebhookDestination(api, `Onboarding receiver ${tag}`, receiver.url, true);
  await expectStep(page, "Add a destination in test mode", "done");
  await expectStep(page, "Validate one event end to end", "to do");

  // Step 5: the mapping sends there; one event goes through with four passing checks.
  const toggled = await api.patch(`/api/mappings/${mappingId}`, { data: { destinations: { [destinationId]: true } } });
  expect(toggled.status(), await toggled.text()).toBe(200);
  expect(
    (await ingest.post("/api/capture", { data: purchase(`ord_v_${tag}_purchase`, `ord_v_${tag}`) })).status(),
  ).toBe(202);
  await expectStep(page, "Validate one event end to end", "done");
  await expect(page.getByText("All done: TrackLayer delivered and validated an event end to end.")).toBeVisible();
  expect(receiver.bodies.some((b) => b.includes(`ord_v_${tag}`))).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

  // Done: the checklist no longer shows; home is the overview alone.
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
  await expect(page.getByRole("heading", { name: "Get started" })).toHaveCount(0);
  await ingest.dispose();
  await context.close();
});

test("[viewer] Sources & keys shows each active key's snippets naming its prefix, never a whole key", async ({
  browser,
}) => {
  const page = await (await browser.newContext({ storageState: storageStateOf("viewer") })).newPage();
  await page.goto("/sources");
  const first = page.getByText(/^Send with .+… \(curl, Segment, RudderStack\)$/).first();
  await first.click();
  const snippets = page.getByRole("region", { name: /^Snippets for / }).first();
  await expect(snippets).toContainText("TRACKLAYER_WRITE_KEY: the write key starting");
  await expect(snippets).toContainText("Authorization: Bearer $TRACKLAYER_WRITE_KEY");
  await expect(snippets.getByRole("button", { name: /^Copy Segment SDK \(Node\) for / })).toBeVisible();
  await expect(snippets.getByRole("button", { name: /^Copy RudderStack SDK \(Node\) for / })).toBeVisible();
});
