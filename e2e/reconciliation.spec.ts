// Reconciliation in the browser: events sent through the API show up on /reconciliation (read
// from the rollups the in-process worker aggregates), a number links to the events explorer
// filtered to the events behind it, and the CSV carries the same numbers.
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";

const run = Date.now().toString(36);
const canonical = `recon_${run}`;
const label = `Recon Signup ${run}`;
let admin: APIRequestContext;
let ingest: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  admin = await apiAs("admin", baseURL);
  // A canonical event of this run and a draft mapping to it: its events are held (not approved yet).
  const created = await admin.post("/api/canonical-events", { data: { name: canonical, properties: [] } });
  expect(created.status(), await created.text()).toBe(201);
  const mapping = await admin.post("/api/mappings", {
    data: { source: "heap", source_event: label, canonical_event: canonical },
  });
  expect(mapping.status(), await mapping.text()).toBe(201);
  const heap = ((await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[]).find(
    (s) => s.key === "heap",
  )!;
  const key = (await (await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `recon ${run}` } })).json())
    .key as string;
  ingest = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${key}` } });
  for (let i = 0; i < 3; i++) {
    const sent = await ingest.post("/api/capture", {
      data: { event: label, event_id: `${run}_${i}`, user_id: `recon_${run}` },
    });
    expect(sent.status(), await sent.text()).toBe(202);
  }
  // An exact repeat: answered 200 duplicate, counted as a duplicate.
  const repeat = await ingest.post("/api/capture", {
    data: { event: label, event_id: `${run}_0`, user_id: `recon_${run}` },
  });
  expect(repeat.status()).toBe(200);
});

test.afterAll(async () => {
  await ingest?.dispose();
  await admin?.dispose();
});

test("[viewer] sees the events sent on the reconciliation page and follows a number to the events behind it", async ({
  browser,
}) => {
  const page = await pageAs(browser, "viewer");
  await page.goto("/");
  await page.getByRole("link", { name: "Reconciliation" }).click();
  await expect(page.getByRole("heading", { name: "Reconciliation", level: 1 })).toBeVisible();
  await expect(page.getByRole("heading", { name: "What this cannot see" })).toBeVisible();
  await page.getByRole("combobox", { name: "Canonical event" }).selectOption(canonical);
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`canonical_event=${canonical}`));
  // "All" destinations submits an empty field: absent, not an invalid filter that drops the others.
  await expect(page.getByText("were invalid and were ignored")).toHaveCount(0);
  const totals = page.getByRole("table", { name: "Events over the range, per canonical event" });
  const held = totals.getByRole("link", { name: new RegExp(`^3 held .*${canonical}`) });
  // The aggregator counts within seconds: reload until the rollups hold the events.
  await expect(async () => {
    await page.reload();
    await expect(held).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  const row = totals.getByRole("row", { name: new RegExp(canonical) });
  await expect(row.getByRole("link", { name: new RegExp(`^4 received .*${canonical}`) })).toBeVisible();
  await expect(row.getByRole("cell").nth(5)).toHaveText("1"); // duplicates: not stored, so no link

  // The per-day breakdown is shown on request, with the filters kept.
  const perDay = page.getByRole("table", { name: "Events per day and canonical event" });
  await expect(perDay).toHaveCount(0);
  await page.getByRole("link", { name: /^Show each of the \d+ days$/ }).click();
  await expect(page).toHaveURL(new RegExp(`canonical_event=${canonical}.*by=day`));
  await expect(perDay.getByRole("row", { name: new RegExp(canonical) }).first()).toBeVisible();
  await page.getByRole("link", { name: "Hide the per-day breakdown" }).click();
  await expect(perDay).toHaveCount(0);

  await held.click();
  await expect(page).toHaveURL(/\/events\?.*status=held/);
  await expect(page.getByTestId("time-range")).toBeVisible();
  const events = page.getByRole("table").getByRole("row", { name: new RegExp(label) });
  await expect(events).toHaveCount(3);
});

test("[viewer] downloads the same numbers as CSV; without a session the API answers 401", async ({ baseURL }) => {
  const viewer = await apiAs("viewer", baseURL);
  const csv = await viewer.get(`/api/reconciliation?canonical_event=${canonical}&format=csv`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  const header = lines[0]!.split(",");
  const total = lines.find((l) => l.startsWith(`total,${canonical},`))!.split(",");
  expect(total[header.indexOf("received")]).toBe("4");
  expect(total[header.indexOf("held")]).toBe("3");
  expect(total[header.indexOf("duplicates")]).toBe("1");
  const bad = await viewer.get("/api/reconciliation?from=2026-02-02&to=2026-02-01");
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.issues[0].path).toBe("from");
  await viewer.dispose();
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.get("/api/reconciliation")).status()).toBe(401);
  await anonymous.dispose();
});
