// Audiences: a growth marketer defines an audience in the dashboard, a script pushes a membership
// snapshot with a write key, the in-process worker syncs it to a (mock) Meta custom audience, and
// the page shows the sync, the match rate and member lookup.
import { createHash } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { ingestContext } from "./support/ingest";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);

test("[growth] defines an audience, a snapshot pushed with a write key reaches Meta, the page shows the sync and match rate", async ({
  browser,
  baseURL,
}) => {
  const received: { method: string; url: string; body: any }[] = [];
  const meta = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ method: req.method ?? "", url: req.url ?? "", body: JSON.parse(body || "{}") });
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ audience_id: "6001", num_received: 2, num_invalid_entries: 0 }));
    });
  });
  await new Promise<void>((resolve) => meta.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(meta.address() as AddressInfo).port}`;

  const admin = await apiAs("admin", baseURL);
  const destinationName = `Meta audiences ${tag}`;
  const created = await admin.post("/api/destinations", {
    data: {
      type: "meta",
      name: destinationName,
      config: { pixel_id: "123", base_url: baseUrl },
      secrets: { access_token: "e2e-meta-token" },
      enabled: true,
      test_mode: false,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const ingest = await ingestContext(baseURL, `audiences ${tag}`);
  expect(
    (
      await ingest.post("/api/identify", {
        data: { user_id: `ann_${tag}`, anonymous_id: `anon_ann_${tag}`, traits: { email: `ann.${tag}@example.com` } },
      })
    ).status(),
  ).toBe(202);

  const page = await pageAs(browser, "growth");
  await page.goto("/audiences");
  await page.getByText("New audience").click();
  const form = page.locator("details.panel").filter({ hasText: "New audience" });
  const key = `strong-trials-${tag}`;
  await form.getByLabel("Key").fill(key);
  await form.getByLabel("Name").fill(`Strong trials ${tag}`);
  await form.getByLabel(`Send to ${destinationName}`).check();
  await form.getByRole("button", { name: "Create audience" }).click();
  await expect(form.getByText(/audience_id: is required|is required for meta/)).toBeVisible();
  await form.getByLabel(`${destinationName} audience id`).fill("6001");
  await form.getByRole("button", { name: "Create audience" }).click();
  await expect(page).toHaveURL(new RegExp(`/audiences/${key}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Strong trials ${tag}`);

  const snapshot = {
    members: [{ anonymous_id: `anon_ann_${tag}` }, { user_id: `bob_${tag}` }, { anonymous_id: `stranger_${tag}` }],
    request_id: `snap-${tag}`,
  };
  const pushed = await ingest.put(`/api/audiences/${key}/members`, { data: snapshot });
  expect(pushed.status(), await pushed.text()).toBe(200);
  expect(await pushed.json()).toMatchObject({ added: 3, removed: 0, members: 3, queued_destinations: 1 });
  const replay = await ingest.put(`/api/audiences/${key}/members`, { data: snapshot });
  expect(replay.headers()["idempotent-replayed"]).toBe("true");
  expect(
    (await ingest.put(`/api/audiences/${key}/members`, { data: { members: [{ email: "x@y.z" }] } })).status(),
  ).toBe(400);

  const status = page.getByRole("table", { name: "Destination status" });
  await expect
    .poll(
      async () => {
        await page.reload();
        return status.textContent();
      },
      { timeout: 30_000 },
    )
    .toContain("succeeded");
  await expect(status).toContainText("67% (2/3)");
  await expect(page.getByTestId("member-count")).toHaveText("3");
  const syncs = page.getByRole("table", { name: "Syncs" });
  await expect(syncs).toContainText("+3");
  await expect(syncs).toContainText("1 unmatchable");

  expect(received).toHaveLength(1);
  expect(received[0]!.method).toBe("POST");
  expect(received[0]!.url).toBe("/v24.0/6001/users");
  expect(received[0]!.body.payload.schema).toEqual(["EMAIL", "PHONE", "EXTERN_ID"]);
  // EXTERN_ID is hashed exactly as the Conversions API's external_id.
  const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");
  expect(received[0]!.body.payload.data.map((row: string[]) => row[2]).sort()).toEqual(
    [sha256(`ann_${tag}`), sha256(`bob_${tag}`)].sort(),
  );

  await page.getByLabel("user_id or anonymous_id").fill(`ann_${tag}`);
  await page.getByRole("button", { name: "Look up" }).click();
  await expect(page.getByTestId("member-lookup")).toContainText(
    `ann_${tag} is a member (as anonymous_id anon_ann_${tag})`,
  );

  await page.goto("/audiences");
  const row = page.getByRole("table", { name: "Audiences" }).getByRole("row").filter({ hasText: key });
  await expect(row).toContainText("3");
  await expect(row).toContainText("67% (2/3)");

  const viewer = await pageAs(browser, "viewer");
  await viewer.goto(`/audiences/${key}`);
  await expect(viewer.getByRole("table", { name: "Destination status" })).toContainText("67%");
  await expect(viewer.getByText("Edit destinations")).toHaveCount(0);

  await admin.patch(`/api/destinations/${(await created.json()).id}`, { data: { enabled: false } });
  meta.close();
});
