// Delivery logs: an engineer finds a failed delivery, reads the request and the answer,
// retries it and sees it succeed — against a local webhook receiver started by the test.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, request, test } from "@playwright/test";
import { verifyWebhookSignature } from "@/lib/delivery/destinations/webhook";
import { apiAs, pageAs } from "./support/session";

const SECRET = "e2e-webhook-signing-secret";
const tag = Date.now().toString(36);

test("[engineer] finds a failed delivery, reads request and response, retries it and sees it succeed", async ({
  browser,
  baseURL,
}) => {
  let accept = false;
  const received: { valid: boolean; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const valid = verifyWebhookSignature(
        body,
        String(req.headers["x-tracklayer-timestamp"]),
        String(req.headers["x-tracklayer-signature"]),
        SECRET,
      );
      received.push({ valid, body });
      if (!valid) return res.writeHead(401).end('{"error":"bad signature"}');
      if (!accept)
        return res
          .writeHead(400, { "content-type": "application/json" })
          .end('{"error":"schema mismatch: order_ref expected"}');
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/tracklayer`;

  const admin = await apiAs("admin", baseURL);
  const created = await admin.post("/api/destinations", {
    data: {
      type: "webhook",
      name: `Receiver ${tag}`,
      config: { url },
      secrets: { signing_secret: SECRET },
      enabled: true,
      test_mode: false,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const destination = await created.json();
  expect(JSON.stringify(destination)).not.toContain(SECRET);
  expect(destination.secrets_set).toEqual(["signing_secret"]);

  const growth = await apiAs("growth", baseURL);
  const mapping = (await (await growth.get("/api/mappings?q=Order%20Completed&source=heap")).json()).rows[0];
  expect(
    (
      await growth.patch(`/api/mappings/${mapping.id}`, { data: { destinations: { [destination.id]: true } } })
    ).status(),
  ).toBe(200);

  const heap = ((await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[]).find(
    (s) => s.key === "heap",
  )!;
  const key = (await (await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: `deliveries ${tag}` } })).json())
    .key;
  const ingest = await request.newContext({ baseURL });
  const eventId = `deliv_${tag}`;
  const captured = await ingest.post("/api/capture", {
    headers: { authorization: `Bearer ${key}` },
    data: {
      event: "Order Completed",
      event_id: eventId,
      user_id: "cust_deliv",
      properties: { order_id: `o_${tag}`, value: 42, currency: "EUR" },
      source: "heap",
    },
  });
  expect((await captured.json()).deliveries).toEqual([
    { destination_id: destination.id, destination: `Receiver ${tag}`, status: "pending" },
  ]);

  const engineerApi = await apiAs("engineer", baseURL);
  await expect
    .poll(async () => (await (await engineerApi.get(`/api/deliveries?q=${eventId}`)).json()).rows[0]?.status, {
      timeout: 20_000,
    })
    .toBe("dead");

  const page = await pageAs(browser, "engineer");
  await page.goto(`/deliveries?status=dead&q=${eventId}`);
  await page.getByRole("table", { name: "Deliveries" }).getByRole("link").first().click();
  const attempt = page.getByRole("region", { name: "Attempt 1" });
  await expect(attempt).toContainText("/hooks/tracklayer");
  await expect(attempt).toContainText("schema mismatch: order_ref expected");
  await expect(attempt).toContainText(eventId);
  await expect(attempt).not.toContainText(SECRET);

  accept = true;
  await page.getByRole("button", { name: "Retry now" }).click();
  // The confirmation shows until the refreshed page has the outcome; a quick worker may get there first.
  await expect(page.getByText("Re-queued").or(page.locator(".spread .badge", { hasText: "succeeded" }))).toBeVisible();
  await expect
    .poll(
      async () => {
        await page.reload();
        return page.locator(".spread .badge").textContent();
      },
      { timeout: 20_000 },
    )
    .toBe("succeeded");
  await expect(page.getByRole("region", { name: "Attempt 2" })).toContainText("200");
  expect(received.every((r) => r.valid)).toBe(true);
  expect(received.filter((r) => r.body.includes(eventId))).toHaveLength(2);

  const viewer = await pageAs(browser, "viewer");
  await viewer.goto(page.url());
  await expect(viewer.getByRole("heading", { level: 1 })).toContainText(eventId);
  await expect(viewer.getByRole("button", { name: "Retry now" })).toHaveCount(0);
  expect(
    (await (await apiAs("viewer", baseURL)).post("/api/deliveries/replay", { data: { dry_run: true } })).status(),
  ).toBe(403);

  const test = await admin.post(`/api/destinations/${destination.id}/test`);
  expect(test.status(), await test.text()).toBe(200);
  expect((await test.json()).outcome).toBe("success");

  await growth.patch(`/api/mappings/${mapping.id}`, { data: { destinations: { [destination.id]: false } } });
  await admin.patch(`/api/destinations/${destination.id}`, { data: { enabled: false } });
  receiver.close();
});

test("[admin] adds a destination in the dashboard, its secret is write-only, and a test event reaches the receiver", async ({
  browser,
}) => {
  const hits: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      hits.push(body);
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/in`;
  const page = await pageAs(browser, "admin");
  await page.goto("/destinations");
  await page.getByText("New destination", { exact: true }).click();
  const form = page.getByRole("form", { name: "New destination" });
  await form.getByRole("combobox", { name: "Type" }).selectOption({ label: "Webhook" });
  await form.getByLabel("Name", { exact: true }).fill(`Dashboard hook ${tag}`);
  await form.getByLabel("Receiver URL (required)").fill(url);
  await form.getByRole("checkbox", { name: /^Enabled/ }).check();
  await form.getByLabel("Signing secret (required)").fill("too-short");
  await form.getByRole("button", { name: "Create destination" }).click();
  await expect(
    form.getByRole("alert").filter({ hasText: /signing_secret must be at least 16 characters \(required to enable\)/ }),
  ).toBeVisible();
  await form.getByLabel("Signing secret (required)").fill(SECRET);
  await form.getByRole("button", { name: "Create destination" }).click();
  await expect(form.getByText("Destination created.")).toBeVisible();
  await page.reload();
  const section = page.getByRole("region", { name: `Destination Dashboard hook ${tag}` });
  await expect(section).toContainText("signing_secret");
  await expect(page.locator("body")).not.toContainText(SECRET);
  await section.getByRole("button", { name: "Send test event" }).click();
  await expect(section.getByTestId("test-result")).toContainText("accepted");
  expect(hits.some((h) => h.includes("tracklayer_test_"))).toBe(true);
  receiver.close();
});
