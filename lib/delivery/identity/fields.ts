// Field normalisers, one per identifier, as Meta's customer-information parameters and Google's
// Data Manager formatting guide require them before hashing. Pure; undefined means "not usable".
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";
import { countryCode, usStateCode } from "@/lib/delivery/identity/regions";

export { countryCode as normalizeCountry, usStateCode };

export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email : undefined;
}

/** Google: whitespace removed anywhere; gmail.com / googlemail.com also lose the local part's dots and any +suffix. */
export function normalizeEmailGoogle(raw: string): string | undefined {
  const email = normalizeEmail(raw.replace(/\s+/g, ""));
  if (!email) return undefined;
  const at = email.lastIndexOf("@");
  const domain = email.slice(at + 1);
  if (domain !== "gmail.com" && domain !== "googlemail.com") return email;
  const local = email.slice(0, at).split("+")[0]?.replaceAll(".", "") ?? "";
  return local ? `${local}@${domain}` : undefined;
}

function region(country: string | undefined): CountryCode | undefined {
  const code = country ? countryCode(country) : undefined;
  return code ? (code.toUpperCase() as CountryCode) : undefined;
}

/**
 * E.164 with '+' (libphonenumber-js). A national number takes its country code from `country`
 * (the event's / profile's); "+" and "00" mark international numbers; a trunk "(0)" after the
 * country code is dropped. Digits that already start with the country's calling code are read as
 * international when that reading is a valid number. Valid readings beat merely possible ones.
 */
export function normalizePhoneE164(raw: string, country?: string): string | undefined {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D/g, "");
  if (digits.length < 4) return undefined;
  const international = parsePhoneNumberFromString(`+${digits.replace(/^00/, "")}`);
  const defaultRegion = /^(\+|00)/.test(trimmed) ? undefined : region(country);
  const national = defaultRegion ? parsePhoneNumberFromString(trimmed, defaultRegion) : undefined;
  const internationalFirst = !national || (international?.isValid() && digits.startsWith(national.countryCallingCode));
  const candidates = internationalFirst ? [international, national] : [national, international];
  const chosen = candidates.find((p) => p?.isValid()) ?? candidates.find((p) => p?.isPossible());
  return chosen?.number;
}

/** Meta: the E.164 digits without '+': country code included, no leading or trunk zeros. */
export function normalizePhoneMeta(raw: string, country?: string): string | undefined {
  return normalizePhoneE164(raw, country)?.slice(1);
}

/** Meta names: lowercase, punctuation and symbols removed, inner whitespace collapsed. */
export function normalizeName(raw: string): string | undefined {
  const name = raw
    .toLowerCase()
    .replace(/[\p{P}\p{S}]/gu, "")
    .replace(/\s+/g, " ")
    .trim();
  return name || undefined;
}

const NAME_PREFIXES = new Set(["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "madam", "rev", "fr"]);
const NAME_SUFFIXES = new Set(["jr", "sr", "ii", "iii", "iv", "v", "phd", "md", "dds", "esq", "mba", "jd"]);
const bare = (token: string) => token.replace(/[.,]/g, "");

/** Google names: lowercase, trimmed, without prefixes (Mr., Mrs., Dr., …) or suffixes (Jr., III, PhD, …). */
export function normalizeNameGoogle(raw: string): string | undefined {
  const tokens = raw.toLowerCase().replace(/,/g, " ").trim().split(/\s+/).filter(Boolean);
  while (tokens.length > 1 && NAME_PREFIXES.has(bare(tokens[0] ?? ""))) tokens.shift();
  while (tokens.length > 1 && NAME_SUFFIXES.has(bare(tokens.at(-1) ?? ""))) tokens.pop();
  const name = tokens.join(" ");
  return name && !NAME_PREFIXES.has(bare(name)) && !NAME_SUFFIXES.has(bare(name)) ? name : undefined;
}

/** Meta city: lowercase letters only (no spaces, digits or punctuation). */
export function normalizePlace(raw: string): string | undefined {
  const place = raw.toLowerCase().replace(/[^\p{L}]/gu, "");
  return place || undefined;
}

/** Meta state: the 2-letter ANSI code for US states (names too); elsewhere lowercase letters only. */
export function normalizeState(raw: string, country?: string): string | undefined {
  const code = country ? countryCode(country) : undefined;
  if (code === undefined || code === "us") {
    const us = usStateCode(raw);
    if (us) return us;
  }
  return normalizePlace(raw);
}

/** Postal code: lowercase without spaces or dashes; US ZIP (and ZIP+4 when the country is unknown): the first 5 digits. */
export function normalizeZip(raw: string, country?: string): string | undefined {
  const zip = raw.toLowerCase().replace(/[\s-]/g, "");
  const code = country ? countryCode(country) : undefined;
  const zip5 = /^(\d{5})(\d{4})?$/.exec(zip);
  if (zip5 && (code === "us" || (code === undefined && /^\d{5}-\d{4}$/.test(raw.trim())))) return zip5[1];
  return zip || undefined;
}

/** Gender as Meta takes it: "f" or "m" (female / male in any case); anything else is not sent. */
export function normalizeGender(raw: string): string | undefined {
  const g = raw.trim().toLowerCase();
  if (g === "f" || g === "female" || g === "w" || g === "woman") return "f";
  if (g === "m" || g === "male" || g === "man") return "m";
  return undefined;
}

/** Date of birth as YYYYMMDD from YYYYMMDD, YYYY-MM-DD (/ or .) or an ISO timestamp; undefined when not a real date. */
export function normalizeDateOfBirth(raw: string): string | undefined {
  const m = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:T.*)?$/.exec(raw.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m as unknown as [string, string, string, string];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d) || Number(y) < 1900) return undefined;
  return `${y}${mo.padStart(2, "0")}${d.padStart(2, "0")}`;
}
