// Countries and US states as the platforms match them: ISO 3166-1 alpha-2 from codes, names and
// common aliases (i18n-iso-countries' English names), and US states as their 2-letter ANSI codes.
// The package's Node entry registers its locales itself (no JSON module import needed here).
import countries from "i18n-iso-countries";

/** Aliases the library's English names lack (checked lower-case, without dots). */
const COUNTRY_ALIASES: Record<string, string> = {
  uk: "gb",
  england: "gb",
  scotland: "gb",
  wales: "gb",
  "northern ireland": "gb",
  holland: "nl",
  deutschland: "de",
  us: "us",
  america: "us",
};

/** ISO 3166-1 alpha-2 in lower case for a code (alpha-2 or alpha-3), an English name or an alias; else undefined. */
export function countryCode(raw: string): string | undefined {
  const value = raw.trim().replace(/\./g, "").replace(/\s+/g, " ");
  if (!value) return undefined;
  const lower = value.toLowerCase();
  if (COUNTRY_ALIASES[lower]) return COUNTRY_ALIASES[lower];
  if (/^[a-z]{2}$/i.test(value)) return countries.isValid(value.toUpperCase()) ? lower : undefined;
  if (/^[a-z]{3}$/i.test(value)) {
    const alpha2 = countries.alpha3ToAlpha2(value.toUpperCase());
    if (alpha2) return alpha2.toLowerCase();
  }
  return countries.getAlpha2Code(value, "en")?.toLowerCase();
}

/** US states, DC and territories: ANSI (USPS) 2-letter codes by name. */
const US_STATES: Record<string, string> = {
  alabama: "al",
  alaska: "ak",
  arizona: "az",
  arkansas: "ar",
  california: "ca",
  colorado: "co",
  connecticut: "ct",
  delaware: "de",
  "district of columbia": "dc",
  "washington dc": "dc",
  florida: "fl",
  georgia: "ga",
  hawaii: "hi",
  idaho: "id",
  illinois: "il",
  indiana: "in",
  iowa: "ia",
  kansas: "ks",
  kentucky: "ky",
  louisiana: "la",
  maine: "me",
  maryland: "md",
  massachusetts: "ma",
  michigan: "mi",
  minnesota: "mn",
  mississippi: "ms",
  missouri: "mo",
  montana: "mt",
  nebraska: "ne",
  nevada: "nv",
  "new hampshire": "nh",
  "new jersey": "nj",
  "new mexico": "nm",
  "new york": "ny",
  "north carolina": "nc",
  "north dakota": "nd",
  ohio: "oh",
  oklahoma: "ok",
  oregon: "or",
  pennsylvania: "pa",
  "rhode island": "ri",
  "south carolina": "sc",
  "south dakota": "sd",
  tennessee: "tn",
  texas: "tx",
  utah: "ut",
  vermont: "vt",
  virginia: "va",
  washington: "wa",
  "west virginia": "wv",
  wisconsin: "wi",
  wyoming: "wy",
  "american samoa": "as",
  guam: "gu",
  "northern mariana islands": "mp",
  "puerto rico": "pr",
  "us virgin islands": "vi",
  "virgin islands": "vi",
};
const US_CODES = new Set(Object.values(US_STATES));

/** The ANSI code of a US state given by name or code (any case, dots and extra spaces ignored); else undefined. */
export function usStateCode(raw: string): string | undefined {
  const value = raw.toLowerCase().replace(/[.,]/g, "").replace(/\s+/g, " ").trim();
  if (US_CODES.has(value)) return value;
  return US_STATES[value];
}
