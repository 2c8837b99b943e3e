// Accounts people own (issue 13 #11): invitations, password change and reset. E-mail goes to a local
// SMTP server the test starts; the public routes are called as HTTP handlers.
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { SMTPServer } from "smtp-server";
import { changePassword, requestPasswordReset } from "@/lib/auth/account";
import { tokenActor } from "@/lib/auth/context";
import { authenticate } from "@/lib/auth/credentials";
import { hashPassword } from "@/lib/auth/password";
import { generateSecret } from "@/lib/auth/secrets";
import { sessionJwt as jwt } from "@/lib/auth/session-version";
import { closeDatabase, db } from "@/lib/db";
import { memberAddSchema } from "@/lib/validations/workspace";
import { describeInvitation, inviteMember, revokeInvitation } from "@/lib/workspace/invitations";
import { addMember } from "@/lib/workspace/members";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";

const inbox: { to: string; text: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, done) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      // Undo quoted-printable soft breaks and escapes; enough to read links.
      const text = Buffer.concat(chunks)
        .toString("utf8")
        .replace(/=\r?\n/g, "")
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), text });
      done();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
process.env.SMTP_URL = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
process.env.SMTP_FROM = "TrackLayer <tracklayer@test.local>";
process.env.NEXTAUTH_URL = "http://tracklayer.test";
process.env.NEXTAUTH_SECRET ||= "x".repeat(32);

