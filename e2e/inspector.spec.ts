// The live inspector: an engineer watches a capture sent by the test appear without reloading,
// opens its trace and sees four green checks; broken events show the right red check and why.
import { type APIRequestContext, expect, type Page, request, test } from "@playwright/test";
import { addWebhookDestination, type Receiver, startReceiver } from "./support/receiver";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);
let receiver: Receiver;

let admin: APIRequestContext;
let growth: APIRequestContext;
let ingest: APIRequestContext;
let key: string;
let destinationId: string;
let mappingId: string;

test.beforeAll(async ({ baseURL }) => {
  receiver = await startReceiver();
  admin = await apiAs("admin", baseURL);
  growth = await apiAs("growth", baseURL);
  destinationId = await addWebhookDestination(admin, `Inspector receiver ${tag}`, receiver.url, false);
  mappingId = (await (await growth.get("/api/mappings?q=Order%20Completed&source=heap")).json()).rows[0].id;
  expect(
    (await growth.patch(`/api/mappings/${mappingId}`, { data: { destinations: { [destinationId]: true } } })).status(),
  ).toBe(200);
  const heap = ((await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[]).find(
    (s) => s.key === "heap",
  )!;
  key = (await (await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `inspector ${tag}` } })).json()).key;
  ingest = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
});

test.afterAll(async () => {
  await growth.patch(`/api/mappings/${mappingId}`, { data: { destinations: { [destinationId]: false } } });
  await admin.patch(`/api/destinations/${destinationId}`, { data: { enabled: false } });
  receiver.close();
});

const purchase = (eventId: string, orderId: string, value = 42) => ({
  event: "Order Completed",
  event_id: eventId,
  user_id: `cust_${tag}`,
  source: "heap",
  properties: { order_id: orderId, value, currency: "EUR" },
});

async function openInspector(page: Page, search: string) {
  await page.goto(`/inspector?q=${encodeURIComponent(search)}`);
  await expect(page.getByRole("status")).toContainText("Live");
}

const check = (page: Page, key: string) => page.locator(`[data-check="${key}"]`);

test("[engineer] watches a capture appear live and sees four green checks", async ({ browser }) => {
  const page = await pageAs(browser, "engineer");
  const orderId = `ord_${tag}`;
  await openInspector(page, `cust_${tag}`);
  const table = page.getByRole("table", { name: "Live events" });
  await expect(table).toContainText("Waiting for events");

  const sent = await ingest.post("/api/capture", { data: purchase(`purchase_${orderId}`, orderId) });
  expect(sent.status()).toBe(202);
  const row = table.locator("tr.live-row", { hasText: `purchase_${orderId}` });
  await expect(row).toBeVisible({ timeout: 5_000 });
  await row.click();

  for (const key of ["same_user", "same_business_id", "stable_event_id", "accepted_downstream"]) {
    await expect(check(page, key)).toHaveAttribute("data-status", "pass", { timeout: 20_000 });
  }
  await expect(check(page, "accepted_downstream")).toContainText(`Inspector receiver ${tag} accepted`);
  const lane = page.getByRole("region", { name: `Lane Inspector receiver ${tag}` });
  await expect(lane).toContainText("succeeded");
  await expect(page.getByRole("region", { name: `Lane Inspector receiver ${tag}` }).locator("summary")).toContainText(
    "HTTP 200",
  );
  expect(receiver.bodies.some((b) => b.includes(`purchase_${orderId}`))).toBe(true);
});

