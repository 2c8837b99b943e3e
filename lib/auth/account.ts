// A person's own account: change the password (other sessions end), and reset a forgotten one by a
// single-use, expiring link sent by e-mail. The reset request never tells whether the e-mail exists.
import type { Actor } from "@/lib/auth/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { generateSecret, hashSecret } from "@/lib/auth/secrets";
import { signInLimits } from "@/lib/auth/sign-in-throttle";
import { consume, type Limit, reset } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { appLink, mailConfigured, sendMail } from "@/lib/mail";
import { type AuditEntry, recordAudit, type Tx } from "@/lib/registry/audit";

export const RESET_MINUTES = 60;

const LIMITS = {
  change: {
    name: "password-change",
    points: 10,
    seconds: 900,
    message: "Too many password change attempts. Wait before trying again.",
  },
  resetEmail: {
    name: "reset-email",
    points: 3,
    seconds: 3600,
    message: "Too many password reset requests. Wait before asking again.",
  },
  resetAddress: {
    name: "reset-address",
    points: 20,
    seconds: 3600,
    message: "Too many password reset requests from your network. Wait before asking again.",
  },
} satisfies Record<string, Limit>;

/** Account events go to the audit log of every workspace the person belongs to. */
async function auditForUser(tx: Tx, user: { id: string; email: string }, entry: AuditEntry) {
  const memberships = await tx.membership.findMany({ where: { userId: user.id } });
  for (const m of memberships) {
    const actor: Actor = {
      userId: user.id,
      email: user.email,
      label: user.email,
      workspaceId: m.workspaceId,
      role: m.role,
      via: "session",
    };
    await recordAudit(tx, actor, entry);
  }
}

/** Revokes every live personal access token of the user, in every workspace; returns how many. */
async function revokeAccessTokens(tx: Tx, userId: string): Promise<number> {
  const revoked = await tx.personalAccessToken.updateMany({
    where: { userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return revoked.count;
}

const tokensNote = (count: number) => (count > 0 ? `; ${count} access token${count === 1 ? "" : "s"} revoked` : "");

/**
 * Changes the password and bumps the session version: every session but the caller's re-issued one
 * ends. Access tokens keep working unless `revokeTokens` (scripts should not break on a routine change).
 */
export async function changePassword(
  userId: string,
  currentPassword: string,
  newPassword: string,
  { revokeTokens = false }: { revokeTokens?: boolean } = {},
) {
  await consume(LIMITS.change, userId);
  const user = await db().user.findUnique({ where: { id: userId }, omit: { passwordHash: false } });
  if (!user) throw notFound("User");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new AppError("unprocessable", "The current password is not right", [
      { path: "current_password", message: "is not your current password" },
    ]);
  }
  const passwordHash = await hashPassword(newPassword);
  return db().$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
    });
    const tokensRevoked = revokeTokens ? await revokeAccessTokens(tx, userId) : 0;
    await auditForUser(tx, user, {
      action: "account.password.change",
      entityType: "user",
      entityId: user.id,
      summary: `${user.email} changed their password; other sessions ended${tokensNote(tokensRevoked)}`,
    });
    return { sessionVersion: updated.sessionVersion, tokensRevoked };
  });
}

export const RESET_ANSWER = {
  message: "If an account exists for that e-mail, a link to reset its password is on its way.",
};

/**
 * Counts the request (per e-mail and per address, whether or not the account exists), then answers.
 * The work that depends on whether the account exists runs in `sent`, which the route does not
 * wait for, so neither the answer nor its timing tells.
 */
export async function requestPasswordReset(email: string, address: string): Promise<{ sent: Promise<void> }> {
  await consume(LIMITS.resetAddress, address);
  await consume(LIMITS.resetEmail, email);
  return {
    sent: sendReset(email).catch((error: unknown) =>
      console.error(`Password reset not sent: ${(error as Error).message}`),
    ),
  };
}

async function sendReset(email: string): Promise<void> {
  const user = await db().user.findUnique({ where: { email } });
  if (!user) return;
  if (!mailConfigured()) {
    console.warn("Password reset requested but SMTP is not configured (SMTP_URL, SMTP_FROM): no e-mail sent");
    return;
  }
  const secret = generateSecret("pwr");
  await db().$transaction(async (tx) => {
    // Only the newest link works.
    await tx.passwordReset.updateMany({ where: { userId: user.id, usedAt: null }, data: { usedAt: new Date() } });
    const reset = await tx.passwordReset.create({
      data: { userId: user.id, tokenHash: secret.hash, expiresAt: new Date(Date.now() + RESET_MINUTES * 60_000) },
    });
    await auditForUser(tx, user, {
      action: "account.password.reset_request",
      entityType: "user",
      entityId: user.id,
      summary: `password reset link sent to ${user.email}`,
      after: { reset_id: reset.id },
    });
  });
  await sendMail({
    to: user.email,
    subject: "Reset your TrackLayer password",
    text: `Someone (hopefully you) asked to reset the password of your TrackLayer account.\n\nChoose a new password here:\n${appLink(`/reset-password/${encodeURIComponent(secret.value)}`)}\n\nThe link works once and expires in ${RESET_MINUTES} minutes. If you did not ask, ignore this e-mail: your password stays as it is.`,
  });
}

const unusable = () =>
  new AppError("not_found", "This password reset link is not valid: it was used or has expired. Ask for a new one.");

async function findUsableReset(token: string) {
  const found = await db().passwordReset.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { user: { select: { id: true, email: true } } },
  });
  if (!found || found.usedAt || found.expiresAt <= new Date()) throw unusable();
  return found;
}

export async function describePasswordReset(token: string) {
  const found = await findUsableReset(token);
  return { email: found.user.email };
}

/**
 * Sets the new password once per link; every session and every access token of the account ends
 * (a reset is how an account is recovered: whoever had it may have minted tokens).
 */
export async function completePasswordReset(token: string, password: string) {
  const found = await findUsableReset(token);
  const passwordHash = await hashPassword(password);
  const result = await db().$transaction(async (tx) => {
    const claimed = await tx.passwordReset.updateMany({
      where: { id: found.id, usedAt: null, expiresAt: { gt: new Date() } },
      data: { usedAt: new Date() },
    });
    if (claimed.count !== 1) throw unusable();
    await tx.user.update({ where: { id: found.userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
    const tokensRevoked = await revokeAccessTokens(tx, found.userId);
    await auditForUser(tx, found.user, {
      action: "account.password.reset",
      entityType: "user",
      entityId: found.userId,
      summary: `${found.user.email} reset their password by e-mailed link; all sessions ended${tokensNote(tokensRevoked)}`,
    });
    return { email: found.user.email, tokensRevoked };
  });
  // Whoever holds the e-mailed link may sign in at once, even if guessing had locked the account.
  await reset(signInLimits().account, result.email);
  return result;
}