let ws: TestWorkspace;
before(async () => {
  ws = await createTestWorkspace();
});
after(async () => {
  await closeDatabase();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

function linkIn(mail: { text: string } | undefined, path: string): string {
  const match = new RegExp(`http://tracklayer\\.test/${path}/([A-Za-z0-9_-]+)`).exec(mail?.text ?? "");
  assert.ok(match?.[1], `a /${path}/ link in the e-mail`);
  return match[1];
}

/** A personal access token of the user in the test workspace, as the tokens page would mint it. */
async function mintToken(userId: string): Promise<string> {
  const secret = generateSecret("pat");
  await db().personalAccessToken.create({
    data: { userId, workspaceId: ws.workspace.id, name: "script", prefix: secret.prefix, tokenHash: secret.hash },
  });
  return secret.value;
}

const mailTo = (email: string) => [...inbox].reverse().find((m) => m.to === email);

async function post(modulePath: string, body: unknown, headers: Record<string, string> = {}) {
  const { POST } = (await import(modulePath)) as { POST: (r: Request) => Promise<Response> };
  const response = await POST(
    new Request("http://tracklayer.test/api", {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    }),
  );
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> };
}
const accept = (body: unknown) => post("@/app/api/invitations/accept/route", body);
// Addresses are unique per run: the counters outlive a run on a shared PostgreSQL database.
const requestReset = (email: string, address = `192.0.2.1-${ws.tag}`) =>
  post("@/app/api/password-resets/route", { email }, { "x-forwarded-for": address });
const completeReset = (body: unknown) => post("@/app/api/password-resets/complete/route", body);

async function auditActions(workspaceId: string) {
  return (await db().auditLog.findMany({ where: { workspaceId } })).map((a) => a.action);
}

describe("invitations", () => {
  test("invite by e-mail → accept with own password → sign in with the invited role", async () => {
    const email = `newcomer-${ws.tag}@test.local`;
    const invited = await inviteMember(ws.actors.admin, { email, role: "analyst" });
    assert.equal(invited.delivery, "email");
    assert.equal("url" in invited, false, "the link is not shown when it was e-mailed");
    const token = linkIn(mailTo(email), "invite");
    assert.deepEqual(await describeInvitation(token), {
      email,
      role: "analyst",
      workspace: ws.workspace.name,
      account: "new",
    });
    const stored = await db().invitation.findUniqueOrThrow({ where: { id: invited.id } });
    assert.notEqual(stored.tokenHash, token, "only the token's hash is stored");

    const weak = await accept({ token, password: "short" });
    assert.equal(weak.status, 422);
    assert.equal(weak.body.error.issues[0].path, "password");
    const accepted = await accept({ token, password: "my-own-password", name: "New Comer" });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.role, "analyst");
    assert.equal((await authenticate(email, "my-own-password"))?.email, email);
    const user = await db().user.findUniqueOrThrow({ where: { email }, include: { memberships: true } });
    assert.deepEqual(
      user.memberships.map((m) => [m.workspaceId, m.role]),
      [[ws.workspace.id, "analyst"]],
    );
    const actions = await auditActions(ws.workspace.id);
    assert.ok(actions.includes("member.invite") && actions.includes("member.invite.accept"));
  });

  test("a used, expired or revoked invitation is refused", async () => {
    const used = `used-${ws.tag}@test.local`;
    await inviteMember(ws.actors.admin, { email: used, role: "viewer" });
    const token = linkIn(mailTo(used), "invite");
    assert.equal((await accept({ token, password: "first-password" })).status, 200);
    const again = await accept({ token, password: "second-password" });
    assert.equal(again.status, 404);
    assert.match(again.body.error.message, /used, revoked or has expired/);

    const late = `late-${ws.tag}@test.local`;
    const expiring = await inviteMember(ws.actors.admin, { email: late, role: "viewer" });
    await db().invitation.update({ where: { id: expiring.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    assert.equal((await accept({ token: linkIn(mailTo(late), "invite"), password: "late-password" })).status, 404);
    assert.equal(await db().user.findUnique({ where: { email: late } }), null);

    const revoked = `revoked-${ws.tag}@test.local`;
    const inv = await inviteMember(ws.actors.admin, { email: revoked, role: "viewer" });
    await revokeInvitation(ws.actors.admin, inv.id);
    assert.equal((await accept({ token: linkIn(mailTo(revoked), "invite"), password: "some-password" })).status, 404);
    assert.ok((await auditActions(ws.workspace.id)).includes("member.invite.revoke"));

    assert.equal((await accept({ token: "tl_inv_made-up", password: "some-password" })).status, 404);
  });

  test("adding a member directly needs an existing account; no admin-chosen passwords", async () => {
    const issue = await rejectsWith(
      addMember(ws.actors.admin, { email: `stranger-${ws.tag}@test.local`, role: "viewer" }),
      "unprocessable",
    );
    assert.equal(issue.issues?.[0]?.path, "email");
    assert.equal(
      memberAddSchema.safeParse({ email: "a@b.co", role: "viewer", password: "chosen-by-admin" }).success,
      false,
    );
  });

  test("only admins invite; members are not invited twice", async () => {
    await rejectsWith(inviteMember(ws.actors.growth, { email: `x-${ws.tag}@test.local`, role: "viewer" }), "forbidden");
    await rejectsWith(inviteMember(ws.actors.admin, { email: ws.actors.viewer.email, role: "viewer" }), "conflict");
  });

  test("someone who already has a password confirms it; it is never replaced through an invitation", async () => {
    const other = await createTestWorkspace();
    const email = `admin-${ws.tag}@test.local`;
    await inviteMember(other.actors.admin, { email, role: "viewer" });
    const token = linkIn(mailTo(email), "invite");
    assert.equal((await describeInvitation(token)).account, "password");
    const wrong = await accept({ token, password: "attacker-chosen-password" });
    assert.equal(wrong.status, 422);
    assert.equal(await authenticate(email, "attacker-chosen-password"), null);
    assert.equal((await accept({ token, password: "password-123" })).status, 200);
    assert.equal((await authenticate(email, "password-123"))?.email, email);
  });
});

test("confirming an existing password through an invitation is throttled like sign-in", async () => {
  const other = await createTestWorkspace();
  const email = `admin-${other.tag}@test.local`;
  await inviteMember(ws.actors.admin, { email, role: "viewer" });
  const token = linkIn(mailTo(email), "invite");
  for (let i = 0; i < 10; i++) assert.equal((await accept({ token, password: `guess-number-${i}` })).status, 422);
  const throttled = await accept({ token, password: "password-123" });
  assert.equal(throttled.status, 429);
  assert.ok(Number(throttled.headers.get("retry-after")) > 0);
});

describe("password change", () => {
  test("changing the password ends other sessions (their token's session version is old)", async () => {
    const email = `growth-${ws.tag}@test.local`;
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    await db().user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword("old-password-1") },
    });
    const signedIn = await jwt({ token: {}, user: { email } });
    assert.equal(signedIn.sub, user.id);
    assert.equal((await jwt({ token: signedIn })).sub, user.id, "valid before the change");

    await rejectsWith(changePassword(user.id, "not-it", "new-password-1"), "unprocessable");
    await changePassword(user.id, "old-password-1", "new-password-1");
    const other = await jwt({ token: signedIn });
    assert.equal(other.sub, undefined, "the other session no longer names a user");
    assert.equal(await authenticate(email, "old-password-1"), null);
    assert.equal((await authenticate(email, "new-password-1"))?.email, email);
    const fresh = await jwt({ token: {}, user: { email } });
    assert.equal((await jwt({ token: fresh })).sub, user.id, "a new sign-in works");
    assert.ok((await auditActions(ws.workspace.id)).includes("account.password.change"));
  });

  test("access tokens survive a routine change, and are revoked when asked", async () => {
    const email = `growth-${ws.tag}@test.local`;
    const user = await db().user.findUniqueOrThrow({ where: { email } });
    await db().user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword("tokens-password-1") } });
    const token = await mintToken(user.id);
    const kept = await changePassword(user.id, "tokens-password-1", "tokens-password-2");
    assert.equal(kept.tokensRevoked, 0);
    assert.equal((await tokenActor(token)).email, email, "a routine change keeps scripts working");
    const revoked = await changePassword(user.id, "tokens-password-2", "tokens-password-3", { revokeTokens: true });
    assert.equal(revoked.tokensRevoked, 1);
    await rejectsWith(tokenActor(token), "unauthenticated");
  });
});

