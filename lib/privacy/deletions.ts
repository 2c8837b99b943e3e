// Deletion requests as admins file and follow them: file (resolve the person now, keep only a
// keyed hash and the sealed working set), list, read one with its receipt. Filing again while a
// request for the same person is open returns it; a failed one is restarted where it stopped.
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { hashIdentifier, hashLabel } from "@/lib/privacy/identifier-hash";
import type { Receipt } from "@/lib/privacy/receipt";
import { resolveSubject, sealSubject } from "@/lib/privacy/subject";
import { recordAudit } from "@/lib/registry/audit";
import type { DeletionCreateInput } from "@/lib/validations/privacy";

type Row = {
  id: string;
  identifierKind: string;
  identifierHash: string;
  status: string;
  step: string;
  receipt: unknown;
  attempts: number;
  lastError: string | null;
  requestedBy: string;
  createdAt: Date;
  completedAt: Date | null;
};

export function serializeDeletion(d: Row) {
  return {
    id: d.id,
    kind: d.identifierKind,
    label: hashLabel(d.identifierKind, d.identifierHash),
    status: d.status,
    step: d.step,
    attempts: d.attempts,
    last_error: d.lastError,
    requested_by: d.requestedBy,
    created_at: d.createdAt.toISOString(),
    completed_at: d.completedAt?.toISOString() ?? null,
    receipt: d.receipt as Receipt,
  };
}

export async function fileDeletion(actor: Actor, input: DeletionCreateInput) {
  assertCan(actor, "privacy.manage");
  const hash = hashIdentifier(actor.workspaceId, input.kind, input.value);
  const open = await db().privacyDeletion.findFirst({
    where: {
      workspaceId: actor.workspaceId,
      identifierKind: input.kind,
      identifierHash: hash,
      status: { in: ["pending", "running", "failed"] },
    },
    orderBy: { createdAt: "desc" },
  });
  if (open && open.status !== "failed") return { deletion: serializeDeletion(open), created: false };
  if (open) {
    const restarted = await db().privacyDeletion.update({
      where: { id: open.id },
      data: { status: "pending", attempts: 0, nextAttemptAt: new Date(), leaseUntil: null },
    });
    return { deletion: serializeDeletion(restarted), created: false };
  }
  const subject = await resolveSubject(actor.workspaceId, input.kind, input.value);
  const receipt: Receipt = {
    subject: {
      profiles: subject.profiles.length,
      user_ids: subject.userIds.length,
      anonymous_ids: subject.anonymousIds.length,
      emails: subject.emails.length,
    },
    steps: {},
  };
  const row = await db().$transaction(async (tx) => {
    const created = await tx.privacyDeletion.create({
      data: {
        workspaceId: actor.workspaceId,
        identifierKind: input.kind,
        identifierHash: hash,
        sealedSubject: sealSubject(subject),
        receipt: receipt as object,
        requestedBy: actor.label,
      },
    });
    await recordAudit(tx, actor, {
      action: "privacy.delete",
      entityType: "deletion",
      entityId: created.id,
      summary: `Filed the deletion of ${hashLabel(input.kind, hash)} (${subject.profiles.length} profile(s))`,
    });
    return created;
  });
  return { deletion: serializeDeletion(row), created: true };
}

export async function listDeletions(actor: Actor) {
  assertCan(actor, "privacy.manage");
  const rows = await db().privacyDeletion.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return { deletions: rows.map(serializeDeletion) };
}

export async function getDeletion(actor: Actor, id: string) {
  assertCan(actor, "privacy.manage");
  const row = await db().privacyDeletion.findFirst({ where: { id, workspaceId: actor.workspaceId } });
  if (!row) throw notFound("Deletion request");
  return serializeDeletion(row);
}
