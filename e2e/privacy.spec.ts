// Privacy: an admin erases an anonymous visitor from the dashboard and follows the request to its
// receipt; the visitor's next call is answered "suppressed"; lifting the suppression in the page
// restores ingestion.
import { expect, request, test } from "@playwright/test";
import { ingestContext } from "./support/ingest";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);

test("[admin] files a deletion, sees it complete with its receipt, and lifts the suppression", async ({
  browser,
  baseURL,
}) => {
  const ingest = await ingestContext(baseURL, `privacy ${tag}`);
  const visitor = `anon_privacy_${tag}`;
  const track = (n: number) =>
    ingest.post("/api/capture", {
      data: {
        event: "page_viewed",
        event_id: `privacy_${tag}_${n}`,
        anonymous_id: visitor,
        properties: { path: "/me" },
      },
    });
  for (const n of [1, 2]) expect((await track(n)).status()).toBe(202);

  const page = await pageAs(browser, "admin");
  await page.goto("/privacy");
  const form = page.getByRole("form", { name: "Erase a person" });
  await form.getByLabel("Identifier").selectOption("anonymous_id");
  await form.getByLabel("Value").fill(visitor);
  await form.getByRole("button", { name: "Erase this person" }).click();
  await expect(form.getByRole("status")).toContainText("Deletion filed");

  const requests = page.getByRole("table", { name: "Deletion requests" });
  const row = requests.getByRole("row").nth(1);
  await expect(row).toContainText("completed", { timeout: 30_000 });
  await row.getByText(/Receipt of anonymous_id #/).click();
  await expect(row).toContainText("Suppressed");
  await expect(row).toContainText("events scrubbed: 2");
  await expect(row).toContainText("Profile, identities and traits erased");
  await expect(row).not.toContainText(visitor);

  const after = await track(3);
  expect(after.status()).toBe(202);
  expect((await after.json()).status).toBe("suppressed");

  const suppressions = page.getByRole("table", { name: "Suppressions" });
  const label = (await row.locator("code").textContent())!;
  const suppressed = suppressions.getByRole("row", { name: new RegExp(label.replace("#", "\\#")) });
  await suppressed.getByRole("button", { name: `Lift the suppression of ${label}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Lift suppression" }).click();
  await expect(suppressions.getByText(label)).toHaveCount(0);
  const restored = await track(4);
  expect((await restored.json()).status).not.toBe("suppressed");
});

test("[admin] files a deletion with an access token; other roles may not", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const { token } = (await (await admin.post("/api/tokens", { data: { name: `privacy ${tag}` } })).json()) as {
    token: string;
  };
  const api = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const filed = await api.post("/api/privacy/deletions", { data: { kind: "email", value: `gone_${tag}@example.com` } });
  expect(filed.status(), await filed.text()).toBe(202);
  const deletion = (await filed.json()) as { id: string; label: string; status: string };
  expect(deletion.label).toMatch(/^email #[0-9a-f]{8}$/);
  expect(JSON.stringify(deletion)).not.toContain(`gone_${tag}`);
  const again = await api.post("/api/privacy/deletions", { data: { kind: "email", value: `GONE_${tag}@example.com` } });
  expect([200, 202]).toContain(again.status());
  expect((await (await api.get(`/api/privacy/deletions/${deletion.id}`)).json()).id).toBe(deletion.id);

  const invalid = await api.post("/api/privacy/deletions", { data: { kind: "email", value: "nope" } });
  expect(invalid.status()).toBe(400);
  expect((await invalid.json()).error.issues[0].path).toBe("value");
  for (const role of ["growth", "engineer", "viewer"] as const) {
    const other = await apiAs(role, baseURL);
    expect((await other.post("/api/privacy/deletions", { data: { kind: "user_id", value: "x" } })).status()).toBe(403);
    expect((await other.get("/api/privacy/suppressions")).status()).toBe(403);
  }
});
