// Personal access tokens: shown once, stored hashed, acting with their owner's role.

import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { generateSecret } from "@/lib/auth/secrets";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { recordAudit } from "@/lib/registry/audit";
import type { tokenCreateSchema } from "@/lib/validations/workspace";

const DAY_MS = 86_400_000;

export async function listTokens(actor: Actor) {
  assertCan(actor, "token.manage");
  const rows = await db().personalAccessToken.findMany({
    where: { userId: actor.userId, workspaceId: actor.workspaceId },
    orderBy: { createdAt: "desc" },
  });
  return {
    total: rows.length,
    rows: rows.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      last_used_at: t.lastUsedAt?.toISOString() ?? null,
      expires_at: t.expiresAt?.toISOString() ?? null,
      revoked_at: t.revokedAt?.toISOString() ?? null,
      created_at: t.createdAt.toISOString(),
    })),
  };
}

export async function createToken(actor: Actor, input: z.output<typeof tokenCreateSchema>) {
  assertCan(actor, "token.manage");
  const secret = generateSecret("pat");
  return db().$transaction(async (tx) => {
    const token = await tx.personalAccessToken.create({
      data: {
        userId: actor.userId,
        workspaceId: actor.workspaceId,
        name: input.name,
        prefix: secret.prefix,
        tokenHash: secret.hash,
        expiresAt: input.expires_in_days ? new Date(Date.now() + input.expires_in_days * DAY_MS) : null,
      },
    });
    await recordAudit(tx, actor, {
      action: "token.create",
      entityType: "token",
      entityId: token.id,
      summary: `created token "${token.name}" (${token.prefix}…)`,
    });
    return {
      id: token.id,
      name: token.name,
      prefix: token.prefix,
      token: secret.value,
      expires_at: token.expiresAt?.toISOString() ?? null,
    };
  });
}

export async function revokeToken(actor: Actor, id: string) {
  assertCan(actor, "token.manage");
  return db().$transaction(async (tx) => {
    const token = await tx.personalAccessToken.findFirst({
      where: { id, userId: actor.userId, workspaceId: actor.workspaceId },
    });
    if (!token) throw notFound("Token");
    if (!token.revokedAt) {
      await tx.personalAccessToken.update({ where: { id }, data: { revokedAt: new Date() } });
      await recordAudit(tx, actor, {
        action: "token.revoke",
        entityType: "token",
        entityId: id,
        summary: `revoked token "${token.name}" (${token.prefix}…)`,
      });
    }
    return { id, revoked: true };
  });
}
