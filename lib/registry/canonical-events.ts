// The canonical event catalog: names and property schemas that mappings point at.

import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, isUniqueViolation, notFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { recordAudit } from "@/lib/registry/audit";
import type {
  canonicalEventCreateSchema,
  canonicalEventUpdateSchema,
  PropertyDefinition,
} from "@/lib/validations/canonical-events";

type CanonicalEventRecord = Prisma.CanonicalEventGetPayload<{ include: { _count: { select: { revisions: true } } } }>;

function serialize(e: CanonicalEventRecord) {
  return {
    id: e.id,
    name: e.name,
    description: e.description,
    properties: e.properties as PropertyDefinition[],
    revision_count: e._count.revisions,
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
  };
}

export type CanonicalEventJson = ReturnType<typeof serialize>;

const include = { _count: { select: { revisions: true } } } as const;

export async function listCanonicalEvents(actor: Actor) {
  assertCan(actor, "workspace.read");
  const rows = await db().canonicalEvent.findMany({
    where: { workspaceId: actor.workspaceId },
    include,
    orderBy: { name: "asc" },
  });
  return { rows: rows.map(serialize), total: rows.length };
}

export async function createCanonicalEvent(actor: Actor, input: z.output<typeof canonicalEventCreateSchema>) {
  assertCan(actor, "canonicalEvent.manage");
  try {
    const created = await db().$transaction(async (tx) => {
      const row = await tx.canonicalEvent.create({
        data: {
          workspaceId: actor.workspaceId,
          name: input.name,
          description: input.description,
          properties: input.properties,
        },
        include,
      });
      await recordAudit(tx, actor, {
        action: "canonical_event.create",
        entityType: "canonical_event",
        entityId: row.id,
        summary: `created ${row.name}`,
        after: input,
      });
      return row;
    });
    invalidateRegistry(actor.workspaceId);
    return serialize(created);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", `A canonical event named ${input.name} already exists`, [
        { path: "name", message: "already exists" },
      ]);
    }
    throw error;
  }
}

export async function updateCanonicalEvent(
  actor: Actor,
  id: string,
  input: z.output<typeof canonicalEventUpdateSchema>,
) {
  assertCan(actor, "canonicalEvent.manage");
  const updated = await db().$transaction(async (tx) => {
    const current = await tx.canonicalEvent.findFirst({ where: { id, workspaceId: actor.workspaceId } });
    if (!current) throw notFound("Canonical event");
    const row = await tx.canonicalEvent.update({
      where: { id },
      data: {
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.properties !== undefined ? { properties: input.properties } : {}),
      },
      include,
    });
    await recordAudit(tx, actor, {
      action: "canonical_event.edit",
      entityType: "canonical_event",
      entityId: id,
      summary: `edited ${current.name}`,
      before: { description: current.description, properties: current.properties },
      after: { description: row.description, properties: row.properties },
    });
    return row;
  });
  invalidateRegistry(actor.workspaceId);
  return serialize(updated);
}
