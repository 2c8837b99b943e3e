// Value rules and the registry as code over HTTP: a bad rule is a 400 with its field path, the
// editor saves rules, the export is a sorted JSON Schema bundle, and plan flags breaking changes.
import { expect, request, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";

const unique = () => Math.random().toString(36).slice(2, 8);

test("value rules: a bad rule is a 400 with the field path; good rules are saved and exported", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  const bad = await analyst.post("/api/canonical-events", {
    data: { name: `ruled_${unique()}`, properties: [{ name: "code", type: "string", pattern: "(a+)+$" }] },
  });
  expect(bad.status()).toBe(400);
  const issues = (await bad.json()).error.issues as { path: string }[];
  expect(issues.map((i) => i.path)).toContain("properties.0.pattern");

  const name = `ruled_${unique()}`;
  const created = await analyst.post("/api/canonical-events", {
    data: {
      name,
      properties: [
        { name: "currency", type: "string", required: true, enum: ["EUR", "USD"] },
        { name: "value", type: "number", minimum: 0, maximum: 1000 },
      ],
    },
  });
  expect(created.status(), await created.text()).toBe(201);

  const viewer = await apiAs("viewer", baseURL);
  const exported = await viewer.get("/api/registry/export");
  expect(exported.status()).toBe(200);
  expect(exported.headers()["content-type"]).toContain("application/json");
  const bundle = await exported.json();
  expect(bundle.version).toBe(1);
  const titles = bundle.canonical_events.map((e: { title: string }) => e.title);
  expect(titles).toEqual([...titles].sort());
  const doc = bundle.canonical_events.find((e: { title: string }) => e.title === name);
  expect(doc).toEqual({
    $schema: "https://json-schema.org/draft/2020-12/schema",
    properties: {
      currency: { enum: ["EUR", "USD"], type: "string" },
      value: { maximum: 1000, minimum: 0, type: "number" },
    },
    required: ["currency"],
    title: name,
    type: "object",
  });
});

test("plan: no changes for the export itself; breaking changes flagged; role and auth checked", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  const bundle = await (await analyst.get("/api/registry/export")).json();
  const same = await analyst.post("/api/registry/plan", { data: bundle });
  expect(same.status(), await same.text()).toBe(200);
  expect((await same.json()).changes).toEqual([]);

  const purchase = bundle.canonical_events.find((e: { title: string }) => e.title === "purchase");
  purchase.properties.currency.enum = ["EUR"];
  purchase.properties.note = { type: "string" };
  const planned = await analyst.post("/api/registry/plan", { data: bundle });
  expect(planned.status()).toBe(200);
  const plan = await planned.json();
  expect(plan.breaking).toBe(true);
  const change = plan.changes.find((c: { key: string }) => c.key === "purchase");
  expect(change.action).toBe("changed");
  const fields = Object.fromEntries(
    change.fields.map((f: { field: string; breaking: boolean }) => [f.field, f.breaking]),
  );
  expect(fields).toEqual({ "properties.currency.enum": true, "properties.note": false });
  // Nothing was written.
  const after = await (await analyst.get("/api/registry/export")).json();
  expect(after.canonical_events.find((e: { title: string }) => e.title === "purchase").properties.note).toBeUndefined();

  const invalid = await analyst.post("/api/registry/plan", { data: { ...bundle, version: 2 } });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error.issues[0].path).toBe("version");

  const growth = await apiAs("growth", baseURL);
  expect((await growth.post("/api/registry/plan", { data: bundle })).status()).toBe(403);
  const anonymous = await request.newContext({ baseURL });
  expect((await anonymous.get("/api/registry/export")).status()).toBe(401);
  expect((await anonymous.post("/api/registry/plan", { data: bundle })).status()).toBe(401);
});

