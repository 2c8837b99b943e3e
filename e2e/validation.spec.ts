// Guided validation: an engineer validates a mapping still in review with a test write key and
// the exact curl the wizard shows; the four green checks are recorded on the mapping, growth sees
// it in the registry, and with the workspace policy on, approval waits for that green run.
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { addWebhookDestination, type Receiver, startReceiver } from "./support/receiver";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);
const sourceEvent = `Lead Qualified ${tag}`;
let receiver: Receiver;

let admin: APIRequestContext;
let growth: APIRequestContext;
let destinationId: string;
let mappingId: string;

test.beforeAll(async ({ baseURL }) => {
  receiver = await startReceiver();
  admin = await apiAs("admin", baseURL);
  growth = await apiAs("growth", baseURL);
  const analyst = await apiAs("analyst", baseURL);
  destinationId = await addWebhookDestination(admin, `Validation receiver ${tag}`, receiver.url, true);
  const created = await analyst.post("/api/mappings", {
    data: { source: "heap", source_event: sourceEvent, canonical_event: "qualify_lead" },
  });
  expect(created.status(), await created.text()).toBe(201);
  mappingId = (await created.json()).id;
  expect((await analyst.post(`/api/mappings/${mappingId}/submit`)).status()).toBe(200);
  expect(
    (await growth.patch(`/api/mappings/${mappingId}`, { data: { destinations: { [destinationId]: true } } })).status(),
  ).toBe(200);
});

test.afterAll(async () => {
  await growth.patch("/api/workspace", { data: { require_validation: false } });
  await admin.patch(`/api/destinations/${destinationId}`, { data: { enabled: false } });
  receiver.close();
});

test("[engineer] validates a mapping in review end to end; growth sees it and may then approve under the policy", async ({
  browser,
  baseURL,
}) => {
  expect((await growth.patch("/api/workspace", { data: { require_validation: true } })).status()).toBe(200);
  const blocked = await growth.post(`/api/mappings/${mappingId}/approve`);
  expect(blocked.status()).toBe(409);
  expect((await blocked.json()).error.code).toBe("validation_required");

  const page = await pageAs(browser, "engineer");
  await page.goto(`/mappings/${mappingId}`);
  await page.getByRole("link", { name: "Validate one event end to end →" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Validate one event before expanding");
  await expect(page.getByRole("region", { name: "Step 1: send one event" })).toContainText(
    `Validation receiver ${tag} (test mode)`,
  );
  await page.getByRole("button", { name: "Create a test write key" }).click();
  await expect(page.getByText("Test write key created")).toBeVisible();
  await expect(page.getByRole("region", { name: "Step 2: watch it arrive" })).toContainText("Waiting for event");

  // Run the curl exactly as shown.
  const curl = (await page.getByLabel("curl").textContent())!;
  const key = /Bearer (\S+)"/.exec(curl)![1]!;
  const body = JSON.parse(/-d '(.*)'$/s.exec(curl)![1]!) as { event_id: string; properties: Record<string, unknown> };
  expect(body.event_id).toMatch(/^qualify_lead_val_/);
  const sent = await (await request.newContext({ baseURL })).post("/api/capture", {
    headers: { authorization: `Bearer ${key}` },
    data: body,
  });
  expect(sent.status(), await sent.text()).toBe(202);

  const result = page.getByRole("region", { name: "Step 3: result" });
  await expect(result).toContainText("All four checks are green", { timeout: 20_000 });
  await expect(result).toContainText("Recorded on the mapping: validation passed");
  await expect(
    page.getByRole("region", { name: "Step 2: watch it arrive" }).locator('[data-check="accepted_downstream"]'),
  ).toContainText("validated with a test write key");
  expect(receiver.bodies.some((h) => h.includes(body.event_id))).toBe(true);

  const growthPage = await pageAs(browser, "growth");
  await growthPage.goto(`/mappings?q=${encodeURIComponent(sourceEvent)}`);
  const row = growthPage.getByRole("row", { name: new RegExp(sourceEvent) });
  await expect(row.locator(".badge.pass")).toHaveText("pass");
  await growthPage.goto(`/mappings/${mappingId}`);
  await expect(growthPage.getByText(`with event ${body.event_id}`)).toBeVisible();
  expect((await growth.post(`/api/mappings/${mappingId}/approve`)).status()).toBe(200);
});

test("[growth] sets the validation policy in settings; a viewer cannot", async ({ browser }) => {
  const page = await pageAs(browser, "growth");
  await page.goto("/settings");
  const policy = page.getByRole("form", { name: "Validation policy" });
  await policy.getByRole("checkbox").check();
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("Saved.")).toBeVisible();
  expect((await (await growth.get("/api/workspace")).json()).require_validation).toBe(true);
  await policy.getByRole("checkbox").uncheck();
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("Saved.")).toBeVisible();

  const viewer = await pageAs(browser, "viewer");
  await viewer.goto("/settings");
  await expect(viewer.getByRole("form", { name: "Validation policy" }).getByRole("checkbox")).toBeDisabled();
});
