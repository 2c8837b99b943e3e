// Review with evidence and the review queue, each as their own role: the promote form shows what a source
// event's recent events carry, growth sees the dry run and must confirm approving a revision that rejects
// most of them, and the navigation counts what awaits their review.
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { createWriteKey } from "./support/ingest";
import { apiAs, pageAs } from "./support/session";

const run = Date.now().toString(36);
const label = `Pricing Page Viewed Twice ${run}`;
let ingest: APIRequestContext;
let writeKey: string;

test.beforeAll(async ({ baseURL }) => {
  ingest = await request.newContext({ baseURL });
  writeKey = await createWriteKey(baseURL, `e2e review ${run}`);
  // Five pricing-page events: every one carries lead_id and plan, none pipeline_stage.
  for (let i = 0; i < 5; i++) {
    const sent = await ingest.post("/api/capture", {
      headers: { authorization: `Bearer ${writeKey}` },
      data: {
        source: "heap",
        event: label,
        event_id: `pricing_${run}_${i}`,
        user_id: `lead_${run}_${i}`,
        properties: { lead_id: `L-${run}-${i}`, plan: "pro" },
      },
    });
    expect(sent.status(), await sent.text()).toBe(202);
  }
});

test.afterAll(async () => {
  await ingest?.dispose();
});

