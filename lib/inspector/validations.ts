// Guided validation results: one event's four checks recorded against the mapping revision it
// went through, so the registry shows when a mapping was last proven end to end, by whom, and
// approval can require a passed run (workspace setting).
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import type { MappingValidation, Prisma } from "@/lib/generated/prisma/client";
import { getTrace } from "@/lib/inspector/trace";
import { recordAudit } from "@/lib/registry/audit";

export function serializeValidation(v: MappingValidation, by?: { email: string } | null) {
  return {
    id: v.id,
    mapping_id: v.mappingId,
    revision_id: v.revisionId,
    event_id: v.eventId,
    outcome: v.outcome,
    checks: v.checks,
    validated_by: by?.email ?? v.validatedById,
    validated_at: v.createdAt.toISOString(),
  };
}

export async function recordValidation(actor: Actor, mappingId: string, eventId: string) {
  assertCan(actor, "mapping.validate");
  const mapping = await db().mapping.findFirst({
    where: { id: mappingId, workspaceId: actor.workspaceId },
    select: { id: true, sourceEvent: true },
  });
  if (!mapping) throw notFound("Mapping");
  const trace = await getTrace(actor, eventId);
  const revision = trace.stages.mapping?.revision;
  if (trace.event.mapping_id !== mapping.id || !revision) {
    throw new AppError("unprocessable", `Event ${eventId} did not go through the mapping “${mapping.sourceEvent}”`, [
      { path: "event_id", message: "send the validation event with this mapping's source and source event" },
    ]);
  }
  if (trace.outcome === "pending") {
    throw new AppError(
      "validation_pending",
      "Some checks are still pending (destinations have not answered yet); record the validation once they have",
    );
  }
  const outcome = trace.outcome === "pass" ? "passed" : "failed";
  return db().$transaction(async (tx) => {
    const row = await tx.mappingValidation.create({
      data: {
        workspaceId: actor.workspaceId,
        mappingId: mapping.id,
        revisionId: revision.id,
        eventRowId: trace.event.id,
        eventId: trace.event.event_id,
        outcome,
        checks: trace.checks as unknown as Prisma.InputJsonValue,
        validatedById: actor.userId,
      },
    });
    await recordAudit(tx, actor, {
      action: "mapping.validate",
      entityType: "mapping",
      entityId: mapping.id,
      summary: `validation of revision ${revision.number} ${outcome} with event ${trace.event.event_id}`,
      after: { outcome, checks: trace.checks.map((c) => ({ key: c.key, status: c.status })) },
    });
    return serializeValidation(row, { email: actor.email });
  });
}

export async function listValidations(actor: Actor, mappingId: string) {
  assertCan(actor, "workspace.read");
  const rows = await db().mappingValidation.findMany({
    where: { mappingId, workspaceId: actor.workspaceId },
    orderBy: { createdAt: "desc" },
    take: 20,
  });
  const users = await db().user.findMany({
    where: { id: { in: [...new Set(rows.map((r) => r.validatedById))] } },
    select: { id: true, email: true },
  });
  const byId = new Map(users.map((u) => [u.id, u]));
  return { rows: rows.map((r) => serializeValidation(r, byId.get(r.validatedById))), total: rows.length };
}