describe("password reset", () => {
  test("reset by e-mailed single-use link; the answer never tells whether the e-mail exists", async () => {
    const email = `admin-${ws.tag}@test.local`;
    const before = inbox.length;
    const known = await requestReset(email);
    const unknown = await requestReset(`nobody-${ws.tag}@test.local`);
    assert.equal(known.status, 202);
    assert.deepEqual([unknown.status, unknown.body], [known.status, known.body]);
    // The e-mail goes out after the answer; wait for it.
    for (let i = 0; i < 50 && !mailTo(email)?.text.includes("reset-password"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(inbox.length, before + 1, "one e-mail, to the existing account only");
    const token = linkIn(mailTo(email), "reset-password");
    const accessToken = await mintToken((await db().user.findUniqueOrThrow({ where: { email } })).id);
    assert.equal((await completeReset({ token, password: "short" })).status, 400);
    const done = await completeReset({ token, password: "brand-new-password" });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal((await authenticate(email, "brand-new-password"))?.email, email);
    assert.equal(await authenticate(email, "password-123"), null);
    assert.equal((await completeReset({ token, password: "another-password" })).status, 404, "single use");
    await rejectsWith(tokenActor(accessToken), "unauthenticated");
    assert.equal(done.body.tokensRevoked, 1, "a reset (account recovery) revokes the account's access tokens");
    const actions = await auditActions(ws.workspace.id);
    assert.ok(actions.includes("account.password.reset_request") && actions.includes("account.password.reset"));
  });

  test("an expired reset link is refused", async () => {
    const email = `analyst-${ws.tag}@test.local`;
    const { sent } = await requestPasswordReset(email, `192.0.2.50-${ws.tag}`);
    await sent;
    const token = linkIn(mailTo(email), "reset-password");
    await db().passwordReset.updateMany({
      where: { user: { email }, usedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    assert.equal((await completeReset({ token, password: "brand-new-password" })).status, 404);
  });

  test("reset requests are rate-limited per e-mail, known or not, with Retry-After", async () => {
    const email = `limited-${ws.tag}@test.local`;
    for (let i = 0; i < 3; i++) assert.equal((await requestReset(email, `192.0.2.${10 + i}-${ws.tag}`)).status, 202);
    const limited = await requestReset(email, `192.0.2.20-${ws.tag}`);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, "too_many_requests");
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
  });
});
