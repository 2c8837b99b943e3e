// Retention settings: an admin changes how long data is kept (nothing may outlive the events: the
// field says why); a viewer sees the settings read-only and cannot change them through the API.
import { type APIRequestContext, expect, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";

let admin: APIRequestContext;
let before: Record<string, number>;

test.beforeAll(async ({ baseURL }) => {
  admin = await apiAs("admin", baseURL);
  before = (await (await admin.get("/api/workspace")).json()).retention;
});

test.afterAll(async () => {
  expect((await admin.patch("/api/workspace", { data: { retention: before } })).status()).toBe(200);
});

test("[admin] saves retention; a payload retention longer than the events is refused on its field", async ({
  browser,
}) => {
  const page = await pageAs(browser, "admin");
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Retention" });
  await form.getByLabel("Raw payloads").fill("60");
  await form.getByRole("button", { name: "Save retention" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();
  expect((await (await admin.get("/api/workspace")).json()).retention.payloads_days).toBe(60);

  await form.getByLabel("Events").fill("1");
  await form.getByRole("button", { name: "Save retention" }).click();
  await expect(form.getByText("may not exceed the events' retention (1 months = 28 days)").first()).toBeVisible();
  expect((await (await admin.get("/api/workspace")).json()).retention.events_months).toBe(before.events_months);
});

test("[viewer] sees retention read-only and may not change it", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, "viewer");
  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Retention" });
  await expect(form.getByLabel("Events")).toBeDisabled();
  await expect(form.getByLabel("Events")).toHaveValue(String(before.events_months));
  await expect(form.getByText("Only admins change retention.")).toBeVisible();
  const viewer = await apiAs("viewer", baseURL);
  const refused = await viewer.patch("/api/workspace", { data: { retention: { payloads_days: 10 } } });
  expect(refused.status()).toBe(403);
});
