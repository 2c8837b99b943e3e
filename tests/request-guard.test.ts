// The CSRF guard every management route applies (lib/api/request-guard.ts); e2e/csrf.spec.ts
// covers it over HTTP.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertSafeMutation } from "@/lib/api/request-guard";
import { AppError } from "@/lib/errors";

process.env.NEXTAUTH_SECRET ||= "x".repeat(32);

const req = (method: string, headers: Record<string, string | undefined>, body?: string) =>
  new Request("http://app.test:3000/api/members", {
    method,
    headers: { host: "app.test:3000", ...(headers as Record<string, string>) },
    body,
  });

const outcome = (request: Request) => {
  try {
    assertSafeMutation(request);
    return "ok";
  } catch (error) {
    assert.ok(error instanceof AppError);
    return error.code;
  }
};

test("mutations need JSON; reads and bodiless calls do not", () => {
  assert.equal(outcome(req("POST", { "content-type": "text/plain" }, "{}")), "unsupported_media_type");
  assert.equal(
    outcome(req("POST", { "content-type": "application/x-www-form-urlencoded" }, "a=1")),
    "unsupported_media_type",
  );
  assert.equal(
    outcome(req("PATCH", { "content-type": "multipart/form-data; boundary=x" }, "--x--")),
    "unsupported_media_type",
  );
  assert.equal(outcome(req("POST", { "content-type": "application/json; charset=utf-8" }, "{}")), "ok");
  assert.equal(outcome(req("DELETE", {})), "ok");
  assert.equal(outcome(req("GET", { "content-type": "text/plain" })), "ok");
});

test("cookie mutations from another origin are refused; tokens are exempt", () => {
  const json = { "content-type": "application/json" };
  for (const headers of [
    { origin: "http://evil.app.test:3000" },
    { origin: "http://app.test:3001" },
    { origin: "null" },
    { "sec-fetch-site": "same-site" },
    { "sec-fetch-site": "cross-site", origin: "http://app.test:3000" },
  ])
    assert.equal(outcome(req("POST", { ...json, ...headers }, "{}")), "cross_site_request", JSON.stringify(headers));
  for (const headers of [
    { origin: "http://app.test:3000" },
    { "sec-fetch-site": "same-origin" },
    { "sec-fetch-site": "none" },
    {},
    { origin: "http://evil.test", authorization: "Bearer tl_pat_x" },
  ])
    assert.equal(outcome(req("POST", { ...json, ...headers }, "{}")), "ok", JSON.stringify(headers));
});
