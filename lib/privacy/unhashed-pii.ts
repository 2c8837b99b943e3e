// PII in the wrong place: a raw e-mail address or phone number in an event property that a
// destination forwards as it is (the webhook sends every property, GA4 its scalar params, HubSpot
// its mapped properties) would leave TrackLayer unhashed. Per workspace policy such an event is
// rejected with the field path (block) or the value is normalised and SHA-256-hashed before it is
// stored and sent (hash). Identifiers sent as match keys (traits, context) are hashed by each
// destination already and are not checked here. Pure.
import { isValidPhoneNumber } from "libphonenumber-js/max";
import { z } from "zod";
import { normalizeEmail, normalizePhoneE164, sha256Hex } from "@/lib/delivery/normalize";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import type { UnhashedPiiPolicy } from "@/lib/validations/workspace";

/** Destinations that send event property values unhashed. */
export const FORWARDS_PROPERTIES: ReadonlySet<DestinationType> = new Set(["webhook", "ga4", "hubspot"]);

const emailCheck = z.email();
/** International numbers only ("+49 30 1234567", "0049…"): a bare digit string is as likely an order id. */
const PHONE_SHAPE = /^\s*(\+|00)[\d\s().-]{6,24}$/;
const MAX_DEPTH = 8;

export interface PiiFinding {
  path: string;
  kind: "email" | "phone";
}

function kindOf(value: string): PiiFinding["kind"] | null {
  const v = value.trim();
  if (v.includes("@") && emailCheck.safeParse(v).success) return "email";
  if (PHONE_SHAPE.test(v) && isValidPhoneNumber(v.replace(/^\s*00/, "+"))) return "phone";
  return null;
}

const hashOf = (kind: PiiFinding["kind"], value: string) => {
  const normalized = kind === "email" ? normalizeEmail(value) : normalizePhoneE164(value.replace(/^\s*00/, "+"));
  return sha256Hex(normalized ?? value.trim());
};

/** Walks the properties; returns a copy with every finding hashed, and where each was. */
function walk(value: unknown, path: string, findings: PiiFinding[], depth: number): unknown {
  if (typeof value === "string") {
    const kind = kindOf(value);
    if (!kind) return value;
    findings.push({ path, kind });
    return hashOf(kind, value);
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`, findings, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v, `${path}.${k}`, findings, depth + 1)]),
  );
}

export type PiiGuard =
  | { outcome: "clean" }
  | { outcome: "blocked"; problems: { path: string; message: string }[] }
  | { outcome: "hashed"; properties: Record<string, unknown>; paths: string[] };

/** What the policy makes of an event's canonical properties bound for `types` (clean when none forwards them). */
export function guardUnhashedPii(
  properties: Record<string, unknown>,
  types: Iterable<DestinationType>,
  policy: UnhashedPiiPolicy,
): PiiGuard {
  if (![...types].some((t) => FORWARDS_PROPERTIES.has(t))) return { outcome: "clean" };
  const findings: PiiFinding[] = [];
  const hashed = walk(properties, "properties", findings, 0) as Record<string, unknown>;
  if (findings.length === 0) return { outcome: "clean" };
  if (policy === "hash") return { outcome: "hashed", properties: hashed, paths: findings.map((f) => f.path) };
  return {
    outcome: "blocked",
    problems: findings.map((f) => ({
      path: f.path,
      message: `a raw ${f.kind === "email" ? "e-mail address" : "phone number"} would be sent unhashed to a destination that forwards properties; send it hashed (SHA-256) or as a trait, or set unhashed_pii_policy to hash`,
    })),
  };
}
