// Invitations: an admin invites someone by e-mail and role; the invitation is a single-use link that
// expires, whose token is stored only hashed. It is e-mailed when SMTP is configured, and otherwise
// handed to the admin to pass on. The invited person sets their own password when accepting.
import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { generateSecret, hashSecret } from "@/lib/auth/secrets";
import { signInLimits } from "@/lib/auth/sign-in-throttle";
import { consume } from "@/lib/auth/throttle";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { appLink, mailConfigured, sendMail } from "@/lib/mail";
import { recordAudit } from "@/lib/registry/audit";
import {
  type invitationAcceptSchema,
  type invitationCreateSchema,
  newPasswordSchema,
} from "@/lib/validations/accounts";

export const INVITATION_DAYS = 7;
const INVITE_LIMIT = {
  name: "invite",
  points: 30,
  seconds: 3600,
  message: "Too many invitations sent in the last hour. Wait before inviting more people.",
};

const serialize = (i: {
  id: string;
  email: string;
  role: Role;
  createdAt: Date;
  expiresAt: Date;
  invitedBy: { email: string };
}) => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invited_by: i.invitedBy.email,
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
  expired: i.expiresAt <= new Date(),
});

const inviteLink = (token: string) => appLink(`/invite/${encodeURIComponent(token)}`);

/** Pending invitations (not accepted, not revoked), newest first; expired ones are flagged. */
export async function listInvitations(actor: Actor) {
  assertCan(actor, "member.manage");
  const rows = await db().invitation.findMany({
    where: { workspaceId: actor.workspaceId, acceptedAt: null, revokedAt: null },
    include: { invitedBy: { select: { email: true } } },
    orderBy: { createdAt: "desc" },
  });
  return { rows: rows.map(serialize), total: rows.length };
}

export async function inviteMember(actor: Actor, input: z.output<typeof invitationCreateSchema>) {
  assertCan(actor, "member.manage");
  await consume(INVITE_LIMIT, actor.userId);
  const secret = generateSecret("inv");
  const { invitation, workspace } = await db().$transaction(async (tx) => {
    const member = await tx.membership.findFirst({
      where: { workspaceId: actor.workspaceId, user: { email: input.email } },
    });
    if (member)
      throw new AppError("conflict", `${input.email} is already a member`, [
        { path: "email", message: "already a member" },
      ]);
    // A new invitation replaces any pending one for the same person.
    await tx.invitation.updateMany({
      where: { workspaceId: actor.workspaceId, email: input.email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const invitation = await tx.invitation.create({
      data: {
        workspaceId: actor.workspaceId,
        email: input.email,
        role: input.role,
        tokenHash: secret.hash,
        invitedById: actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_DAYS * 86_400_000),
      },
      include: { invitedBy: { select: { email: true } }, workspace: { select: { name: true } } },
    });
    await recordAudit(tx, actor, {
      action: "member.invite",
      entityType: "invitation",
      entityId: invitation.id,
      summary: `invited ${input.email} as ${input.role}`,
      after: { email: input.email, role: input.role, expires_at: invitation.expiresAt.toISOString() },
    });
    return { invitation, workspace: invitation.workspace };
  });
  const url = inviteLink(secret.value);
  const emailed = mailConfigured() && (await sendInvitation(input.email, actor.email, workspace.name, url));
  return {
    ...serialize(invitation),
    delivery: emailed ? ("email" as const) : ("link" as const),
    // Shown once to the admin when no e-mail went out; only its hash is stored.
    ...(emailed ? {} : { url }),
  };
}

async function sendInvitation(to: string, from: string, workspace: string, url: string): Promise<boolean> {
  try {
    await sendMail({
      to,
      subject: `You are invited to ${workspace} on TrackLayer`,
      text: `${from} invited you to the TrackLayer workspace "${workspace}".\n\nAccept the invitation and choose your password:\n${url}\n\nThe link works once and expires in ${INVITATION_DAYS} days.`,
    });
    return true;
  } catch (error) {
    console.error(`Invitation e-mail not sent (${(error as Error).message}); the link is shown to the admin instead`);
    return false;
  }
}

export async function revokeInvitation(actor: Actor, id: string) {
  assertCan(actor, "member.manage");
  return db().$transaction(async (tx) => {
    const found = await tx.invitation.findFirst({
      where: { id, workspaceId: actor.workspaceId, acceptedAt: null, revokedAt: null },
    });
    if (!found) throw notFound("Pending invitation");
    await tx.invitation.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "member.invite.revoke",
      entityType: "invitation",
      entityId: id,
      summary: `revoked the invitation of ${found.email}`,
      before: { email: found.email, role: found.role },
    });
    return { id, revoked: true };
  });
}

