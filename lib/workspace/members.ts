// Workspace members and their roles (admins only change them; a workspace keeps one admin).
// Newcomers join by invitation; people who already have an account can be added directly.

import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { Role } from "@/lib/generated/prisma/enums";
import { recordAudit, type Tx } from "@/lib/registry/audit";
import type { memberAddSchema } from "@/lib/validations/workspace";

const serialize = (m: {
  id: string;
  role: Role;
  createdAt: Date;
  user: { id: string; email: string; name: string | null };
}) => ({
  id: m.id,
  user_id: m.user.id,
  email: m.user.email,
  name: m.user.name,
  role: m.role,
  created_at: m.createdAt.toISOString(),
});

export async function listMembers(actor: Actor) {
  assertCan(actor, "workspace.read");
  const rows = await db().membership.findMany({
    where: { workspaceId: actor.workspaceId },
    include: { user: { select: { id: true, email: true, name: true } } },
    orderBy: { createdAt: "asc" },
  });
  return { rows: rows.map(serialize), total: rows.length };
}

export async function addMember(actor: Actor, input: z.output<typeof memberAddSchema>) {
  assertCan(actor, "member.manage");
  return db().$transaction(async (tx) => {
    // People own their passwords: someone without an account is invited (lib/workspace/invitations.ts).
    const user = await tx.user.findUnique({ where: { email: input.email } });
    if (!user) {
      throw new AppError("unprocessable", `${input.email} has no TrackLayer account yet: invite them instead`, [
        { path: "email", message: "has no TrackLayer account yet: invite them (POST /api/invitations)" },
      ]);
    }
    const existing = await tx.membership.findUnique({
      where: { userId_workspaceId: { userId: user.id, workspaceId: actor.workspaceId } },
    });
    if (existing)
      throw new AppError("conflict", `${input.email} is already a member`, [
        { path: "email", message: "already a member" },
      ]);
    const membership = await tx.membership.create({
      data: { userId: user.id, workspaceId: actor.workspaceId, role: input.role },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    await recordAudit(tx, actor, {
      action: "member.add",
      entityType: "member",
      entityId: membership.id,
      summary: `added ${input.email} as ${input.role}`,
      after: { email: input.email, role: input.role },
    });
    return serialize(membership);
  });
}

async function assertAnotherAdmin(tx: Tx, workspaceId: string, membershipId: string) {
  const admins = await tx.membership.count({ where: { workspaceId, role: "admin", id: { not: membershipId } } });
  if (admins === 0) throw new AppError("conflict", "A workspace needs at least one admin");
}

export async function changeMemberRole(actor: Actor, membershipId: string, role: Role) {
  assertCan(actor, "member.manage");
  return db().$transaction(async (tx) => {
    const current = await tx.membership.findFirst({
      where: { id: membershipId, workspaceId: actor.workspaceId },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    if (!current) throw notFound("Member");
    if (current.role === "admin" && role !== "admin") await assertAnotherAdmin(tx, actor.workspaceId, membershipId);
    const updated = await tx.membership.update({
      where: { id: membershipId },
      data: { role },
      include: { user: { select: { id: true, email: true, name: true } } },
    });
    await recordAudit(tx, actor, {
      action: "member.role",
      entityType: "member",
      entityId: membershipId,
      summary: `${current.user.email}: ${current.role} → ${role}`,
      before: { role: current.role },
      after: { role },
    });
    return serialize(updated);
  });
}

export async function removeMember(actor: Actor, membershipId: string) {
  assertCan(actor, "member.manage");
  return db().$transaction(async (tx) => {
    const current = await tx.membership.findFirst({
      where: { id: membershipId, workspaceId: actor.workspaceId },
      include: { user: { select: { email: true } } },
    });
    if (!current) throw notFound("Member");
    if (current.role === "admin") await assertAnotherAdmin(tx, actor.workspaceId, membershipId);
    await tx.membership.delete({ where: { id: membershipId } });
    // Their tokens for this workspace stop working with the membership.
    await tx.personalAccessToken.updateMany({
      where: { userId: current.userId, workspaceId: actor.workspaceId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    await recordAudit(tx, actor, {
      action: "member.remove",
      entityType: "member",
      entityId: membershipId,
      summary: `removed ${current.user.email}`,
      before: { role: current.role },
    });
    return { id: membershipId, removed: true };
  });
}
