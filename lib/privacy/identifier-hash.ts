// Keyed hashes of a person's identifiers (HMAC-SHA256 with a key derived from TRACKLAYER_ENCRYPTION_KEY
// and scoped to the workspace): what suppressions and deletion requests keep instead of the value.
import { createHash, createHmac } from "node:crypto";
import { encryptionKey } from "@/lib/env";
import { AppError } from "@/lib/errors";

import type { IdentifierKind } from "@/lib/validations/privacy";

export type { IdentifierKind };

function privacyKey(): Buffer {
  const value = encryptionKey();
  if (!value)
    throw new AppError("internal", "TRACKLAYER_ENCRYPTION_KEY is not set: identifiers cannot be hashed for privacy");
  // A key of its own: the hashes never reveal anything about the credential-sealing key.
  return createHash("sha256").update(`tracklayer-privacy-v1:${value}`).digest();
}

/** E-mails compare trimmed and lower-cased; ids as sent. */
export function normalizeIdentifier(kind: IdentifierKind, value: string): string {
  return kind === "email" ? value.trim().toLowerCase() : value;
}

/** The keyed hash of one identifier in one workspace (hex). */
export function hashIdentifier(workspaceId: string, kind: IdentifierKind, value: string): string {
  return createHmac("sha256", privacyKey())
    .update(`${workspaceId}\u0000${kind}\u0000${normalizeIdentifier(kind, value)}`)
    .digest("hex");
}

/** A short, non-reversible label for pages and receipts ("email #3fa9c1"). */
export const hashLabel = (kind: string, hash: string) => `${kind} #${hash.slice(0, 8)}`;
