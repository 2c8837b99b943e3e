// Write-key authentication for the ingest endpoints: Bearer, HTTP Basic (key as username,
// as Segment SDKs send it) or `writeKey` in the body. Keys are looked up by hash, cached.
import { hashSecret } from "@/lib/auth/secrets";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { sharedCache } from "@/lib/ingest/ttl-cache";
import { logFailure } from "@/lib/log";

export interface WriteKeyInfo {
  id: string;
  workspaceId: string;
  defaultSourceId: string;
  allowedSourceIds: Set<string>;
  /** A test key: events resolve through the revision under review and reach test-mode destinations only. */
  test: boolean;
}

const LAST_USED_EVERY_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

const cache = sharedCache<WriteKeyInfo | null>("write-keys", 5_000, async (hash) => {
  const key = await db().writeKey.findUnique({ where: { keyHash: hash } });
  if (!key || key.revokedAt) return null;
  return {
    id: key.id,
    workspaceId: key.workspaceId,
    defaultSourceId: key.defaultSourceId,
    allowedSourceIds: new Set([key.defaultSourceId, ...key.allowedSourceIds]),
    test: key.test,
  };
});

/** Revocation takes effect at once on this instance, within the cache TTL on others. */
export function invalidateWriteKeys(): void {
  cache.invalidate();
}

export function writeKeyFromHeaders(headers: Headers): string | null {
  const authorization = headers.get("authorization");
  if (!authorization) return null;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer?.[1]) return bearer[1];
  const basic = /^Basic\s+(\S+)$/i.exec(authorization);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8");
    return decoded.split(":")[0] || null;
  }
  return null;
}

export async function authenticateWriteKey(value: string | null | undefined): Promise<WriteKeyInfo> {
  if (!value)
    throw new AppError(
      "unauthenticated",
      "Send a write key: Authorization: Bearer <key>, or HTTP Basic with the key as username",
    );
  const info = await cache.get(hashSecret(value));
  if (!info) throw new AppError("unauthenticated", "The write key is invalid or revoked");
  touch(info.id);
  return info;
}

function touch(keyId: string) {
  const now = Date.now();
  if ((lastUsedWritten.get(keyId) ?? 0) > now - LAST_USED_EVERY_MS) return;
  lastUsedWritten.set(keyId, now);
  db()
    .writeKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } })
    .catch((error: unknown) => logFailure(`write key ${keyId} last use`, error));
}

/**
 * Test keys exist to validate mappings (events resolve through the revision under review and reach
 * test-mode destinations only). Anything that changes production state — audience members, the
 * identity graph and profile traits — refuses them.
 */
export function assertLiveKey(key: WriteKeyInfo, what: string): void {
  if (key.test)
    throw new AppError(
      "test_key_not_allowed",
      `Test write keys only validate mappings; ${what} needs a live write key (Sources & keys)`,
    );
}
