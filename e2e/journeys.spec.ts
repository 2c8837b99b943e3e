// What people do in the dashboard, each as their own role.
import { expect, test } from "@playwright/test";
import { pageAs } from "./support/session";

const label = `Clicked Start Trial CTA Twice ${Date.now().toString(36)}`;

test.describe
  .serial("promoting a Heap virtual event", () => {
    test("[analyst] proposes a mapping for a Heap virtual event and submits it for review", async ({ browser }) => {
      const page = await pageAs(browser, "analyst");
      await page.goto("/mappings");
      await expect(page.getByTestId("current-role")).toHaveText("analyst");
      await page.getByRole("link", { name: "Propose mapping" }).click();
      await expect(page.getByRole("heading", { name: "Propose a mapping" })).toBeVisible();
      await page.getByLabel("Source", { exact: true }).selectOption("heap");
      await page.getByLabel(/Source event/).fill(label);
      await page.getByLabel("Canonical event").selectOption("start_trial");
      await expect(page.getByRole("checkbox", { name: /plan/ })).toBeChecked();
      await page.getByLabel(/Property renames/).fill("trialPlan -> plan");
      await page.getByLabel("Note for reviewers").fill("Strong trial signal from Heap");
      await page.getByRole("button", { name: "Create draft" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toContainText(label);
      await expect(page.getByText("draft").first()).toBeVisible();
      await page.getByRole("button", { name: "Submit for review" }).click();
      await expect(page.getByRole("status")).toHaveText("Submitted for review.");
      await expect(page.locator(".badge.in_review").first()).toBeVisible();
      await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
    });

    test("[viewer] sees the mapping in review but no approve, reject or edit controls", async ({ browser }) => {
      const page = await pageAs(browser, "viewer");
      await page.goto("/mappings?status=in_review");
      await page.getByRole("link", { name: label }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(label);
      await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
      await expect(page.getByRole("button", { name: "Reject" })).toHaveCount(0);
      await expect(page.getByText("Edit the draft")).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Propose mapping" })).toHaveCount(0);
    });

    test("[growth] approves the analyst's mapping", async ({ browser }) => {
      const page = await pageAs(browser, "growth");
      await page.goto(`/mappings?q=${encodeURIComponent(label)}`);
      await expect(page.getByRole("table", { name: "Mappings" }).getByRole("row")).toHaveCount(2);
      await page.getByRole("link", { name: label }).click();
      await page.getByLabel("Review comment").fill("Ship it to Meta");
      await page.getByRole("button", { name: "Approve" }).click();
      await expect(page.getByRole("status")).toHaveText("Approved: this revision is now live.");
      await expect(page.locator(".spread .badge.approved")).toBeVisible();
      await expect(page.getByRole("region", { name: "Revision 1" }).getByText("live")).toBeVisible();
    });

    test("[viewer] reads both steps in the audit log", async ({ browser }) => {
      const page = await pageAs(browser, "viewer");
      await page.goto("/audit");
      const log = page.getByRole("table", { name: "Audit log" });
      const submitted = log.getByRole("row").filter({ hasText: "mapping.submit" }).filter({ hasText: label });
      const approved = log.getByRole("row").filter({ hasText: "mapping.approve" }).filter({ hasText: label });
      await expect(submitted).toContainText("e2e-analyst@tracklayer.test");
      await expect(approved).toContainText("e2e-growth@tracklayer.test");
      await page.getByLabel("Action").fill("mapping.approve");
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page).toHaveURL(/action=mapping.approve/);
      await expect(log.getByRole("row").filter({ hasText: "mapping.submit" })).toHaveCount(0);
      await expect(log.getByRole("row").filter({ hasText: label })).toHaveCount(1);
    });

    test("[analyst] edits the approved mapping: a new draft revision while revision 1 stays live", async ({
      browser,
    }) => {
      const page = await pageAs(browser, "analyst");
      await page.goto(`/mappings?q=${encodeURIComponent(label)}`);
      await page.getByRole("link", { name: label }).click();
      await page.getByText(/Edit \(creates a new draft revision/).click();
      await page.getByRole("checkbox", { name: /value/ }).check();
      await page.getByRole("button", { name: "Save changes" }).click();
      await expect(page.getByRole("region", { name: "Revision 2" })).toBeVisible();
      await expect(page.getByRole("region", { name: "Revision 1" }).getByText("live")).toBeVisible();
      await expect(page.getByRole("table", { name: "Changes in revision 2" })).toContainText("required_properties");
      await expect(page.locator(".spread .badge.approved")).toBeVisible();
    });
  });

test("[analyst] sees field errors from the shared schema before anything is sent", async ({ browser }) => {
  const page = await pageAs(browser, "analyst");
  await page.goto("/mappings/new");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.getByText("Please fix the highlighted fields.")).toBeVisible();
  await expect(page.locator(".field-error").filter({ hasText: "is required" })).toBeVisible();
  await page.getByLabel("Source", { exact: true }).selectOption("heap");
  await page.getByLabel(/Source event/).fill("Order Completed");
  await page.getByLabel("Canonical event").selectOption("purchase");
  await page.getByRole("button", { name: "Create draft" }).click();
  await expect(page.locator(".alert.error")).toContainText("already exists");
});

test("[growth] bulk-approves selected mappings from the table", async ({ browser, baseURL }) => {
  const analyst = await pageAs(browser, "analyst");
  const tag = Date.now().toString(36);
  for (const n of [1, 2]) {
    const created = await analyst.request.post(`${baseURL}/api/mappings`, {
      data: { source: "heap", source_event: `Bulk ${tag} ${n}`, canonical_event: "sign_up" },
    });
    const { id } = (await created.json()) as { id: string };
    await analyst.request.post(`${baseURL}/api/mappings/${id}/submit`);
  }
  const page = await pageAs(browser, "growth");
  await page.goto(`/mappings?q=Bulk ${tag}`);
  await page.getByRole("checkbox", { name: "Select all rows" }).check();
  await page.getByRole("button", { name: "Approve selected" }).click();
  await expect(page.getByRole("status")).toHaveText("Approved 2 mapping(s).");
  await expect(page.getByRole("table", { name: "Mappings" }).locator(".badge.approved")).toHaveCount(2);
});

test("[viewer] mappings table filters and sorts through the URL", async ({ browser }) => {
  const page = await pageAs(browser, "viewer");
  await page.goto("/mappings");
  await page.getByLabel("Status").selectOption("in_review");
  await expect(page).toHaveURL(/status=in_review/);
  await expect(page.getByRole("table", { name: "Mappings" })).toContainText("Payment Info Completed");
  await expect(page.getByRole("table", { name: "Mappings" }).locator(".badge.approved")).toHaveCount(0);
  await page.goto("/mappings?source=heap&sort=source_event&order=asc&per_page=3");
  const first = page.getByRole("table", { name: "Mappings" }).getByRole("row").nth(1);
  await expect(first).toContainText("heap");
  await expect(page.getByText(/Page 1 of \d+/)).toBeVisible();
  await page.getByRole("button", { name: /Source event/ }).click();
  await expect(page).toHaveURL(/order=desc/);
});

test("[anonymous] is sent to sign in, and a wrong password is explained", async ({ page }) => {
  await page.goto("/mappings");
  await expect(page).toHaveURL(/\/signin/);
  await page.getByLabel("Email").fill("e2e-admin@tracklayer.test");
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator(".alert.error")).toHaveText("Wrong email or password.");
  await page.getByLabel("Password").fill("e2e-admin-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  // Home: the overview (with the first-run checklist while the workspace is not set up yet).
  await expect(page).toHaveURL(/:\d+\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Overview");
});

test("[admin] creates a write key and sees it exactly once", async ({ browser }) => {
  const page = await pageAs(browser, "admin");
  await page.goto("/sources");
  const heap = page.getByRole("region", { name: "Source heap" });
  await heap.getByText("New write key for heap").click();
  await heap.getByLabel("Name").fill("Browser-made key");
  await heap.getByRole("button", { name: "Create write key" }).click();
  const secret = heap.getByTestId("new-secret");
  await expect(secret).toHaveText(/^tl_wk_/);
  const value = await secret.textContent();
  await page.reload();
  await expect(page.getByText(value!)).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Source heap" })).toContainText("Browser-made key");
});

test("[viewer] pages show no management controls", async ({ browser }) => {
  const page = await pageAs(browser, "viewer");
  for (const [path, forbidden] of [
    ["/sources", "New source"],
    ["/members", "Add a member"],
    ["/canonical-events", "New canonical event"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByText(forbidden)).toHaveCount(0);
  }
  await page.goto("/mappings/new");
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});

test("the navigation is grouped, and marks what a role may only read", async ({ browser }) => {
  for (const [role, readOnly, editable] of [
    ["viewer", ["Mappings", "Destinations", "Members"], []],
    ["engineer", ["Mappings", "Members"], ["Destinations", "Deliveries"]],
    ["admin", [], ["Mappings", "Destinations", "Members"]],
  ] as const) {
    const page = await pageAs(browser, role);
    await page.goto("/events");
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const group of ["Registry", "Data", "Delivery", "Audiences", "Workspace"])
      await expect(nav.getByRole("list", { name: group })).toBeVisible();
    for (const label of readOnly)
      await expect(nav.getByRole("link", { name: `${label} read-only`, exact: true })).toBeVisible();
    for (const label of editable) await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
    await page.context().close();
  }
});