test.describe
  .serial("review with evidence", () => {
    test("[analyst] promotes an event: the form shows what its events carry and pre-ticks only what they all carry", async ({
      browser,
    }) => {
      const page = await pageAs(browser, "analyst");
      await page.goto(`/mappings/new?source=heap&source_event=${encodeURIComponent(label)}`);
      const evidence = page.getByRole("region", { name: "Evidence for this draft" });
      await expect(evidence).toContainText("5 most recent of 5 events in the last 7 days");
      const observed = evidence.getByRole("table", { name: "Observed properties" });
      await expect(observed.getByRole("row").filter({ hasText: "lead_id" })).toContainText("100 %");
      await expect(page.getByRole("link", { name: /Needs my review/ })).toHaveCount(0);

      await page.getByLabel("Canonical event").selectOption("qualify_lead");
      await expect(page.getByRole("checkbox", { name: /lead_id/ })).toBeChecked();
      await expect(page.getByRole("checkbox", { name: /pipeline_stage/ })).not.toBeChecked();
      await expect(evidence.getByRole("region", { name: "Dry run" })).toContainText(
        "would accept 100 % and reject 0 %",
      );

      // As in the walk: the analyst requires pipeline_stage anyway, and the dry run says what that does.
      await page.getByRole("checkbox", { name: /pipeline_stage/ }).check();
      await expect(evidence.getByRole("region", { name: "Dry run" })).toContainText("reject 100 %");
      await expect(evidence.getByRole("list", { name: "Rejection causes" })).toContainText(
        "missing pipeline_stage: 100 %",
      );
      await page.getByRole("button", { name: "Create draft" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(label);
      await page.getByRole("button", { name: "Submit for review" }).click();
      await expect(page.getByRole("status")).toHaveText("Submitted for review.");
    });

    test("[growth] finds it in the review queue, sees the evidence and must confirm naming the cause", async ({
      browser,
    }) => {
      const page = await pageAs(browser, "growth");
      await page.goto("/mappings");
      const queue = page.getByRole("link", { name: /Needs my review: \d+ awaiting your review/ });
      const before = Number(await page.getByTestId("review-count").textContent());
      expect(before).toBeGreaterThanOrEqual(1);
      await queue.click();
      await expect(page.getByRole("heading", { level: 1, name: "Needs my review" })).toBeVisible();
      await page.getByRole("link", { name: label }).click();

      const evidence = page.getByRole("region", { name: "Review evidence" });
      await expect(evidence.getByRole("region", { name: "Dry run" })).toContainText(
        "Revision #1 would accept 0 % and reject 100 % of the 5 sampled events",
      );
      await expect(evidence.getByRole("list", { name: "Rejection causes" })).toContainText(
        "missing pipeline_stage: 100 %",
      );
      await expect(evidence.getByRole("row").filter({ hasText: "lead_id" })).toContainText("100 %");

      await page.getByRole("button", { name: "Approve" }).click();
      const dialog = page.getByRole("alertdialog", { name: "Approve a revision that rejects recent traffic?" });
      await expect(dialog).toContainText("would reject 100 %");
      await expect(dialog).toContainText("missing pipeline_stage 100 %");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await expect(page.locator(".spread .badge.in_review")).toBeVisible();

      await page.getByRole("button", { name: "Approve" }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Approve anyway" }).click();
      await expect(page.getByRole("status")).toHaveText("Approved: this revision is now live.");
      await expect(page.getByTestId("review-count")).toHaveText(String(before - 1));
    });

    test("[viewer] reads in the audit log that the approval was confirmed over the threshold", async ({ browser }) => {
      const page = await pageAs(browser, "viewer");
      await page.goto("/audit");
      const row = page
        .getByRole("table", { name: "Audit log" })
        .getByRole("row")
        .filter({ hasText: "mapping.approve" })
        .filter({ hasText: label });
      await expect(row).toContainText("confirmed although it would reject 100 %");
    });
  });

test("[analyst] creates a missing canonical event inline from the promote form", async ({ browser }) => {
  const page = await pageAs(browser, "analyst");
  const name = `pricing_interest_${run}`;
  await page.goto(`/mappings/new?source=heap&source_event=${encodeURIComponent(label)}-inline`);
  await page.getByText("The right canonical event is missing? Create it").click();
  const inline = page.getByRole("group", { name: "Define the missing event" });
  await inline.getByLabel("Name").fill(name);
  await inline.getByRole("button", { name: "Create canonical event" }).click();
  await expect(page.getByLabel("Canonical event", { exact: true })).toHaveValue(name);
});

test("[growth] sets the rejection threshold in settings; out-of-range values are refused with the field named", async ({
  browser,
  baseURL,
}) => {
  const page = await pageAs(browser, "growth");
  await page.goto("/settings");
  const policy = page.getByRole("form", { name: "Validation policy" });
  const threshold = policy.getByLabel(/reject more than this %/);
  await expect(threshold).toHaveValue("20");
  await threshold.fill("35");
  await policy.getByRole("button", { name: "Save policy" }).click();
  await expect(policy.getByText("Saved.")).toBeVisible();
  await page.reload();
  await expect(policy.getByLabel(/reject more than this %/)).toHaveValue("35");

  const growth = await apiAs("growth", baseURL);
  const refused = await growth.patch("/api/workspace", { data: { approval_rejection_threshold_pct: 101 } });
  expect(refused.status()).toBe(400);
  expect((await refused.json()).error.issues[0].path).toBe("approval_rejection_threshold_pct");
  const restored = await growth.patch("/api/workspace", { data: { approval_rejection_threshold_pct: 20 } });
  expect((await restored.json()).approval_rejection_threshold_pct).toBe(20);
  await growth.dispose();
});

test("[growth] over HTTP: approving over the threshold is 409 naming the cause, then 200 with confirm_rejections", async ({
  baseURL,
}) => {
  const apiLabel = `${label} api`;
  const sent = await ingest.post("/api/capture", {
    headers: { authorization: `Bearer ${writeKey}` },
    data: {
      source: "heap",
      event: apiLabel,
      event_id: `pricing_${run}_api`,
      user_id: "u",
      properties: { lead_id: "L" },
    },
  });
  expect(sent.status(), await sent.text()).toBe(202);
  const [analyst, growth, engineer] = await Promise.all([
    apiAs("analyst", baseURL),
    apiAs("growth", baseURL),
    apiAs("engineer", baseURL),
  ]);
  const preview = await engineer.get(
    `/api/source-events/evidence?source=heap&source_event=${encodeURIComponent(apiLabel)}&canonical_event=qualify_lead`,
  );
  expect(preview.status(), await preview.text()).toBe(200);
  expect((await preview.json()).dry_run.causes[0]).toMatchObject({ label: "missing pipeline_stage", pct: 100 });
  expect((await engineer.get("/api/source-events/evidence?source=heap")).status()).toBe(400);

  const created = await analyst.post("/api/mappings", {
    data: { source: "heap", source_event: apiLabel, canonical_event: "qualify_lead" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const evidence = await (await engineer.get(`/api/mappings/${id}/evidence`)).json();
  expect(evidence.dry_run).toMatchObject({ revision: 1, events: 1, reject_pct: 100 });
  expect((await analyst.post(`/api/mappings/${id}/submit`)).status()).toBe(200);

  const refused = await growth.post(`/api/mappings/${id}/approve`, { data: {} });
  expect(refused.status()).toBe(409);
  const error = (await refused.json()).error;
  expect(error.code).toBe("confirmation_required");
  expect(error.message).toContain("missing pipeline_stage 100 %");
  expect(error.issues[0].path).toBe("properties.pipeline_stage");
  const approved = await growth.post(`/api/mappings/${id}/approve`, { data: { confirm_rejections: true } });
  expect(approved.status(), await approved.text()).toBe(200);
  expect((await approved.json()).status).toBe("approved");
  await Promise.all([analyst.dispose(), growth.dispose(), engineer.dispose()]);
});
