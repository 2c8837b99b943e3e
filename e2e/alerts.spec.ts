// Alerts on the running app: the worker's evaluator (every minute, over the rollups) notices a
// suspected rename — a mapped Heap label stops while a new unmapped label from the same source
// takes over — and its "Promote" opens the mapping form prefilled for the new label; growth edits
// a rule's threshold from the alerts page.
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";

const run = Date.now().toString(36);
const renamed = `Checkout Started v2 ${run}`;
let ingest: APIRequestContext;
let writeKey: string;

const checkout = (event: string, i: number) => ({
  type: "capture",
  event,
  event_id: `${run}_${event.length}_${i}`,
  user_id: `cust_${run}`,
  properties: { checkout_id: `co_${run}_${i}`, value: 10, currency: "EUR" },
});

test.beforeAll(async ({ baseURL }) => {
  ingest = await request.newContext({ baseURL });
  const admin = await apiAs("admin", baseURL);
  const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
  const heap = sources.find((s) => s.key === "heap")!;
  const created = await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `e2e alerts ${run}` } });
  expect(created.status(), await created.text()).toBe(201);
  writeKey = ((await created.json()) as { key: string }).key;
  await admin.dispose();
});

test.afterAll(async () => {
  await ingest?.dispose();
});

test("[analyst] sees a suspected rename fire and promotes the new label from it", async ({ browser }) => {
  test.setTimeout(240_000);
  const send = async (event: string) => {
    const sent = await ingest.post("/api/batch", {
      headers: { authorization: `Bearer ${writeKey}` },
      data: { batch: Array.from({ length: 25 }, (_, i) => checkout(event, i)) },
    });
    expect(sent.status(), await sent.text()).toBe(200);
  };
  // The approved mapping's label arrives, then stops; the renamed label takes over.
  await send("Checkout Started");
  await send(renamed);

  const page = await pageAs(browser, "analyst");
  await page.goto("/alerts");
  const alert = page.getByRole("listitem", { name: `Suspected rename: Checkout Started → ${renamed} (heap)` });
  // The rollups count within seconds; the worker evaluates once a minute.
  await expect(async () => {
    await page.reload();
    await expect(alert).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 180_000, intervals: [5_000] });
  await expect(alert).toContainText(`while the unmapped ${renamed} rose to 25`);
  await expect(page.getByRole("table", { name: "Alert history" })).toContainText(renamed);

  // The overview shows it too.
  await page.goto("/");
  await expect(
    page.getByRole("region", { name: "Firing alerts" }).getByRole("listitem", { name: /Suspected rename/ }),
  ).toBeVisible();
  await page.goto("/alerts");
  await alert.getByRole("link", { name: `Promote ${renamed}` }).click();
  await expect(page).toHaveURL(/\/mappings\/new\?/);
  await expect(page.getByLabel("Source event (exact label, e.g. a Heap virtual event)")).toHaveValue(renamed);
});

test("[growth] edits a rule's threshold and it stays saved", async ({ browser }) => {
  const page = await pageAs(browser, "growth");
  await page.goto("/alerts");
  const rules = page.getByRole("table", { name: "Alert rules" });
  await rules.getByText("Edit Violation rate").click();
  const form = page.getByRole("form", { name: "Edit Violation rate" });
  await form.getByLabel("max %").fill("15");
  await form.getByLabel("Remind every (hours, 0 = never)").fill("6");
  await form.getByRole("button", { name: "Save rule" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved Violation rate.");
  await form.getByLabel("max %").fill("500");
  await form.getByRole("button", { name: "Save rule" }).click();
  await expect(form.getByRole("alert").first()).toBeVisible();
  await page.reload();
  await rules.getByText("Edit Violation rate").click();
  await expect(page.getByRole("form", { name: "Edit Violation rate" }).getByLabel("max %")).toHaveValue("15");
});

test("[viewer] reads rules and alerts without edit forms or channels", async ({ browser }) => {
  const page = await pageAs(browser, "viewer");
  await page.goto("/alerts");
  await expect(page.getByRole("heading", { name: "Alerts", level: 1 })).toBeVisible();
  await expect(page.getByRole("table", { name: "Alert rules" })).toContainText("Suspected rename");
  await expect(page.getByText("Edit Violation rate")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Channels" })).toHaveCount(0);
});
