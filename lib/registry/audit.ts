// Audit log: every change to the registry and workspace, with who, when, before and after;
// listed newest first, keyset paged on (createdAt, id).
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/actor";
import { type AppPrisma, db } from "@/lib/db";
import { keysetOrderBy, keysetPage, keysetWhere } from "@/lib/db/keyset";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { AuditListQuery } from "@/lib/validations/audit";

export type Tx = Parameters<Parameters<AppPrisma["$transaction"]>[0]>[0];

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

const asJson = (v: unknown) => (v === undefined ? undefined : (JSON.parse(JSON.stringify(v)) as Prisma.InputJsonValue));

export async function recordAudit(tx: Tx, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      actorLabel: actor.label,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      summary: entry.summary,
      before: asJson(entry.before),
      after: asJson(entry.after),
    },
  });
}

export async function listAuditLog(actor: Actor, query: AuditListQuery) {
  assertCan(actor, "audit.read");
  const where: Prisma.AuditLogWhereInput = {
    workspaceId: actor.workspaceId,
    ...(query.action ? { action: { startsWith: query.action } } : {}),
    ...(query.entity_type ? { entityType: query.entity_type } : {}),
    ...(query.entity_id ? { entityId: query.entity_id } : {}),
    ...(query.actor ? { actorLabel: { contains: query.actor, mode: "insensitive" } } : {}),
    ...(query.from || query.to ? { createdAt: { gte: query.from, lte: query.to } } : {}),
  };
  const page = query.cursor ? 1 : query.page;
  const read = await db().auditLog.findMany({
    where: { AND: [where, keysetWhere("createdAt", "desc", query.cursor)] },
    orderBy: keysetOrderBy("createdAt", "desc", query.cursor),
    ...(page > 1 ? { skip: (page - 1) * query.per_page } : {}),
    take: query.per_page + 1,
  });
  const offset = (page - 1) * query.per_page;
  const { rows, ...cursors } = keysetPage(
    read,
    query.per_page,
    query.cursor,
    (r) => ({ at: r.createdAt, id: r.id }),
    offset,
  );
  return {
    ...cursors,
    page,
    per_page: query.per_page,
    rows: rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actorLabel,
      entity_type: r.entityType,
      entity_id: r.entityId,
      summary: r.summary,
      before: r.before,
      after: r.after,
      created_at: r.createdAt.toISOString(),
    })),
  };
}
