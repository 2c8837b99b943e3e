// Workspace-defined computed traits: list, create, update, delete. Every change is audited and
// queues the affected profiles for recompute (set-based); rules are checked against the catalog.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { AppError, isUniqueViolation, notFound } from "@/lib/errors";
import type { ComputedTraitDefinition } from "@/lib/generated/prisma/client";
import { recordAudit } from "@/lib/registry/audit";
import { compileRule } from "@/lib/traits/compile-rule";
import { markProfiles, markWorkspaceProfiles } from "@/lib/traits/recompute";
import { RuleError } from "@/lib/traits/rule-grammar";
import type { ComputedTraitCreate, ComputedTraitUpdate } from "@/lib/validations/computed-traits";

function serialize(d: ComputedTraitDefinition) {
  return {
    id: d.id,
    key: d.key,
    name: d.name,
    description: d.description,
    rule: d.rule,
    enabled: d.enabled,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
}
export type ComputedTraitJson = ReturnType<typeof serialize>;

/** The rule must name canonical events this workspace has: 422 with the rule's field path otherwise. */
async function checkRule(workspaceId: string, rule: string) {
  const names = await db().canonicalEvent.findMany({ where: { workspaceId }, select: { name: true } });
  try {
    compileRule(rule, new Set(names.map((n) => n.name)));
  } catch (error) {
    if (error instanceof RuleError) {
      throw new AppError("unprocessable", "The rule does not fit this workspace", [
        { path: "rule", message: error.message },
      ]);
    }
    throw error;
  }
}

/** Queues every profile of the workspace (a rule applies to all of them), or only those holding `key`. */
async function queueAffected(workspaceId: string, key: string, scope: "all" | "holders", detail: string) {
  if (scope === "all") return markWorkspaceProfiles(workspaceId, "rule", detail);
  const holders = {
    sql: `SELECT "profileId" AS "id", "workspaceId" FROM "ProfileComputedTrait" WHERE "workspaceId" = $1 AND "key" = $2`,
    params: [workspaceId, key],
  };
  await markProfiles(database().raw, holders, "rule", detail);
}

async function findOwn(actor: Actor, id: string) {
  const row = await db().computedTraitDefinition.findFirst({ where: { id, workspaceId: actor.workspaceId } });
  if (!row) throw notFound("Computed trait");
  return row;
}

export async function listComputedTraits(actor: Actor) {
  assertCan(actor, "workspace.read");
  const rows = await db().computedTraitDefinition.findMany({
    where: { workspaceId: actor.workspaceId },
    orderBy: { key: "asc" },
  });
  return { rows: rows.map(serialize), total: rows.length };
}

export async function getComputedTrait(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  return serialize(await findOwn(actor, id));
}

export async function createComputedTrait(actor: Actor, input: ComputedTraitCreate) {
  assertCan(actor, "computedTrait.manage");
  await checkRule(actor.workspaceId, input.rule);
  let created: ComputedTraitDefinition;
  try {
    created = await db().$transaction(async (tx) => {
      const row = await tx.computedTraitDefinition.create({ data: { workspaceId: actor.workspaceId, ...input } });
      await recordAudit(tx, actor, {
        action: "computed_trait.create",
        entityType: "computed_trait",
        entityId: row.id,
        summary: `created ${row.key}: ${row.rule}`,
        after: input,
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `A computed trait with key ${input.key} already exists`, [
        { path: "key", message: "already exists" },
      ]);
    throw error;
  }
  if (created.enabled) await queueAffected(actor.workspaceId, created.key, "all", `rule ${created.key} created`);
  return serialize(created);
}

export async function updateComputedTrait(actor: Actor, id: string, input: ComputedTraitUpdate) {
  assertCan(actor, "computedTrait.manage");
  const current = await findOwn(actor, id);
  if (input.rule !== undefined) await checkRule(actor.workspaceId, input.rule);
  const updated = await db().$transaction(async (tx) => {
    const row = await tx.computedTraitDefinition.update({ where: { id }, data: input });
    await recordAudit(tx, actor, {
      action: "computed_trait.edit",
      entityType: "computed_trait",
      entityId: id,
      summary: `edited ${row.key}`,
      before: { name: current.name, description: current.description, rule: current.rule, enabled: current.enabled },
      after: { name: row.name, description: row.description, rule: row.rule, enabled: row.enabled },
    });
    return row;
  });
  const ruleChanged = updated.rule !== current.rule || updated.enabled !== current.enabled;
  if (ruleChanged) {
    const detail = !updated.enabled
      ? `rule ${updated.key} disabled`
      : current.enabled
        ? `rule ${updated.key} changed: ${current.rule} → ${updated.rule}`
        : `rule ${updated.key} enabled`;
    await queueAffected(actor.workspaceId, updated.key, updated.enabled ? "all" : "holders", detail);
  }
  return serialize(updated);
}

export async function deleteComputedTrait(actor: Actor, id: string) {
  assertCan(actor, "computedTrait.manage");
  const current = await findOwn(actor, id);
  await db().$transaction(async (tx) => {
    await tx.computedTraitDefinition.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "computed_trait.delete",
      entityType: "computed_trait",
      entityId: id,
      summary: `deleted ${current.key}`,
      before: serialize(current),
    });
  });
  await queueAffected(actor.workspaceId, current.key, "holders", `rule ${current.key} deleted`);
  return { deleted: true, id };
}
