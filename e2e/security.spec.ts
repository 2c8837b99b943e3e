// Hardening over HTTP: where a destination sends is the admin's to change, with its secrets re-entered
// (the stored token never reaches a new host), URL overrides stay on allowed hosts in production, and
// every page and API answer carries the security headers (a nonce CSP that the pages still run under).
import { type APIResponse, expect, request, test } from "@playwright/test";
import { receiver } from "../tests/receiver";
import { apiAs, pageAs } from "./support/session";

const tag = Date.now().toString(36);
const STORED_TOKEN = `EAAB-stored-${tag}`;

const issuePaths = async (response: APIResponse) =>
  ((await response.json()).error.issues ?? []).map((i: { path: string }) => i.path);

test("[engineer, admin] a destination's host changes only with the admin role and its secrets re-entered", async ({
  baseURL,
}) => {
  const platform = await receiver();
  const elsewhere = await receiver();
  const admin = await apiAs("admin", baseURL);
  const engineer = await apiAs("engineer", baseURL);
  const config = { pixel_id: "123", test_event_code: "TEST1", base_url: platform.url };
  const created = await admin.post("/api/destinations", {
    data: {
      type: "meta",
      name: `Meta ${tag}`,
      config,
      secrets: { access_token: STORED_TOKEN },
      enabled: false,
      test_mode: true,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const id = (await created.json()).id as string;
  const moved = { ...config, base_url: elsewhere.url };

  const byEngineer = await engineer.patch(`/api/destinations/${id}`, { data: { config: moved } });
  expect(byEngineer.status()).toBe(403);
  expect((await byEngineer.json()).error.code).toBe("forbidden");
  expect(await issuePaths(byEngineer)).toEqual(["config.base_url"]);
  // Settings that are not URLs stay the engineer's.
  expect(
    (await engineer.patch(`/api/destinations/${id}`, { data: { config: { ...config, pixel_id: "456" } } })).status(),
  ).toBe(200);

  const withoutSecrets = await admin.patch(`/api/destinations/${id}`, { data: { config: moved } });
  expect(withoutSecrets.status()).toBe(422);
  expect((await withoutSecrets.json()).error.code).toBe("secrets_required");
  expect(await issuePaths(withoutSecrets)).toEqual(["secrets.access_token"]);

  // The test event still goes to the platform with the stored token; the other host hears nothing.
  const test1 = await engineer.post(`/api/destinations/${id}/test`);
  expect(test1.status(), await test1.text()).toBe(200);
  expect(platform.requests.some((r) => r.includes(STORED_TOKEN))).toBe(true);
  expect(elsewhere.requests).toHaveLength(0);

  const byAdmin = await admin.patch(`/api/destinations/${id}`, {
    data: { config: moved, secrets: { access_token: `EAAB-new-${tag}` } },
  });
  expect(byAdmin.status(), await byAdmin.text()).toBe(200);
  expect((await admin.post(`/api/destinations/${id}/test`)).status()).toBe(200);
  expect(elsewhere.requests.some((r) => r.includes(`EAAB-new-${tag}`))).toBe(true);
  expect(elsewhere.requests.some((r) => r.includes(STORED_TOKEN))).toBe(false);

  // In production (npm start) a base_url off the platform's host needs TRACKLAYER_ALLOWED_DESTINATION_HOSTS.
  const offList = await admin.post("/api/destinations", {
    data: {
      type: "meta",
      name: `Meta elsewhere ${tag}`,
      config: { pixel_id: "1", base_url: "https://collector.example.net" },
      secrets: { access_token: "t" },
    },
  });
  expect(offList.status()).toBe(422);
  expect(await issuePaths(offList)).toContain("config.base_url");
  await Promise.all([platform.close(), elsewhere.close()]);
});

function expectSecurityHeaders(headers: Record<string, string>) {
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"]).toContain("camera=()");
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
}

test("pages and API answers carry the security headers; HSTS only over https", async ({ baseURL }) => {
  const anonymous = await request.newContext({ baseURL });
  const signin = await anonymous.get("/signin");
  expect(signin.status()).toBe(200);
  expectSecurityHeaders(signin.headers());
  const csp = signin.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  expect(nonce, csp).toBeTruthy();
  expect(csp).toContain("'strict-dynamic'");
  expect(csp).not.toContain("'unsafe-eval'");
  const html = await signin.text();
  expect(html).toContain(`nonce="${nonce}"`);
  // A fresh nonce per request.
  const again = (await anonymous.get("/signin")).headers()["content-security-policy"] ?? "";
  expect(/'nonce-([^']+)'/.exec(again)?.[1]).not.toBe(nonce);
  expect(signin.headers()["strict-transport-security"]).toBeUndefined();

  const admin = await apiAs("admin", baseURL);
  const dashboard = await admin.get("/destinations");
  expect(dashboard.status()).toBe(200);
  expectSecurityHeaders(dashboard.headers());
  expect(dashboard.headers()["content-security-policy"]).toContain("'nonce-");

  const api = await admin.get("/api/destinations");
  expectSecurityHeaders(api.headers());
  expect(api.headers()["content-security-policy"]).toContain("default-src 'none'");

  const overHttps = await anonymous.get("/signin", { headers: { "x-forwarded-proto": "https" } });
  expect(overHttps.headers()["strict-transport-security"]).toContain("max-age=");
  expect(overHttps.headers()["content-security-policy"]).toContain("upgrade-insecure-requests");
  const apiOverHttps = await admin.get("/api/health", { headers: { "x-forwarded-proto": "https" } });
  expect(apiOverHttps.headers()["strict-transport-security"]).toContain("max-age=");
});

test("[admin] the dashboard and sign-in run under their CSP: no violations, client code works", async ({ browser }) => {
  const violations: string[] = [];
  const watch = (page: import("@playwright/test").Page) =>
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to (execute|load|apply|connect)/i.test(message.text()))
        violations.push(message.text());
    });
  const page = await pageAs(browser, "admin");
  watch(page);
  await page.goto("/destinations");
  await expect(page.getByRole("heading", { level: 1, name: "Destinations" })).toBeVisible();

  // Signed out: the sign-in form is client code; a wrong password answers in place only if its scripts ran.
  const anonymous = await (await browser.newContext()).newPage();
  watch(anonymous);
  await anonymous.goto("/signin");
  await anonymous.getByLabel("Email").fill("nobody@tracklayer.test");
  await anonymous.getByLabel("Password").fill("not-the-password");
  await anonymous.getByRole("button", { name: "Sign in" }).click();
  await expect(anonymous.getByText("Wrong email or password.")).toBeVisible();
  expect(violations).toEqual([]);
});
