// The dashboard on a phone (390 × 844): no page scrolls sideways, and the navigation opens from its menu button.
import { expect, type Page, test } from "@playwright/test";
import { type Seeded, seedPageData } from "./support/page-data";
import { storageStateOf } from "./support/users";

test.use({ viewport: { width: 390, height: 844 }, storageState: storageStateOf("admin") });

let data: Seeded;
test.beforeAll(async ({ baseURL }) => {
  data = await seedPageData(baseURL);
});
test.afterAll(async () => {
  await data.cleanup();
});

async function pageWidth(page: Page) {
  return page.evaluate(() => {
    const root = document.scrollingElement!;
    return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth };
  });
}

test("[admin] on a phone, the main pages fit the screen width", async ({ page }) => {
  const pages = ["/", "/mappings", `/mappings/${data.mappingId}`, "/events", "/inspector", "/deliveries"];
  // Pages whose tables have visually hidden headers (they once widened the page).
  pages.push("/sources", "/members", "/tokens");
  for (const url of pages) {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
    await page.waitForTimeout(500); // charts and client tables lay out after hydration
    const { scrollWidth, clientWidth } = await pageWidth(page);
    expect(scrollWidth, `${url} scrolls sideways`).toBeLessThanOrEqual(clientWidth);
  }
});

test("[admin] on a phone, the navigation opens from its menu button and a link in it navigates", async ({ page }) => {
  await page.goto("/mappings");
  const sidebar = page.getByRole("complementary", { name: "Sidebar" });
  await expect(sidebar).toBeHidden();
  await page.getByRole("button", { name: "Open navigation" }).click();
  const sheet = page.getByRole("dialog", { name: "TrackLayer" });
  await expect(sheet).toBeVisible();
  const nav = sheet.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("list", { name: "Delivery" })).toBeVisible();
  await nav.getByRole("link", { name: "Events", exact: true }).click();
  await expect(page).toHaveURL(/\/events$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Events");
  await expect(sheet).toBeHidden();
});
