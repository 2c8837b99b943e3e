// Sign-in throttling (issue 13 #4): requests through the wrapper next-auth's route uses, with a
// stand-in for next-auth that signs in when the password is right. Counters live in the database.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { gzipSync } from "node:zlib";
import { authenticate } from "@/lib/auth/credentials";
import { throttleSignIn } from "@/lib/auth/sign-in-throttle";
import { closeDatabase } from "@/lib/db";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

process.env.TRACKLAYER_LOGIN_MAX_ATTEMPTS = "3";
process.env.TRACKLAYER_LOGIN_MAX_ATTEMPTS_PER_ADDRESS = "6";
process.env.TRACKLAYER_LOGIN_WINDOW_SECONDS = "2";
process.env.NEXTAUTH_SECRET ||= "x".repeat(32);

let ws: TestWorkspace;
before(async () => {
  ws = await createTestWorkspace();
});
after(() => closeDatabase());

// Answers like next-auth's credentials callback: a session cookie when signed in, else 401.
const nextAuth = throttleSignIn(async (request: Request) => {
  const form = Object.fromEntries(new URLSearchParams(await request.text()));
  const user = await authenticate(String(form.email).toLowerCase(), String(form.password));
  return user
    ? new Response(JSON.stringify({ url: "http://localhost/mappings" }), {
        headers: { "set-cookie": "next-auth.session-token=abc; Path=/; HttpOnly" },
      })
    : new Response(JSON.stringify({ url: "http://localhost/api/auth/error?error=CredentialsSignin" }), {
        status: 401,
      });
});

function post(body: BodyInit, headers: Record<string, string>, address: string) {
  return nextAuth(
    new Request("http://localhost/api/auth/callback/credentials", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address, ...headers },
      body,
    }),
    {},
  );
}

const form = (email: string, password: string) =>
  new URLSearchParams({ email, password, csrfToken: "t", json: "true" }).toString();

function signIn(email: string, password: string, address: string) {
  return post(form(email, password), {}, address);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("wrong passwords lock the account with 429 and Retry-After until the window passes", async () => {
  const email = `admin-${ws.tag}@test.local`;
  for (let i = 0; i < 3; i++) assert.equal((await signIn(email, "wrong-password", "198.51.100.1")).status, 401);
  const locked = await signIn(email, "wrong-password", "198.51.100.1");
  assert.equal(locked.status, 429);
  assert.ok(Number(locked.headers.get("retry-after")) >= 1);
  const body = await locked.json();
  assert.equal(body.error.code, "too_many_requests");
  assert.match(new URL(body.url).searchParams.get("error") ?? "", /^TooManyAttempts:\d+$/);
  // The right password, even from another address, waits too.
  assert.equal((await signIn(email, "password-123", "198.51.100.2")).status, 429);
  // Other accounts are not affected.
  const other = `other-${ws.tag}@test.local`;
  assert.equal((await signIn(other, "password-123", "198.51.100.3")).status, 401);
  await sleep(2_100);
  assert.equal((await signIn(email, "password-123", "198.51.100.1")).status, 200);
});

test("a successful sign-in starts the account's count afresh", async () => {
  const email = `admin-${ws.tag}@test.local`;
  await sleep(2_100);
  for (let i = 0; i < 2; i++) assert.equal((await signIn(email, "wrong-password", "198.51.100.4")).status, 401);
  assert.equal((await signIn(email, "password-123", "198.51.100.4")).status, 200);
  for (let i = 0; i < 2; i++) assert.equal((await signIn(email, "wrong-password", "198.51.100.4")).status, 401);
  assert.equal((await signIn(email, "password-123", "198.51.100.4")).status, 200);
});

test("one address trying many accounts is throttled by address", async () => {
  for (let i = 0; i < 6; i++) {
    assert.equal((await signIn(`spray-${i}-${ws.tag}@test.local`, "guess-123", "203.0.113.9")).status, 401);
  }
  const refused = await signIn(`spray-7-${ws.tag}@test.local`, "guess-123", "203.0.113.9");
  assert.equal(refused.status, 429);
  assert.match((await refused.json()).error.message, /from your network/);
  assert.equal((await signIn(`spray-7-${ws.tag}@test.local`, "guess-123", "203.0.113.10")).status, 401);
});

test("a gzip-compressed sign-in form is inflated and signs in", async () => {
  const body = gzipSync(form(`admin-${ws.tag}@test.local`, "password-123"));
  const answer = await post(body, { "content-encoding": "gzip" }, "198.51.100.20");
  assert.equal(answer.status, 200);
});

test("a body that cannot be read is a 4xx with the error body, never a 500, and counts no attempt", async () => {
  const address = "198.51.100.21";
  const cases: [BodyInit, Record<string, string>, number, string][] = [
    [gzipSync("{not json"), { "content-type": "application/json", "content-encoding": "gzip" }, 400, "invalid_json"],
    [Buffer.from("not gzip at all"), { "content-encoding": "gzip" }, 400, "invalid_request"],
    [form("a@b.c", "x"), { "content-encoding": "br" }, 400, "invalid_request"],
    ["[1,2]", { "content-type": "application/json" }, 400, "invalid_request"],
    ["email=a%00b&password=x", {}, 400, "invalid_character"],
    [Buffer.from([0x65, 0x3d, 0xc3, 0x28]), {}, 400, "invalid_encoding"],
    [gzipSync(Buffer.alloc(1024 * 1024, 0x20)), { "content-encoding": "gzip" }, 413, "payload_too_large"],
    ["email=a", { "content-type": "text/plain" }, 415, "unsupported_media_type"],
  ];
  for (const [body, headers, status, code] of [...cases, ...cases]) {
    const answer = await post(body, headers, address);
    assert.equal(answer.status, status, `${JSON.stringify(headers)} → ${answer.status}`);
    assert.equal((await answer.json()).error.code, code);
  }
  // 16 refused bodies from one address (limit 6): none of them was counted as an attempt.
  assert.equal((await signIn(`admin-${ws.tag}@test.local`, "password-123", address)).status, 200);
});
