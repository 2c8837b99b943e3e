// The one code path from a person's identifiers to what each ad platform matches on: Meta's hashed
// customer-information parameters (Conversions API user_data and custom-audience rows alike) and
// Google's Data Manager user identifiers (conversions and Customer Match alike). The inspector's
// checks and the match-quality trait read these too, so all of them agree on what is matchable.
import {
  normalizeCountry,
  normalizeDateOfBirth,
  normalizeGender,
  normalizeName,
  normalizeNameGoogle,
  normalizePlace,
  normalizeState,
  normalizeZip,
} from "@/lib/delivery/identity/fields";
import { emailHash, hashWith, type Identifiers, phoneHash } from "@/lib/delivery/normalize";

/** Meta's hashed keys (SHA-256 lowercase hex), named as in user_data. */
export interface MetaKeys {
  em?: string;
  ph?: string;
  fn?: string;
  ln?: string;
  ge?: string;
  db?: string;
  ct?: string;
  st?: string;
  zp?: string;
  country?: string;
  external_id?: string;
}

/**
 * Meta's external_id: the SHA-256 of the id as given (trimmed; ids are case-sensitive), a supplied
 * hash lower-cased. Meta recommends hashing it and asks for the same form on every channel, so the
 * Conversions API's external_id and the custom audience's EXTERN_ID are both this value.
 */
export function metaExternalId(id: string | null | undefined): string | undefined {
  const trimmed = id?.trim();
  return trimmed ? hashWith(trimmed, (v) => v) : undefined;
}

export function metaKeys(ids: Identifiers): MetaKeys {
  const country = ids.country;
  const keys: MetaKeys = {
    em: emailHash(ids, "meta"),
    ph: phoneHash(ids, "meta"),
    fn: hashWith(ids.firstName, normalizeName),
    ln: hashWith(ids.lastName, normalizeName),
    ge: hashWith(ids.gender, normalizeGender),
    db: hashWith(ids.dateOfBirth, normalizeDateOfBirth),
    ct: hashWith(ids.city, normalizePlace),
    st: hashWith(ids.state, (v) => normalizeState(v, country)),
    zp: hashWith(ids.zip, (v) => normalizeZip(v, country)),
    country: hashWith(ids.country, normalizeCountry),
    external_id: metaExternalId(ids.externalId),
  };
  return Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as MetaKeys;
}

/** Google's user identifiers: hashed email, phone and names; region and postal code in clear, as the API takes them. */
export interface GoogleKeys {
  emailAddress?: string;
  phoneNumber?: string;
  givenName?: string;
  familyName?: string;
  /** ISO 3166-1 alpha-2, upper case. */
  regionCode?: string;
  postalCode?: string;
}

export function googleKeys(ids: Identifiers): GoogleKeys {
  const keys: GoogleKeys = {
    emailAddress: emailHash(ids, "google"),
    phoneNumber: phoneHash(ids, "google"),
    givenName: hashWith(ids.firstName, normalizeNameGoogle),
    familyName: hashWith(ids.lastName, normalizeNameGoogle),
    regionCode: ids.country ? normalizeCountry(ids.country)?.toUpperCase() : undefined,
    postalCode: ids.zip?.trim() || undefined,
  };
  return Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as GoogleKeys;
}

/** Data Manager userIdentifiers: email, phone, and an address when names, region and postal code are all known. */
export function googleUserIdentifiers(ids: Identifiers): Record<string, unknown>[] {
  const k = googleKeys(ids);
  const address =
    k.givenName && k.familyName && k.regionCode && k.postalCode
      ? { givenName: k.givenName, familyName: k.familyName, regionCode: k.regionCode, postalCode: k.postalCode }
      : undefined;
  return [
    k.emailAddress && { emailAddress: k.emailAddress },
    k.phoneNumber && { phoneNumber: k.phoneNumber },
    address && { address },
  ].filter(Boolean) as Record<string, unknown>[];
}
