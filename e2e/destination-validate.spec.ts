// An engineer validates a GA4 destination with the debug endpoint (a local GA4 mock), and a growth
// member names the Meta event of one mapping — the platform's rules apply, field errors are shown.
import { expect, request, test } from "@playwright/test";
import { startGa4Mock } from "../tests/platform-mocks/ga4";
import { createWriteKey } from "./support/ingest";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);

test("[engineer] validates a GA4 destination with GA4's debug endpoint: a sample, then a stored event", async ({
  browser,
  baseURL,
}) => {
  const ga4 = await startGa4Mock();
  try {
    const admin = await apiAs("admin", baseURL);
    const name = `GA4 ${tag}`;
    const created = await admin.post("/api/destinations", {
      data: {
        type: "ga4",
        name,
        config: { measurement_id: "G-E2E1", base_url: ga4.url },
        secrets: { api_secret: "e2e-ga4-secret" },
        enabled: false,
        test_mode: true,
      },
    });
    expect(created.status(), await created.text()).toBe(201);
    const { id } = await created.json();

    const engineer = await apiAs("engineer", baseURL);
    const sample = await engineer.post(`/api/destinations/${id}/validate`, { data: {} });
    expect(sample.status(), await sample.text()).toBe(200);
    expect(await sample.json()).toMatchObject({ verdict: "valid", validation_messages: [], event: { sample: true } });
    expect(ga4.received.map((r) => r.path)).toEqual(["/debug/mp/collect"]);
    expect(
      JSON.stringify(await (await engineer.post(`/api/destinations/${id}/validate`, { data: {} })).json()),
    ).not.toContain("e2e-ga4-secret");
    const bad = await engineer.post(`/api/destinations/${id}/validate`, { data: { event_id: 5 } });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).error.issues.map((i: { path: string }) => i.path)).toEqual(["event_id"]);
    expect(
      (await (await apiAs("growth", baseURL)).post(`/api/destinations/${id}/validate`, { data: {} })).status(),
    ).toBe(403);
    const meta = ((await (await admin.get("/api/destinations")).json()).rows as { id: string; type: string }[]).find(
      (d) => d.type === "meta",
    )!;
    expect((await engineer.post(`/api/destinations/${meta.id}/validate`, { data: {} })).status()).toBe(422);

    const key = await createWriteKey(baseURL, `validate ${tag}`);
    const eventId = `ga4_validate_${tag}`;
    const ingest = await request.newContext({ baseURL });
    const captured = await ingest.post("/api/capture", {
      headers: { authorization: `Bearer ${key}` },
      data: {
        event: "Order Completed",
        event_id: eventId,
        user_id: "cust_ga4",
        properties: { order_id: `o_${tag}`, value: 7, currency: "EUR" },
        source: "heap",
      },
    });
    expect(captured.status()).toBe(202);

    const page = await pageAs(browser, "engineer");
    await page.goto("/destinations");
    const section = page.getByRole("region", { name: `Destination ${name}` });
    await section.getByRole("button", { name: "Validate with GA4 debug" }).click();
    await expect(section.getByRole("status", { name: "GA4 validation result" })).toContainText(
      "the sample event is valid",
    );
    await section.getByRole("textbox", { name: "Event to validate" }).fill(eventId);
    await section.getByRole("button", { name: "Validate with GA4 debug" }).click();
    await expect(section.getByRole("status", { name: "GA4 validation result" })).toContainText(
      "VALUE_REQUIRED client_id",
    );
    await expect(
      page.getByRole("region", { name: /^Destination Meta/ }).getByRole("button", { name: "Validate with GA4 debug" }),
    ).toHaveCount(0);
    // The live Graph API version a Meta destination calls is shown on it (the default until config pins one).
    await expect(page.getByRole("region", { name: "Destination Meta Conversions API (demo)" })).toContainText(
      /API version\s*v24\.0 \(default; set the API version under Advanced settings to pin\)/,
    );
  } finally {
    await ga4.close();
  }
});

test("[growth] names the Meta event of one mapping; a misspelt standard name is refused", async ({
  browser,
  baseURL,
}) => {
  const growth = await apiAs("growth", baseURL);
  const mapping = (await (await growth.get("/api/mappings?q=Order%20Completed&source=heap")).json()).rows[0];
  const destinations = (await (await growth.get("/api/destinations")).json()).rows as {
    id: string;
    name: string;
    type: string;
  }[];
  const meta = destinations.find((d) => d.type === "meta")!;
  const google = destinations.find((d) => d.type === "google_ads")!;

  const page = await pageAs(browser, "growth");
  await page.goto(`/mappings/${mapping.id}`);
  const input = page.getByRole("textbox", { name: `Event name at ${meta.name}` });
  await input.fill("purchase");
  await input.press("Enter");
  await expect(page.getByText('Meta\'s standard event is spelt "Purchase"')).toBeVisible();
  await input.fill("Purchase");
  await input.press("Enter");
  await expect(page.getByText("Event name saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByRole("textbox", { name: `Event name at ${meta.name}` })).toHaveValue("Purchase");
  await expect(page.getByRole("textbox", { name: `Event name at ${google.name}` })).toHaveCount(0);

  const shown = (await (await growth.get(`/api/mappings/${mapping.id}`)).json()).destinations.find(
    (d: { id: string }) => d.id === meta.id,
  );
  expect(shown.event_name).toBe("Purchase");
  const refused = await growth.patch(`/api/mappings/${mapping.id}`, {
    data: { destinations: { [google.id]: { enabled: true, event_name: "Purchase" } } },
  });
  expect(refused.status()).toBe(422);
  expect((await refused.json()).error.issues.map((i: { path: string }) => i.path)).toEqual([
    `destinations.${google.id}.event_name`,
  ]);
  const analyst = await apiAs("analyst", baseURL);
  expect(
    (
      await analyst.patch(`/api/mappings/${mapping.id}`, {
        data: { destinations: { [meta.id]: { event_name: "Lead" } } },
      })
    ).status(),
  ).toBe(403);
  expect(
    (
      await growth.patch(`/api/mappings/${mapping.id}`, { data: { destinations: { [meta.id]: { event_name: null } } } })
    ).status(),
  ).toBe(200);
});