test("the canonical event editor saves enum, pattern, min/max and length rules", async ({ browser, baseURL }) => {
  const page = await pageAs(browser, "analyst");
  const name = `ui_rules_${unique()}`;
  await page.goto("/canonical-events");
  await page.getByText("New canonical event").click();
  const form = page.locator("details.panel").filter({ hasText: "New canonical event" });
  await form.getByLabel("Name (lower_snake_case)").fill(name);
  await form.getByLabel("Property 1 name").fill("plan");
  await form.getByLabel("Property 1 allowed values").fill("free, pro");
  await form.getByLabel("Property 1 pattern").fill("^[a-z]+$");
  await form.getByLabel("Property 1 max length").fill("10");
  await form.getByRole("button", { name: "Add property" }).click();
  await form.getByLabel("Property 2 name").fill("seats");
  await form.getByLabel("Property 2 type").selectOption("number");
  await form.getByLabel("Property 2 minimum").fill("1");
  await form.getByLabel("Property 2 maximum").fill("oops");
  await form.getByRole("button", { name: "Create canonical event" }).click();
  await expect(
    form
      .getByRole("alert")
      .filter({ hasText: /number/i })
      .first(),
  ).toBeVisible();
  await form.getByLabel("Property 2 maximum").fill("500");
  await form.getByRole("button", { name: "Create canonical event" }).click();
  await expect(form.getByText("Created.")).toBeVisible();

  const analyst = await apiAs("analyst", baseURL);
  const rows = (await (await analyst.get("/api/canonical-events")).json()).rows as {
    name: string;
    properties: unknown;
  }[];
  expect(rows.find((r) => r.name === name)?.properties).toEqual([
    {
      name: "plan",
      type: "string",
      required: false,
      description: "",
      enum: ["free", "pro"],
      pattern: "^[a-z]+$",
      max_length: 10,
    },
    { name: "seats", type: "number", required: false, description: "", minimum: 1, maximum: 500 },
  ]);
  await page.reload();
  await expect(page.getByRole("table", { name: `Properties of ${name}` })).toContainText('one of "free", "pro"');
});

test("a value-rule violation at ingest names the rule and value, in the answer and the violation sample", async ({
  baseURL,
  browser,
}) => {
  const admin = await apiAs("admin", baseURL);
  const events = (await (await admin.get("/api/canonical-events")).json()).rows as {
    id: string;
    name: string;
    properties: { name: string }[];
  }[];
  const purchase = events.find((e) => e.name === "purchase")!;
  const probe = { name: "e2e_rule_probe", type: "string", max_length: 3 };
  const patched = await admin.patch(`/api/canonical-events/${purchase.id}`, {
    data: { properties: [...purchase.properties.filter((p) => p.name !== probe.name), probe] },
  });
  expect(patched.status(), await patched.text()).toBe(200);

  const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
  const heap = sources.find((s) => s.key === "heap")!;
  const created = await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `e2e rules ${unique()}` } });
  expect(created.status(), await created.text()).toBe(201);
  const ingest = await request.newContext({
    baseURL,
    extraHTTPHeaders: { authorization: `Bearer ${(await created.json()).key}` },
  });
  const eventId = `ord_rule_${unique()}`;
  const response = await ingest.post("/api/capture", {
    data: {
      event: "Order Completed",
      event_id: eventId,
      user_id: "cust_rules",
      source: "heap",
      properties: { order_id: eventId, value: 5, currency: "EUR", e2e_rule_probe: "too long" },
    },
  });
  expect(response.status(), await response.text()).toBe(422);
  const issue = (await response.json()).error.issues.find(
    (i: { path: string }) => i.path === "properties.e2e_rule_probe",
  );
  expect(issue).toMatchObject({ code: "max_length", rule: { max_length: 3 }, value: "too long" });

  const page = await pageAs(browser, "viewer");
  const row = page.getByRole("table", { name: "Violations" }).getByRole("row").filter({ hasText: "Order Completed" });
  // The list reads the rollups (the worker's, every few seconds); the sample is the newest rejected event.
  await expect(async () => {
    await page.goto("/violations");
    await expect(row).toContainText('"too long" is longer than 3 characters (max_length)', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
  await expect(row).toContainText('{"max_length":3}');
});

test("a body nested thousands of levels deep is a 400, not a stack overflow", async ({ baseURL }) => {
  const analyst = await apiAs("analyst", baseURL);
  const deep = `${'{"type":"array","items":'.repeat(8_000)}{"type":"string"}${"}".repeat(8_000)}`;
  const headers = { "content-type": "application/json" };
  for (const [url, data] of [
    ["/api/canonical-events", `{"name":"deep_${unique()}","properties":[{"name":"a",${deep.slice(1)}]}`],
    [
      "/api/registry/plan",
      `{"version":1,"canonical_events":[{"$schema":"https://json-schema.org/draft/2020-12/schema","title":"deep","type":"object","properties":{"a":${deep}}}]}`,
    ],
  ] as const) {
    const response = await analyst.post(url, { data, headers });
    expect(response.status(), `${url}: ${await response.text()}`).toBe(400);
    expect((await response.json()).error.issues[0].code).toBe("too_deep");
  }
});
