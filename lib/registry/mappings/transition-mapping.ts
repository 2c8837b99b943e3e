// The approval workflow: submit (analyst), approve / reject / deprecate (growth).
// Only an approved revision is ever live; four-eyes keeps submitters from approving their own.
import { notifyReviewRequested } from "@/lib/alerts/notify";
import { type Actor, assertCan } from "@/lib/auth/actor";
import type { Permission } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError, toErrorBody } from "@/lib/errors";
import type { MappingStatus, RevisionStatus } from "@/lib/generated/prisma/enums";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { logFailure } from "@/lib/log";
import { recordAudit, type Tx } from "@/lib/registry/audit";
import { loadMapping, toMappingJson } from "@/lib/registry/mappings/get-mapping";
import { checkRejectionGate } from "@/lib/registry/mappings/rejection-gate";
import type { MAPPING_ACTIONS } from "@/lib/validations/mappings";

export type MappingAction = (typeof MAPPING_ACTIONS)[number];

const PERMISSION: Record<MappingAction, Permission> = {
  submit: "mapping.submit",
  approve: "mapping.approve",
  reject: "mapping.reject",
  deprecate: "mapping.deprecate",
};

type Mapping = Awaited<ReturnType<typeof loadMapping>>;

function invalid(action: MappingAction, mapping: Mapping): AppError {
  const head = mapping.headRevision?.status ?? "none";
  return new AppError(
    "invalid_transition",
    `Cannot ${action} this mapping: it is ${mapping.status.replace("_", " ")} (latest revision ${head.replace("_", " ")})`,
  );
}

/** Moves the head revision from one status to another; 0 rows means someone else moved it first. */
async function moveHead(
  tx: Tx,
  mapping: Mapping,
  from: RevisionStatus,
  data: { status: RevisionStatus } & Record<string, unknown>,
) {
  const head = mapping.headRevision!;
  const moved = await tx.mappingRevision.updateMany({ where: { id: head.id, status: from }, data });
  if (moved.count !== 1)
    throw new AppError("invalid_transition", "The mapping changed meanwhile; reload and try again");
}

/** With the workspace setting on, a revision is approved only after a passed end-to-end validation of it. */
async function assertValidated(tx: Tx, mappingId: string, head: { id: string; number: number }) {
  const last = await tx.mappingValidation.findFirst({
    where: { mappingId, revisionId: head.id },
    orderBy: { createdAt: "desc" },
  });
  if (last?.outcome === "passed") return;
  throw new AppError(
    "validation_required",
    last
      ? `Revision ${head.number}'s last validation failed; fix it and validate one event again before approving (workspace setting)`
      : `This workspace requires a passed end-to-end validation of revision ${head.number} before approval: run the guided validation with a test write key`,
  );
}

interface Outcome {
  status: MappingStatus;
  summary: string;
  liveRevisionId?: string;
  liveKey?: null;
  /** Approved although its dry run rejects more than the workspace threshold. */
  confirmedOverThreshold?: Awaited<ReturnType<typeof checkRejectionGate>>;
}

export interface TransitionOptions {
  /** Approve even if the revision would reject more than the workspace threshold of recent events. */
  confirmRejections?: boolean;
}

