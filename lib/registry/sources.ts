// Sources (upstream systems such as heap or backend) and their write keys.

import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { generateSecret } from "@/lib/auth/secrets";
import { db } from "@/lib/db";
import { AppError, isUniqueViolation, notFound } from "@/lib/errors";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { invalidateWriteKeys } from "@/lib/ingest/write-keys";
import { recordAudit } from "@/lib/registry/audit";
import type { sourceCreateSchema, writeKeyCreateSchema } from "@/lib/validations/sources";

export async function listSources(actor: Actor) {
  assertCan(actor, "workspace.read");
  const [sources, keys] = await Promise.all([
    db().source.findMany({
      where: { workspaceId: actor.workspaceId },
      include: { _count: { select: { mappings: true } } },
      orderBy: { key: "asc" },
    }),
    db().writeKey.findMany({ where: { workspaceId: actor.workspaceId }, orderBy: { createdAt: "asc" } }),
  ]);
  const keyOf = new Map(sources.map((s) => [s.id, s.key]));
  return {
    total: sources.length,
    rows: sources.map((s) => ({
      id: s.id,
      key: s.key,
      name: s.name,
      description: s.description,
      mapping_count: s._count.mappings,
      created_at: s.createdAt.toISOString(),
      write_keys: keys
        .filter((k) => k.defaultSourceId === s.id)
        .map((k) => ({
          id: k.id,
          name: k.name,
          prefix: k.prefix,
          test: k.test,
          created_by_me: k.createdById === actor.userId,
          allowed_sources: k.allowedSourceIds.map((id) => keyOf.get(id) ?? id),
          last_used_at: k.lastUsedAt?.toISOString() ?? null,
          revoked_at: k.revokedAt?.toISOString() ?? null,
          created_at: k.createdAt.toISOString(),
        })),
    })),
  };
}

export async function createSource(actor: Actor, input: z.output<typeof sourceCreateSchema>) {
  assertCan(actor, "source.manage");
  try {
    const source = await db().$transaction(async (tx) => {
      const row = await tx.source.create({ data: { workspaceId: actor.workspaceId, ...input } });
      await recordAudit(tx, actor, {
        action: "source.create",
        entityType: "source",
        entityId: row.id,
        summary: `created source ${row.key}`,
        after: input,
      });
      return row;
    });
    invalidateRegistry(actor.workspaceId);
    return {
      id: source.id,
      key: source.key,
      name: source.name,
      description: source.description,
      created_at: source.createdAt.toISOString(),
    };
  } catch (error) {
    if (isUniqueViolation(error))
      throw new AppError("conflict", `Source ${input.key} already exists`, [
        { path: "key", message: "already exists" },
      ]);
    throw error;
  }
}

/** Creates a write key; its secret value is returned this once and stored only as a hash. */
export async function createWriteKey(actor: Actor, sourceId: string, input: z.output<typeof writeKeyCreateSchema>) {
  assertCan(actor, input.test ? "mapping.validate" : "writeKey.manage");
  return db().$transaction(async (tx) => {
    const source = await tx.source.findFirst({ where: { id: sourceId, workspaceId: actor.workspaceId } });
    if (!source) throw notFound("Source");
    const allowed = await tx.source.findMany({
      where: { workspaceId: actor.workspaceId, key: { in: input.allowed_sources } },
    });
    const missing = input.allowed_sources.filter((k) => !allowed.some((s) => s.key === k));
    if (missing.length) {
      throw new AppError(
        "unprocessable",
        "Unknown source in allow-list",
        missing.map((k) => ({
          path: `allowed_sources.${input.allowed_sources.indexOf(k)}`,
          message: `no source "${k}" in this workspace`,
        })),
      );
    }
    const secret = generateSecret("wk");
    const key = await tx.writeKey.create({
      data: {
        workspaceId: actor.workspaceId,
        name: input.name,
        prefix: secret.prefix,
        keyHash: secret.hash,
        defaultSourceId: source.id,
        allowedSourceIds: allowed.map((s) => s.id).filter((id) => id !== source.id),
        test: input.test,
        createdById: actor.userId,
      },
    });
    await recordAudit(tx, actor, {
      action: "write_key.create",
      entityType: "write_key",
      entityId: key.id,
      summary: `created ${key.test ? "test " : ""}write key ${key.prefix}… for ${source.key}`,
      after: { name: key.name, source: source.key, allowed_sources: input.allowed_sources, test: key.test },
    });
    return {
      id: key.id,
      name: key.name,
      prefix: key.prefix,
      source: source.key,
      test: key.test,
      key: secret.value,
      created_at: key.createdAt.toISOString(),
    };
  });
}

/** Admins revoke any key; whoever created a test key (e.g. an engineer validating a mapping) may revoke it. */
export const mayRevokeWriteKey = (actor: Actor, key: { test: boolean; createdById: string | null }) =>
  can(actor.role, "writeKey.manage") ||
  (key.test && key.createdById === actor.userId && can(actor.role, "mapping.validate"));

export async function revokeWriteKey(actor: Actor, sourceId: string, keyId: string) {
  // Checked before the lookup for those who may revoke nothing, so they learn nothing about ids.
  if (!can(actor.role, "mapping.validate")) assertCan(actor, "writeKey.manage");
  const revoked = await db().$transaction(async (tx) => {
    const key = await tx.writeKey.findFirst({
      where: { id: keyId, defaultSourceId: sourceId, workspaceId: actor.workspaceId },
    });
    if (!key) throw notFound("Write key");
    if (!mayRevokeWriteKey(actor, key))
      throw new AppError("forbidden", "Only an admin, or the person who created this test key, may revoke it");
    const revokedAt = key.revokedAt ?? new Date();
    if (!key.revokedAt) {
      await tx.writeKey.update({ where: { id: key.id }, data: { revokedAt } });
      await recordAudit(tx, actor, {
        action: "write_key.revoke",
        entityType: "write_key",
        entityId: key.id,
        summary: `revoked write key ${key.prefix}…`,
      });
    }
    return { id: key.id, prefix: key.prefix, revoked_at: revokedAt.toISOString() };
  });
  invalidateWriteKeys();
  return revoked;
}
