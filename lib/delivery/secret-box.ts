// Destination credentials at rest: AES-256-GCM with the key from TRACKLAYER_ENCRYPTION_KEY.
// Ciphertext format: "v1:<iv b64>:<tag b64>:<data b64>". Plaintext never leaves the server.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { encryptionKey } from "@/lib/env";
import { AppError } from "@/lib/errors";

function key(): Buffer {
  const value = encryptionKey();
  if (!value) {
    throw new AppError(
      "internal",
      "TRACKLAYER_ENCRYPTION_KEY is not set: destination credentials cannot be encrypted or read",
    );
  }
  const bytes = Buffer.from(value, "base64");
  if (bytes.length !== 32) throw new AppError("internal", "TRACKLAYER_ENCRYPTION_KEY must be 32 bytes in base64");
  return bytes;
}

export function sealSecrets(secrets: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
}

export function openSecrets(sealed: string | null | undefined): Record<string, string> {
  if (!sealed) return {};
  const [version, iv, tag, data] = sealed.split(":");
  if (version !== "v1" || !iv || !tag || !data) throw new AppError("internal", "Unreadable destination secrets");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64"));
  decipher.setAuthTag(Buffer.from(tag, "base64"));
  const plain = Buffer.concat([decipher.update(Buffer.from(data, "base64")), decipher.final()]).toString("utf8");
  return JSON.parse(plain) as Record<string, string>;
}