test("[engineer] a random event_id and a reused event_id show a red stable event_id check with the reason", async ({
  browser,
  baseURL,
}) => {
  const page = await pageAs(browser, "engineer");
  const orderId = `ord2_${tag}`;
  await openInspector(page, orderId);
  const table = page.getByRole("table", { name: "Live events" });

  const randomId = "3f6c1b2a-9d8e-4c7b-a6f5-e4d3c2b1a098";
  expect((await ingest.post("/api/capture", { data: purchase(`${randomId}-${tag}`, orderId) })).status()).toBe(202);
  const row = table.locator("tr.live-row", { hasText: `${randomId}-${tag}` });
  await expect(row).toBeVisible({ timeout: 5_000 });
  await row.click();
  await expect(check(page, "stable_event_id")).toHaveAttribute("data-status", "fail");
  await expect(check(page, "stable_event_id")).toContainText(`does not contain or derive from order_id ${orderId}`);
  await expect(check(page, "stable_event_id")).toContainText("Fix: Derive event_id from the business id");
  await row.click();

  const reusedId = `purchase_${orderId}`;
  expect((await ingest.post("/api/capture", { data: purchase(reusedId, orderId) })).status()).toBe(202);
  expect((await ingest.post("/api/capture", { data: purchase(reusedId, orderId, 99) })).status()).toBe(409);
  const conflict = table.locator("tr.live-row", { hasText: "duplicate conflict" });
  await expect(conflict).toBeVisible({ timeout: 5_000 });
  await conflict.click();
  await expect(check(page, "stable_event_id")).toHaveAttribute("data-status", "fail");
  await expect(check(page, "stable_event_id")).toContainText(
    `event_id ${reusedId} was already used by another event with a different payload`,
  );

  const trace = await (await apiAs("viewer", baseURL)).get(`/api/events/${reusedId}/trace`);
  expect(trace.status()).toBe(200);
  const body = await trace.json();
  const stable = body.checks.find((c: { key: string }) => c.key === "stable_event_id");
  expect(stable.status).toBe("fail");
  expect(stable.reasons.join(" ")).toContain(`order_id ${orderId} also arrived under 1 other event_id(s)`);
  expect(stable.reasons.join(" ")).toContain("reused with a different payload 1 time(s)");
});

test("[engineer] a destination switched off: the check names it, the comparisons are not applicable, the mapping says so", async ({
  browser,
}) => {
  expect((await admin.patch(`/api/destinations/${destinationId}`, { data: { enabled: false } })).status()).toBe(200);
  try {
    const page = await pageAs(browser, "engineer");
    const orderId = `off_${tag}`;
    await openInspector(page, `purchase_${orderId}`);
    expect((await ingest.post("/api/capture", { data: purchase(`purchase_${orderId}`, orderId) })).status()).toBe(202);
    const row = page
      .getByRole("table", { name: "Live events" })
      .locator("tr.live-row", { hasText: `purchase_${orderId}` });
    await expect(row).toBeVisible({ timeout: 5_000 });
    await row.click();
    const downstream = check(page, "accepted_downstream");
    await expect(downstream).toHaveAttribute("data-status", "fail", { timeout: 20_000 });
    await expect(downstream).toContainText(`Inspector receiver ${tag}`);
    await expect(downstream).toContainText("switched off, so nothing was queued");
    await expect(check(page, "same_business_id")).toHaveAttribute("data-status", "not_applicable");
    await expect(check(page, "same_business_id")).not.toContainText("reached every destination");
    await page.goto(`/mappings/${mappingId}`);
    await expect(page.getByText(`Inspector receiver ${tag} is switched off: nothing is sent there`)).toBeVisible();
    await page.context().close();
  } finally {
    await admin.patch(`/api/destinations/${destinationId}`, { data: { enabled: true } });
  }
});

test("the trace API needs a session or token and stays inside the workspace", async ({ baseURL }) => {
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.get(`/api/events/purchase_ord_${tag}/trace`)).status()).toBe(401);
  expect((await anonymous.get(`/api/inspector/stream`)).status()).toBe(401);
  const viewer = await apiAs("viewer", baseURL);
  expect((await viewer.get(`/api/events/does-not-exist-${tag}/trace`)).status()).toBe(404);
  expect((await viewer.get(`/api/inspector/stream?status=nope`)).status()).toBe(400);
});
