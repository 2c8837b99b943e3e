// Cross-site request forgery: a page on another origin (a sibling subdomain, another port of the
// same host) can make the browser send the dashboard's cookie with a form or text/plain POST. Such
// mutations are refused: non-JSON bodies with 415, cookie calls from another origin with 403.
// Personal access tokens carry no ambient credential and are exempt from the origin check.
import { expect, request, test } from "@playwright/test";
import { apiAs, pageAs } from "./support/session";
import { E2E_PORT } from "./support/users";

const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const evil = `http://evil.localhost:${E2E_PORT + 1}`;

async function expectCode(response: { status(): number; text(): Promise<string> }, status: number, code: string) {
  const text = await response.text();
  expect(response.status(), text).toBe(status);
  expect(JSON.parse(text).error.code, text).toBe(code);
}

test("cookie mutations with text/plain, form or multipart bodies are 415 and change nothing", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const email = `csrf-${unique()}@tracklayer.test`;
  const member = JSON.stringify({ email, role: "admin", password: "attacker-chosen-1" });
  await expectCode(
    await admin.post("/api/members", { headers: { "content-type": "text/plain", origin: evil }, data: member }),
    415,
    "unsupported_media_type",
  );
  // Same origin does not make a non-JSON body acceptable either.
  await expectCode(
    await admin.post("/api/members", { headers: { "content-type": "text/plain;charset=UTF-8" }, data: member }),
    415,
    "unsupported_media_type",
  );
  await expectCode(
    await admin.post("/api/members", { form: { email, role: "admin", password: "attacker-chosen-1" } }),
    415,
    "unsupported_media_type",
  );
  await expectCode(
    await admin.post("/api/members", { multipart: { email, role: "admin", password: "attacker-chosen-1" } }),
    415,
    "unsupported_media_type",
  );
  await expectCode(
    await admin.post("/api/workspaces", { headers: { "content-type": "text/plain" }, data: '{"name":"x","slug":"x"}' }),
    415,
    "unsupported_media_type",
  );
  const members = (await (await admin.get("/api/members")).json()).rows as { email: string }[];
  expect(members.map((m) => m.email)).not.toContain(email);
});

test("cookie mutations from another origin are 403 cross_site_request; same-origin ones work", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const body = (tag: string) => ({ key: `csrf_${tag}`, name: "CSRF probe" });
  for (const headers of <Record<string, string>[]>[
    { origin: evil },
    { origin: `http://localhost:${E2E_PORT + 1}` },
    { origin: "null" },
    { "sec-fetch-site": "same-site", origin: evil },
    { "sec-fetch-site": "cross-site" },
  ]) {
    await expectCode(await admin.post("/api/sources", { headers, data: body(unique()) }), 403, "cross_site_request");
  }
  await expectCode(
    await admin.post("/api/workspaces/switch", { headers: { origin: evil }, data: { workspace: "demo" } }),
    403,
    "cross_site_request",
  );
  await expectCode(
    await admin.post("/api/workspaces", {
      headers: { origin: evil },
      data: { name: "Evil", slug: `evil-${unique()}` },
    }),
    403,
    "cross_site_request",
  );
  // The person routes too: a cross-site page must not change the signed-in person's password.
  await expectCode(
    await admin.post("/api/account/password", {
      headers: { origin: evil },
      data: { current_password: "whatever-it-is", new_password: "attacker-chosen-1" },
    }),
    403,
    "cross_site_request",
  );
  await expectCode(
    await admin.post("/api/account/password", {
      headers: { "content-type": "text/plain" },
      data: JSON.stringify({ current_password: "whatever-it-is", new_password: "attacker-chosen-1" }),
    }),
    415,
    "unsupported_media_type",
  );
  for (const headers of <Record<string, string>[]>[
    { origin: baseURL! },
    { "sec-fetch-site": "same-origin", origin: baseURL! },
    {},
  ]) {
    const response = await admin.post("/api/sources", { headers, data: body(unique()) });
    expect(response.status(), await response.text()).toBe(201);
  }
});

test("personal access tokens are exempt from the origin check (not from JSON)", async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const { token } = await (await admin.post("/api/tokens", { data: { name: `csrf ${unique()}` } })).json();
  const bearer = await request.newContext({ baseURL, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const created = await bearer.post("/api/sources", {
    headers: { origin: evil },
    data: { key: `csrf_${unique()}`, name: "Via token" },
  });
  expect(created.status(), await created.text()).toBe(201);
  await expectCode(
    await bearer.post("/api/sources", { headers: { "content-type": "text/plain" }, data: '{"key":"x","name":"y"}' }),
    415,
    "unsupported_media_type",
  );
});

test("the dashboard's own fetches (a real browser, same origin) keep working", async ({ browser }) => {
  const page = await pageAs(browser, "admin");
  await page.goto("/sources");
  await page.waitForLoadState("networkidle");
  const status = await page.evaluate(
    async (key) =>
      (
        await fetch("/api/sources", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ key, name: "From the dashboard" }),
        })
      ).status,
    `csrf_${unique()}`,
  );
  expect(status).toBe(201);
  await page.context().close();
});
