// Workspaces: the ones a person belongs to, creating one, and its settings.

import type { z } from "zod";
import { ensureDefaultRules } from "@/lib/alerts/defaults";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { recordAudit } from "@/lib/registry/audit";
import { mergeRetention, type RetentionColumns, retentionOf } from "@/lib/retention/settings";
import type { workspaceCreateSchema, workspaceUpdateSchema } from "@/lib/validations/workspace";

const serialize = (
  w: {
    id: string;
    slug: string;
    name: string;
    requireFourEyes: boolean;
    requireValidation: boolean;
    approvalRejectionThresholdPct: number;
    unhashedPiiPolicy: string;
  } & RetentionColumns,
) => ({
  id: w.id,
  slug: w.slug,
  name: w.name,
  require_four_eyes: w.requireFourEyes,
  require_validation: w.requireValidation,
  approval_rejection_threshold_pct: w.approvalRejectionThresholdPct,
  unhashed_pii_policy: w.unhashedPiiPolicy,
  retention: retentionOf(w),
});

export async function listMyWorkspaces(userId: string) {
  const rows = await db().membership.findMany({
    where: { userId },
    include: { workspace: true },
    orderBy: { createdAt: "asc" },
  });
  return { rows: rows.map((m) => ({ ...serialize(m.workspace), role: m.role })), total: rows.length };
}

export async function getWorkspace(actor: Actor) {
  assertCan(actor, "workspace.read");
  return {
    ...serialize(await db().workspace.findUniqueOrThrow({ where: { id: actor.workspaceId } })),
    role: actor.role,
  };
}

/** Any signed-in person may start a workspace; they become its admin. */
export async function createWorkspace(userId: string, email: string, input: z.output<typeof workspaceCreateSchema>) {
  try {
    const created = await db().$transaction(async (tx) => {
      const workspace = await tx.workspace.create({ data: { name: input.name, slug: input.slug } });
      await tx.membership.create({ data: { userId, workspaceId: workspace.id, role: "admin" } });
      await tx.auditLog.create({
        data: {
          workspaceId: workspace.id,
          actorId: userId,
          actorLabel: email,
          action: "workspace.create",
          entityType: "workspace",
          entityId: workspace.id,
          summary: `created workspace ${workspace.name}`,
        },
      });
      return { ...serialize(workspace), role: "admin" as const };
    });
    await ensureDefaultRules(created.id);
    return created;
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `The slug ${input.slug} is taken`, [{ path: "slug", message: "already taken" }]);
    throw error;
  }
}

export async function updateWorkspace(actor: Actor, input: z.output<typeof workspaceUpdateSchema>) {
  if (
    input.name !== undefined ||
    input.require_four_eyes !== undefined ||
    input.unhashed_pii_policy !== undefined ||
    input.retention !== undefined
  )
    assertCan(actor, "workspace.settings");
  if (input.require_validation !== undefined || input.approval_rejection_threshold_pct !== undefined)
    assertCan(actor, "validation.policy");
  const updated = await db().$transaction(async (tx) => {
    const before = await tx.workspace.findUniqueOrThrow({ where: { id: actor.workspaceId } });
    const after = await tx.workspace.update({
      where: { id: actor.workspaceId },
      data: {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.require_four_eyes !== undefined ? { requireFourEyes: input.require_four_eyes } : {}),
        ...(input.require_validation !== undefined ? { requireValidation: input.require_validation } : {}),
        ...(input.approval_rejection_threshold_pct !== undefined
          ? { approvalRejectionThresholdPct: input.approval_rejection_threshold_pct }
          : {}),
        ...(input.unhashed_pii_policy !== undefined ? { unhashedPiiPolicy: input.unhashed_pii_policy } : {}),
        ...(input.retention !== undefined ? mergeRetention(retentionOf(before), input.retention) : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: "workspace.settings",
      entityType: "workspace",
      entityId: after.id,
      summary: "changed workspace settings",
      before: serialize(before),
      after: serialize(after),
    });
    return serialize(after);
  });
  // Ingestion reads the policy from its registry snapshot.
  if (input.unhashed_pii_policy !== undefined) invalidateRegistry(actor.workspaceId);
  return updated;
}
