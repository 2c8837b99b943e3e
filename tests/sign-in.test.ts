// Email + password sign-in (lib/auth/credentials.ts): an unknown e-mail costs one argon2
// verification like a known one, so timing does not tell which e-mails have accounts.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { authenticate } from "@/lib/auth/credentials";
import { verifyPassword } from "@/lib/auth/password";
import { closeDatabase } from "@/lib/db";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

let ws: TestWorkspace;
before(async () => {
  ws = await createTestWorkspace();
});
after(() => closeDatabase());

function spy() {
  const calls: string[] = [];
  const verify: typeof verifyPassword = async (hash, password) => {
    calls.push(hash ?? "");
    return verifyPassword(hash, password);
  };
  return { calls, verify };
}

test("a known e-mail with the right password signs in; a wrong one does not", async () => {
  const email = `admin-${ws.tag}@test.local`;
  assert.equal((await authenticate(email, "password-123"))?.email, email);
  assert.equal(await authenticate(email, "not-the-password"), null);
});

test("an unknown e-mail is verified against an argon2 hash all the same", async () => {
  const { calls, verify } = spy();
  assert.equal(await authenticate(`nobody-${ws.tag}@test.local`, "password-123", verify), null);
  assert.equal(calls.length, 1);
  assert.match(calls[0]!, /^\$argon2id\$/);
});

test("an account without a password (invited, OAuth) is verified against an argon2 hash too", async () => {
  const { calls, verify } = spy();
  assert.equal(await authenticate(ws.actors.viewer.email, "password-123", verify), null);
  assert.equal(calls.length, 1);
  assert.match(calls[0]!, /^\$argon2id\$/);
});

test("an unknown e-mail takes about as long as a wrong password for a known one", async () => {
  const known = `admin-${ws.tag}@test.local`;
  await authenticate(`warm-up-${ws.tag}@test.local`, "x");
  const time = async (email: string) => {
    const start = performance.now();
    for (let i = 0; i < 3; i++) await authenticate(email, "wrong-password");
    return performance.now() - start;
  };
  const knownMs = await time(known);
  const unknownMs = await time(`nobody-${ws.tag}@test.local`);
  // Generous: skipping argon2 makes the unknown case ~50× faster, not 2×.
  assert.ok(unknownMs > knownMs / 2, `unknown ${unknownMs.toFixed(1)} ms vs known ${knownMs.toFixed(1)} ms`);
});
