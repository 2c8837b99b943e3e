// The workspace's Heap segment sync settings: a URL token that names the workspace in the
// webhook URL and the signing secret Heap signs with (sealed at rest, shown to admins only).
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { openSecrets, sealSecrets } from "@/lib/delivery/secret-box";
import { recordAudit } from "@/lib/registry/audit";
import type { heapIntegrationSchema } from "@/lib/validations/audiences";

export const HEAP_WEBHOOK_PATH = "/api/integrations/heap/segment-sync";

const token = (bytes: number) => randomBytes(bytes).toString("base64url");

function serialize(row: { urlToken: string; secretEncrypted: string; identityKind: string; updatedAt: Date } | null) {
  if (!row)
    return { configured: false as const, webhook_path: null, secret: null, identity_kind: null, updated_at: null };
  return {
    configured: true as const,
    /** Give Heap this URL (on your TrackLayer host); the token names the workspace. */
    webhook_path: `${HEAP_WEBHOOK_PATH}?workspace=${row.urlToken}`,
    secret: openSecrets(row.secretEncrypted).secret ?? null,
    identity_kind: row.identityKind,
    updated_at: row.updatedAt.toISOString(),
  };
}

export type HeapIntegrationJson = ReturnType<typeof serialize>;

export async function getHeapIntegration(actor: Actor): Promise<HeapIntegrationJson> {
  assertCan(actor, "workspace.settings");
  return serialize(await db().heapIntegration.findUnique({ where: { workspaceId: actor.workspaceId } }));
}

/** Sets it up on first call (token and secret generated); later calls change the identity kind or rotate the secret. */
export async function configureHeapIntegration(
  actor: Actor,
  input: z.output<typeof heapIntegrationSchema>,
): Promise<HeapIntegrationJson> {
  assertCan(actor, "workspace.settings");
  const current = await db().heapIntegration.findUnique({ where: { workspaceId: actor.workspaceId } });
  const secret = !current || input.rotate_secret ? sealSecrets({ secret: token(32) }) : current.secretEncrypted;
  const row = await db().$transaction(async (tx) => {
    const saved = await tx.heapIntegration.upsert({
      where: { workspaceId: actor.workspaceId },
      create: {
        workspaceId: actor.workspaceId,
        urlToken: token(18),
        secretEncrypted: secret,
        identityKind: input.identity_kind,
      },
      update: { secretEncrypted: secret, identityKind: input.identity_kind, updatedAt: new Date() },
    });
    const what = !current
      ? "set up Heap segment sync"
      : input.rotate_secret
        ? "rotated the Heap segment sync secret"
        : "changed Heap segment sync settings";
    await recordAudit(tx, actor, {
      action: "heap.configure",
      entityType: "workspace",
      entityId: actor.workspaceId,
      summary: `${what} (identity: ${input.identity_kind})`,
    });
    return saved;
  });
  return serialize(row);
}
