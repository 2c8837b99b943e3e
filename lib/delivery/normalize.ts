// Identifier normalisation, hashing and log redaction shared by every destination module.
import { createHash } from "node:crypto";
import { isIP } from "node:net";
import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import { normalizeEmail, normalizeEmailGoogle, normalizePhoneE164 } from "@/lib/delivery/identity/fields";

export {
  normalizeCountry,
  normalizeDateOfBirth,
  normalizeEmail,
  normalizeEmailGoogle,
  normalizeGender,
  normalizeName,
  normalizeNameGoogle,
  normalizePhoneE164,
  normalizePhoneMeta,
  normalizePlace,
  normalizeState,
  normalizeZip,
} from "@/lib/delivery/identity/fields";

export const REDACTED = "[redacted]";

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** A lowercase SHA-256 hex digest (what every platform receives). */
export function isSha256Hex(value: unknown): value is string {
  return typeof value === "string" && /^[0-9a-f]{64}$/.test(value);
}

/** A value already hashed (64 hex characters, either case) lower-cased, else undefined. */
export function asSha256(value: unknown): string | undefined {
  const v = typeof value === "string" ? value.trim() : "";
  return /^[0-9a-f]{64}$/i.test(v) ? v.toLowerCase() : undefined;
}

/** Hashes `raw` after `normalize`; an existing SHA-256 hex (upper or lower case) passes through lower-cased. */
export function hashWith(
  raw: string | undefined,
  normalize: (value: string) => string | undefined,
): string | undefined {
  if (raw === undefined) return undefined;
  const hashed = asSha256(raw);
  if (hashed) return hashed;
  const normalized = normalize(raw);
  return normalized ? sha256Hex(normalized) : undefined;
}

/** A trimmed non-empty string (numbers are stringified), else undefined. */
export function text(value: unknown): string | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed || undefined;
}

export function numberOf(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}

export interface Identifiers {
  email?: string;
  emailSha256?: string;
  phone?: string;
  phoneSha256?: string;
  firstName?: string;
  lastName?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  /** As given (female, M, ...): normalised to f / m when sent. */
  gender?: string;
  /** As given (1990-05-17, 19900517, ...): normalised to YYYYMMDD when sent. */
  dateOfBirth?: string;
  externalId?: string;
  ip?: string;
  userAgent?: string;
  pageUrl?: string;
  referrer?: string;
  fbp?: string;
  fbc?: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  liFatId?: string;
  clientId?: string;
  sessionId?: string;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Every identifier a destination may use, from traits (then context.traits, traits.address) and context. */
export function pickIdentifiers(event: DeliveryEvent): Identifiers {
  const { traits, context, properties } = event;
  const sources = [traits, record(context.traits), record(traits.address), record(record(context.traits).address)];
  const trait = (...keys: string[]) => {
    for (const source of sources)
      for (const key of keys) {
        const value = text(source[key]);
        if (value !== undefined) return value;
      }
    return undefined;
  };
  const ctx = (...keys: string[]) => keys.map((k) => text(context[k])).find((v) => v !== undefined);
  const page = record(context.page);
  const emailSha256 = trait("email_sha256", "sha256_email");
  const phoneSha256 = trait("phone_sha256", "sha256_phone");
  const ids: Identifiers = {
    email: trait("email"),
    emailSha256: asSha256(emailSha256),
    phone: trait("phone", "phone_number"),
    phoneSha256: asSha256(phoneSha256),
    firstName: trait("first_name", "firstName"),
    lastName: trait("last_name", "lastName"),
    city: trait("city"),
    state: trait("state", "region"),
    zip: trait("zip", "postal_code", "postalCode", "zip_code"),
    country: trait("country", "country_code"),
    gender: trait("gender", "sex"),
    dateOfBirth: trait("date_of_birth", "dateOfBirth", "birthday", "dob", "birth_date"),
    externalId: text(event.userId),
    ip: ctx("ip"),
    userAgent: ctx("userAgent", "user_agent"),
    pageUrl: text(page.url),
    referrer: text(page.referrer),
    fbp: ctx("fbp"),
    fbc: ctx("fbc"),
    gclid: ctx("gclid"),
    gbraid: ctx("gbraid"),
    wbraid: ctx("wbraid"),
    liFatId: ctx("li_fat_id"),
    clientId: text(properties.client_id) ?? ctx("client_id") ?? text(event.anonymousId),
    sessionId: ctx("ga_session_id", "session_id"),
  };
  return Object.fromEntries(Object.entries(ids).filter(([, v]) => v !== undefined)) as Identifiers;
}

/** meta: trim + lowercase (also LinkedIn); ga4: gmail dots removed; google (Data Manager): gmail dots and +suffix removed. */
export type EmailRules = "meta" | "ga4" | "google";

/** GA4's email rule: gmail / googlemail lose the local part's dots (the Measurement Protocol asks no more). */
function normalizeEmailGa4(raw: string): string | undefined {
  const email = normalizeEmail(raw);
  if (!email) return undefined;
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1);
  return domain === "gmail.com" || domain === "googlemail.com"
    ? `${email.slice(0, at).replaceAll(".", "")}@${domain}`
    : email;
}

