// The suppression list: add, list and lift suppressed identifiers (admins), and the per-workspace
// cached set ingestion and audience syncs check (one query per workspace per TTL, never per event).
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { sharedCache } from "@/lib/ingest/ttl-cache";
import { hashIdentifier, hashLabel, type IdentifierKind } from "@/lib/privacy/identifier-hash";
import { recordAudit } from "@/lib/registry/audit";
import type { SuppressionCreateInput } from "@/lib/validations/privacy";

/** Other instances see a new or lifted suppression within this time. */
export const SUPPRESSION_TTL_MS = 5_000;

/** "kind:hash" of every suppressed identifier of a workspace. */
export type SuppressedSet = Set<string>;

const cache = sharedCache<SuppressedSet>("privacy-suppressions", SUPPRESSION_TTL_MS, async (workspaceId) => {
  const rows = await db().privacySuppression.findMany({
    where: { workspaceId },
    select: { identifierKind: true, identifierHash: true },
  });
  return new Set(rows.map((r) => `${r.identifierKind}:${r.identifierHash}`));
});

export const suppressedSet = (workspaceId: string): Promise<SuppressedSet> => cache.get(workspaceId);
export const forgetSuppressions = (workspaceId: string) => cache.invalidate(workspaceId);

/** Whether any of these identifiers is suppressed (hashes only when the workspace has suppressions). */
export function isSuppressed(
  set: SuppressedSet,
  workspaceId: string,
  ids: { kind: IdentifierKind; value: string | null | undefined }[],
): boolean {
  if (set.size === 0) return false;
  return ids.some(
    (id) => Boolean(id.value) && set.has(`${id.kind}:${hashIdentifier(workspaceId, id.kind, id.value!)}`),
  );
}

export function serializeSuppression(s: {
  id: string;
  identifierKind: string;
  identifierHash: string;
  reason: string;
  deletionId: string | null;
  createdBy: string;
  createdAt: Date;
}) {
  return {
    id: s.id,
    kind: s.identifierKind,
    label: hashLabel(s.identifierKind, s.identifierHash),
    reason: s.reason,
    deletion_id: s.deletionId,
    created_by: s.createdBy,
    created_at: s.createdAt.toISOString(),
  };
}

/** Suppresses these (already hashed) identifiers; existing ones stay as they are. Returns how many are new. */
export async function suppressHashes(
  workspaceId: string,
  entries: { kind: string; hash: string }[],
  meta: { reason: string; createdBy: string; deletionId?: string },
): Promise<number> {
  const { count } = await db().privacySuppression.createMany({
    data: entries.map((e) => ({
      workspaceId,
      identifierKind: e.kind,
      identifierHash: e.hash,
      reason: meta.reason,
      createdBy: meta.createdBy,
      deletionId: meta.deletionId ?? null,
    })),
    skipDuplicates: true,
  });
  forgetSuppressions(workspaceId);
  return count;
}

export async function listSuppressions(actor: Actor) {
  assertCan(actor, "privacy.manage");
  const rows = await db().privacySuppression.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { createdAt: "desc" },
    take: 500,
  });
  return { suppressions: rows.map(serializeSuppression) };
}

export async function createSuppression(actor: Actor, input: SuppressionCreateInput) {
  assertCan(actor, "privacy.manage");
  const hash = hashIdentifier(actor.workspaceId, input.kind, input.value);
  const created = await db().$transaction(async (tx) => {
    const existing = await tx.privacySuppression.findUnique({
      where: {
        workspaceId_identifierKind_identifierHash: {
          workspaceId: actor.workspaceId,
          identifierKind: input.kind,
          identifierHash: hash,
        },
      },
    });
    if (existing) return { row: existing, isNew: false };
    const row = await tx.privacySuppression.create({
      data: {
        workspaceId: actor.workspaceId,
        identifierKind: input.kind,
        identifierHash: hash,
        reason: input.reason,
        createdBy: actor.label,
      },
    });
    await recordAudit(tx, actor, {
      action: "privacy.suppress",
      entityType: "suppression",
      entityId: row.id,
      summary: `Suppressed ${hashLabel(input.kind, hash)}`,
    });
    return { row, isNew: true };
  });
  forgetSuppressions(actor.workspaceId);
  return { suppression: serializeSuppression(created.row), created: created.isNew };
}

export async function liftSuppression(actor: Actor, id: string) {
  assertCan(actor, "privacy.manage");
  await db().$transaction(async (tx) => {
    const row = await tx.privacySuppression.findFirst({ where: { id, workspaceId: actor.workspaceId } });
    if (!row) throw notFound("Suppression");
    await tx.privacySuppression.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "privacy.unsuppress",
      entityType: "suppression",
      entityId: id,
      summary: `Lifted the suppression of ${hashLabel(row.identifierKind, row.identifierHash)}`,
    });
  });
  forgetSuppressions(actor.workspaceId);
  return { lifted: id };
}