async function apply(
  tx: Tx,
  actor: Actor,
  mapping: Mapping,
  action: MappingAction,
  comment: string | undefined,
  { confirmRejections = false }: TransitionOptions,
): Promise<Outcome> {
  const head = mapping.headRevision;
  if (!head) throw new AppError("internal", "Mapping has no revision");
  const now = new Date();

  switch (action) {
    case "submit": {
      if (mapping.status === "deprecated" || head.status !== "draft") throw invalid(action, mapping);
      await moveHead(tx, mapping, "draft", { status: "in_review", submittedById: actor.userId, submittedAt: now });
      return {
        status: mapping.liveRevisionId ? "approved" : "in_review",
        summary: `submitted revision ${head.number} for review`,
      };
    }
    case "approve": {
      if (mapping.status === "deprecated" || head.status !== "in_review") throw invalid(action, mapping);
      const workspace = await tx.workspace.findUniqueOrThrow({ where: { id: actor.workspaceId } });
      if (workspace.requireFourEyes && head.submittedById === actor.userId) {
        throw new AppError(
          "four_eyes",
          "You submitted this revision; another reviewer must approve it (four-eyes rule)",
        );
      }
      if (workspace.requireValidation) await assertValidated(tx, mapping.id, head);
      const overThreshold = await checkRejectionGate(tx, {
        workspaceId: actor.workspaceId,
        thresholdPct: workspace.approvalRejectionThresholdPct,
        mapping,
        revisionNumber: head.number,
        confirmed: confirmRejections,
      });
      await moveHead(tx, mapping, "in_review", {
        status: "approved",
        reviewedById: actor.userId,
        reviewedAt: now,
        reviewComment: comment ?? null,
      });
      if (mapping.liveRevisionId) {
        await tx.mappingRevision.update({ where: { id: mapping.liveRevisionId }, data: { status: "superseded" } });
      }
      return {
        status: "approved",
        liveRevisionId: head.id,
        confirmedOverThreshold: overThreshold,
        summary: overThreshold
          ? `approved revision ${head.number}, confirmed although it would reject ${overThreshold.reject_pct} % of recent events (threshold ${overThreshold.threshold_pct} %)`
          : `approved revision ${head.number}`,
      };
    }
    case "reject": {
      if (head.status !== "in_review") throw invalid(action, mapping);
      if (!comment) {
        throw new AppError("invalid_request", "Say why you reject it", [
          { path: "comment", message: "is required when rejecting" },
        ]);
      }
      await moveHead(tx, mapping, "in_review", {
        status: "rejected",
        reviewedById: actor.userId,
        reviewedAt: now,
        reviewComment: comment,
      });
      return {
        status: mapping.liveRevisionId ? "approved" : "rejected",
        summary: `rejected revision ${head.number}: ${comment}`,
      };
    }
    case "deprecate": {
      if (mapping.status !== "approved") throw invalid(action, mapping);
      return { status: "deprecated", liveKey: null, summary: comment ? `deprecated: ${comment}` : "deprecated" };
    }
  }
}

export async function transitionMapping(
  actor: Actor,
  id: string,
  action: MappingAction,
  comment?: string,
  options: TransitionOptions = {},
) {
  assertCan(actor, PERMISSION[action]);
  const mapping = await db().$transaction(async (tx) => {
    const current = await loadMapping(tx, actor.workspaceId, id);
    const result = await apply(tx, actor, current, action, comment, options);
    await tx.mapping.update({
      where: { id: current.id },
      data: {
        status: result.status,
        ...(result.liveRevisionId ? { liveRevisionId: result.liveRevisionId } : {}),
        ...(result.liveKey === null ? { liveKey: null } : {}),
      },
    });
    await recordAudit(tx, actor, {
      action: `mapping.${action}`,
      entityType: "mapping",
      entityId: current.id,
      summary: `${current.source.key} "${current.sourceEvent}": ${result.summary}`,
      before: { status: current.status, head_status: current.headRevision?.status },
      after: {
        status: result.status,
        ...(comment ? { comment } : {}),
        ...(result.confirmedOverThreshold ? { confirmed_over_threshold: result.confirmedOverThreshold } : {}),
      },
    });
    return loadMapping(tx, actor.workspaceId, id);
  });
  invalidateRegistry(actor.workspaceId);
  if (action === "submit")
    await notifyReviewRequested(actor.workspaceId, {
      mappingId: mapping.id,
      sourceEvent: mapping.sourceEvent,
      revision: mapping.headRevision?.number ?? 0,
      by: actor.label,
    }).catch((error: unknown) => logFailure("alerts", error));
  return toMappingJson(mapping);
}

/** Applies one action to many mappings; each succeeds or fails on its own. */
export async function bulkTransition(actor: Actor, action: "submit" | "approve", ids: string[]) {
  assertCan(actor, PERMISSION[action]);
  const results = [];
  for (const id of [...new Set(ids)]) {
    try {
      const mapping = await transitionMapping(actor, id, action);
      results.push({ id, ok: true as const, status: mapping.status });
    } catch (error) {
      // toErrorBody logs what is unexpected (without data) and maps database data errors to 4xx codes.
      const { code, message } = toErrorBody(error).body.error;
      results.push({ id, ok: false as const, error: { code, message } });
    }
  }
  return { action, results };
}