const EMAIL_RULES = { meta: normalizeEmail, ga4: normalizeEmailGa4, google: normalizeEmailGoogle };

/** The SHA-256 of the email under one platform's rules (a supplied hash passes through). */
export function emailHash(ids: Identifiers, rules: EmailRules): string | undefined {
  return hashWith(ids.email, EMAIL_RULES[rules]) ?? ids.emailSha256;
}

/** The SHA-256 of the phone: Meta hashes the E.164 digits without '+', Google and GA4 the E.164 form with it. */
export function phoneHash(ids: Identifiers, rules: EmailRules): string | undefined {
  const e164 = (raw: string) => normalizePhoneE164(raw, ids.country);
  const normalize = rules === "meta" ? (raw: string) => e164(raw)?.slice(1) : e164;
  return hashWith(ids.phone, normalize) ?? ids.phoneSha256;
}

export interface Consent {
  adUserData?: boolean;
  adPersonalization?: boolean;
}

function consentFlag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  const v = text(value)?.toLowerCase();
  if (v === "granted" || v === "consent_granted" || v === "true") return true;
  if (v === "denied" || v === "consent_denied" || v === "false") return false;
  return undefined;
}

/** context.consent as { ad_user_data, ad_personalization } (booleans or GRANTED / DENIED). */
export function pickConsent(event: DeliveryEvent): Consent {
  const c = record(event.context.consent);
  const consent: Consent = {
    adUserData: consentFlag(c.ad_user_data ?? c.adUserData),
    adPersonalization: consentFlag(c.ad_personalization ?? c.adPersonalization),
  };
  return Object.fromEntries(Object.entries(consent).filter(([, v]) => v !== undefined)) as Consent;
}

const PII_KEYS = new Set([
  "email",
  "emailaddress",
  "em",
  "phone",
  "phonenumber",
  "ph",
  "mobile",
  "firstname",
  "lastname",
  "givenname",
  "familyname",
  "fullname",
  "fn",
  "ln",
  "ip",
  "ipaddress",
  "clientipaddress",
  "ipoverride",
  "street",
  "streetaddress",
  "city",
  "ct",
  "zip",
  "zp",
  "postalcode",
  "zipcode",
  "dob",
  "db",
  "dateofbirth",
  "birthday",
]);
const SECRET_KEYS = new Set([
  "accesstoken",
  "apisecret",
  "authorization",
  "token",
  "password",
  "secret",
  "signingsecret",
]);
const EMAIL_IN_TEXT = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi;

/** What an IP address can look like (net.isIP decides): hex digits, dots and colons, a zone after %. */
const MAYBE_IP = /^\s*[0-9a-f.:]{2,45}(%\S+)?\s*$/i;

function redactScalar(value: unknown, piiKey: boolean): unknown {
  if (typeof value !== "string") return piiKey && typeof value === "number" ? REDACTED : value;
  if (piiKey) return isSha256Hex(value) ? value : REDACTED;
  if (MAYBE_IP.test(value) && isIP(value.trim())) return REDACTED;
  return value.includes("@") ? value.replace(EMAIL_IN_TEXT, REDACTED) : value;
}

/** Keys as the redaction lists spell them, remembered: every event of a batch repeats the same few. */
const comparableKeys = new Map<string, string>();
function comparableKey(key: string): string {
  let k = comparableKeys.get(key);
  if (k === undefined) {
    k = key.toLowerCase().replace(/[^a-z0-9]/g, "");
    if (comparableKeys.size < 10_000) comparableKeys.set(key, k);
  }
  return k;
}

/** A copy of a request body fit for the delivery log: raw PII and credentials replaced, hashes kept. */
export function redactBody(value: unknown, key = ""): unknown {
  const k = comparableKey(key);
  if (SECRET_KEYS.has(k)) return REDACTED;
  if (Array.isArray(value)) return value.map((item) => redactBody(item, key));
  if (value && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [childKey, child] of Object.entries(value)) {
      const redacted = redactBody(child, childKey);
      // Defined, not assigned: a "__proto__" key stays a key.
      if (childKey === "__proto__")
        Object.defineProperty(copy, childKey, {
          value: redacted,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else copy[childKey] = redacted;
    }
    return copy;
  }
  return redactScalar(value, PII_KEYS.has(k));
}