const unusable = () =>
  new AppError(
    "not_found",
    "This invitation link is not valid: it was used, revoked or has expired. Ask for a new one.",
  );

async function findUsable(token: string) {
  const found = await db().invitation.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { workspace: { select: { name: true } } },
  });
  if (!found || found.acceptedAt || found.revokedAt || found.expiresAt <= new Date()) throw unusable();
  return found;
}

/** What the accept page shows: whose invitation, to which workspace, and whether they have an account. */
export async function describeInvitation(token: string) {
  const found = await findUsable(token);
  return {
    email: found.email,
    role: found.role,
    workspace: found.workspace.name,
    account: await accountKind(found.email),
  };
}

/** new: sets a password; password: confirms the current one; oauth: signs in with GitHub or Google. */
async function accountKind(email: string): Promise<"new" | "password" | "oauth"> {
  const user = await db().user.findUnique({ where: { email }, omit: { passwordHash: false } });
  if (!user) return "new";
  return user.passwordHash ? "password" : "oauth";
}

function passwordIssue(message: string) {
  return new AppError("unprocessable", message, [{ path: "password", message }]);
}

/**
 * Accepts once: a newcomer sets their password (and name). An existing account's password is never
 * set here (whoever holds the link may not be its owner): they confirm it, or, with no password
 * (GitHub / Google sign-in), simply join.
 */
export async function acceptInvitation(input: z.output<typeof invitationAcceptSchema>) {
  const found = await findUsable(input.token);
  const existing = await db().user.findUnique({ where: { email: found.email }, omit: { passwordHash: false } });
  const password = input.password ?? "";
  // Confirming an existing password is a sign-in attempt: it counts against the account's throttle.
  if (existing?.passwordHash) await consume(signInLimits().account, existing.email);
  if (existing?.passwordHash && !(await verifyPassword(existing.passwordHash, password))) {
    throw passwordIssue("is not the password of your existing TrackLayer account");
  }
  if (!existing) {
    const checked = newPasswordSchema.safeParse(password);
    if (!checked.success) throw passwordIssue(checked.error.issues[0]?.message ?? "is not a valid password");
  }
  const passwordHash = existing ? null : await hashPassword(password);
  return db().$transaction(async (tx) => {
    // Single use: only one request can claim the invitation.
    const claimed = await tx.invitation.updateMany({
      where: { id: found.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw unusable();
    const user =
      existing ?? (await tx.user.create({ data: { email: found.email, name: input.name ?? null, passwordHash } }));
    const membership = await tx.membership.upsert({
      where: { userId_workspaceId: { userId: user.id, workspaceId: found.workspaceId } },
      create: { userId: user.id, workspaceId: found.workspaceId, role: found.role },
      update: {},
    });
    await recordAudit(
      tx,
      {
        userId: user.id,
        email: user.email,
        label: user.email,
        workspaceId: found.workspaceId,
        role: membership.role,
        via: "session",
      },
      {
        action: "member.invite.accept",
        entityType: "member",
        entityId: membership.id,
        summary: `${user.email} joined as ${membership.role}`,
        after: { email: user.email, role: membership.role },
      },
    );
    return { email: user.email, workspace: found.workspace.name, role: membership.role };
  });
}
