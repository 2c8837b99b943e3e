// Audiences as growth and admins define them: key, name, source cohort and the destinations
// (with each platform's audience id) that receive the membership. Enabling a destination on
// an audience that already has members queues a full first sync to it.

import { enqueueSync } from "@/lib/audiences/sync/enqueue";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { database, db } from "@/lib/db";
import { AppError, type FieldIssue, isUniqueViolation, notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/registry/audit";
import {
  AUDIENCE_DESTINATION_TYPES,
  type AudienceCreateInput,
  type AudienceDestinationSetting,
  type AudienceUpdateInput,
} from "@/lib/validations/audiences";

type Row = {
  id: string;
  key: string;
  name: string;
  description: string;
  sourceCohort: string | null;
  destinations: unknown;
  memberCount: number;
  createdAt: Date;
  updatedAt: Date;
};

export function settingsOf(row: { destinations: unknown }): AudienceDestinationSetting[] {
  return Array.isArray(row.destinations) ? (row.destinations as AudienceDestinationSetting[]) : [];
}

export function serializeAudience(a: Row) {
  return {
    id: a.id,
    key: a.key,
    name: a.name,
    description: a.description,
    source_cohort: a.sourceCohort,
    destinations: settingsOf(a),
    members: a.memberCount,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
}

/** Each destination must exist in the workspace, be of a type that takes audiences, and name its platform audience. */
async function checkDestinations(workspaceId: string, list: AudienceDestinationSetting[]) {
  if (list.length === 0) return;
  const found = await db().destination.findMany({
    where: { workspaceId, id: { in: list.map((d) => d.destination_id) } },
    select: { id: true, type: true },
  });
  const typeOf = new Map(found.map((d) => [d.id, d.type]));
  const issues: FieldIssue[] = [];
  list.forEach((d, i) => {
    const type = typeOf.get(d.destination_id);
    if (!type)
      issues.push({ path: `destinations.${i}.destination_id`, message: "no such destination in this workspace" });
    else if (!(AUDIENCE_DESTINATION_TYPES as readonly string[]).includes(type))
      issues.push({
        path: `destinations.${i}.destination_id`,
        message: `${type} destinations do not take audiences (use ${AUDIENCE_DESTINATION_TYPES.join(", ")})`,
      });
    else if (type !== "webhook" && !d.audience_id)
      issues.push({
        path: `destinations.${i}.audience_id`,
        message: `is required for ${type}: the platform's audience / user list / segment id`,
      });
  });
  if (issues.length) throw new AppError("unprocessable", "Invalid audience destinations", issues);
}

export async function findAudience(workspaceId: string, key: string) {
  const audience = await db().audience.findUnique({ where: { workspaceId_key: { workspaceId, key } } });
  if (!audience) throw notFound(`Audience ${key}`);
  return audience;
}

/** Destinations an audience can be sent to (for the dashboard's forms). */
export async function audienceDestinationChoices(actor: Actor) {
  if (!can(actor.role, "audience.manage")) return [];
  return db().destination.findMany({
    where: { workspaceId: actor.workspaceId, type: { in: [...AUDIENCE_DESTINATION_TYPES] } },
    select: { id: true, name: true, type: true },
    orderBy: { name: "asc" },
  });
}

export async function listAudiences(actor: Actor) {
  assertCan(actor, "workspace.read");
  const rows = await db().audience.findMany({ where: { workspaceId: actor.workspaceId }, orderBy: { key: "asc" } });
  return { total: rows.length, rows: rows.map(serializeAudience) };
}

export async function createAudience(actor: Actor, input: AudienceCreateInput) {
  assertCan(actor, "audience.manage");
  await checkDestinations(actor.workspaceId, input.destinations);
  try {
    const created = await db().$transaction(async (tx) => {
      const a = await tx.audience.create({
        data: {
          workspaceId: actor.workspaceId,
          key: input.key,
          name: input.name,
          description: input.description,
          sourceCohort: input.source_cohort ?? null,
          destinations: input.destinations,
        },
      });
      await recordAudit(tx, actor, {
        action: "audience.create",
        entityType: "audience",
        entityId: a.id,
        summary: `created audience ${a.key}`,
        after: serializeAudience(a),
      });
      return a;
    });
    return serializeAudience(created);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "An audience with this key or source cohort already exists", [
        { path: "key", message: "already exists (or source_cohort is taken)" },
      ]);
    }
    throw error;
  }
}

export async function updateAudience(actor: Actor, key: string, input: AudienceUpdateInput) {
  assertCan(actor, "audience.manage");
  const current = await findAudience(actor.workspaceId, key);
  if (input.destinations) await checkDestinations(actor.workspaceId, input.destinations);
  const before = settingsOf(current);
  const wasOn = new Set(before.filter((d) => d.enabled).map((d) => d.destination_id));
  const newlyOn = (input.destinations ?? [])
    .filter((d) => d.enabled && !wasOn.has(d.destination_id))
    .map((d) => d.destination_id);
  try {
    const updated = await db().$transaction(async (tx) => {
      const a = await tx.audience.update({
        where: { id: current.id },
        data: {
          ...(input.name !== undefined ? { name: input.name } : {}),
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.source_cohort !== undefined ? { sourceCohort: input.source_cohort } : {}),
          ...(input.destinations !== undefined ? { destinations: input.destinations } : {}),
        },
      });
      await recordAudit(tx, actor, {
        action: "audience.edit",
        entityType: "audience",
        entityId: a.id,
        summary: `edited audience ${a.key}`,
        before: serializeAudience(current),
        after: serializeAudience(a),
      });
      return a;
    });
    if (newlyOn.length && updated.memberCount > 0) {
      await database().transaction((raw) =>
        enqueueSync(raw, {
          workspaceId: actor.workspaceId,
          audienceId: updated.id,
          syncId: null,
          destinationIds: newlyOn,
          at: new Date().toISOString(),
        }),
      );
    }
    return serializeAudience(updated);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", "Another audience already uses this source cohort", [
        { path: "source_cohort", message: "already taken" },
      ]);
    throw error;
  }
}
