// Random credentials (write keys, personal access tokens, link tokens) and their at-rest hashes.
// These are high-entropy, so a fast SHA-256 is the right hash; passwords use argon2 instead.
import { createHash, randomBytes } from "node:crypto";

/** Write keys, personal access tokens, invitation links, password-reset links. */
export type SecretKind = "wk" | "pat" | "inv" | "pwr";

export function generateSecret(kind: SecretKind) {
  const value = `tl_${kind}_${randomBytes(24).toString("base64url")}`;
  return { value, prefix: value.slice(0, 14), hash: hashSecret(value) };
}

export function hashSecret(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}
