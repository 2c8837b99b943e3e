// Oracle test for identifier hashing (issue 16). Meta: the official Node business SDK
// (facebook-nodejs-business-sdk, ServerSideUtils.normalizeAndHash / UserData) against our one code
// path (metaKeys over pickIdentifiers) on a corpus of tricky inputs. Where the SDK contradicts Meta's
// customer-information-parameters documentation, the case says why and pins the documented form.
// Google: the examples published in the Data Manager API's "Format user data" guide.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { googleKeys, metaKeys } from "@/lib/delivery/identity/match-keys";
import { pickIdentifiers, sha256Hex } from "@/lib/delivery/normalize";
import { makeEvent } from "./destination-fixtures";

type Field = "em" | "ph" | "fn" | "ln" | "ct" | "st" | "zp" | "country" | "ge" | "db" | "external_id";

interface Case {
  field: Field;
  input: string;
  /** The event's / profile's country, when the rule depends on it. */
  country?: string;
  /** Only when the SDK contradicts Meta's docs: the documented normalised value (a hash as is; null: not sendable) and why. */
  docs?: { value: string | null; why: string };
}

const TRAIT: Record<Exclude<Field, "external_id">, string> = {
  em: "email",
  ph: "phone",
  fn: "first_name",
  ln: "last_name",
  ct: "city",
  st: "state",
  zp: "zip",
  country: "country",
  ge: "gender",
  db: "date_of_birth",
};

const UPPER = sha256Hex("someone@example.com").toUpperCase();
const NO_CC = "Meta: phone numbers must include the country code; the SDK does not add it from the known country";
const TRUNK = "Meta: no national trunk 0 after the country code; the SDK keeps it";
const COUNTRY = "Meta: country as ISO 3166-1 alpha-2; the SDK throws on names / aliases, we map them to the code";
const STATE = "Meta: US states as the 2-letter ANSI code; the SDK hashes the name as written";
const ZIP_DASH =
  "Meta: postal codes without spaces and dashes, only US ZIPs cut to 5 digits; the SDK cuts every code at '-'";
const ZIP_US = "Meta: US ZIP is the first 5 digits; the SDK only cuts at a dash";
const PUNCT = "Meta: names and cities lowercase without punctuation; the SDK keeps it";
const DOB = "Meta: date of birth as YYYYMMDD; the SDK hashes the date as written";
const EXTERNAL =
  "Meta recommends hashing external_id (and the same form as the audience EXTERN_ID); the SDK sends it raw";

const CORPUS: Case[] = [
  // email
  { field: "em", input: "john.doe@gmail.com" },
  { field: "em", input: " John.Doe@Gmail.com " },
  { field: "em", input: "USER+tag@Example.COM" },
  { field: "em", input: "first.last@sub.example.co.uk" },
  { field: "em", input: "not an email" },
  { field: "em", input: "missing-at.example.com" },
  { field: "em", input: UPPER },
  { field: "em", input: UPPER.toLowerCase() },
  // phone
  { field: "ph", input: "+1 (650) 555-1212" },
  { field: "ph", input: "+1 650 555 1212", country: "US" },
  { field: "ph", input: "1-650-555-1212" },
  { field: "ph", input: "001 650 555 1212" },
  { field: "ph", input: "+44 7911 123456" },
  { field: "ph", input: "0044 7911 123456" },
  { field: "ph", input: "+49 151 1234 5678" },
  { field: "ph", input: "0049 30 1234567" },
  { field: "ph", input: "+33 6 12 34 56 78" },
  { field: "ph", input: "0033612345678" },
  { field: "ph", input: "+81 3-1234-5678" },
  { field: "ph", input: "+61 4 1234 5678" },
  { field: "ph", input: "+91 98765 43210" },
  { field: "ph", input: "+55 11 91234-5678" },
  { field: "ph", input: "12" },
  { field: "ph", input: UPPER },
  { field: "ph", input: "(650) 555-1212", country: "US", docs: { value: "16505551212", why: NO_CC } },
  { field: "ph", input: "650.555.1212", country: "US", docs: { value: "16505551212", why: NO_CC } },
  { field: "ph", input: "030 1234567", country: "DE", docs: { value: "49301234567", why: NO_CC } },
  { field: "ph", input: "07911 123456", country: "GB", docs: { value: "447911123456", why: NO_CC } },
  { field: "ph", input: "+49 (0) 30 1234567", docs: { value: "49301234567", why: TRUNK } },
  { field: "ph", input: "+44 (0)20 7946 0958", docs: { value: "442079460958", why: TRUNK } },
  { field: "ph", input: "+33 (0)6 12 34 56 78", docs: { value: "33612345678", why: TRUNK } },
  // first / last name
  { field: "fn", input: "John" },
  { field: "fn", input: "  JOHN " },
  { field: "fn", input: "Zoë" },
  { field: "fn", input: "Mary Ann" },
  { field: "fn", input: UPPER },
  { field: "ln", input: "Doe" },
  { field: "ln", input: "MÜLLER" },
  { field: "ln", input: "O'Doe", docs: { value: "odoe", why: PUNCT } },
  { field: "ln", input: "Smith-Jones", docs: { value: "smithjones", why: PUNCT } },
  // city
  { field: "ct", input: "San Francisco" },
  { field: "ct", input: "St. Louis" },
  { field: "ct", input: "Zürich" },
  { field: "ct", input: UPPER },
  { field: "ct", input: "New York, NY", docs: { value: "newyorkny", why: PUNCT } },
  // state
  { field: "st", input: "CA" },
  { field: "st", input: " ny " },
  { field: "st", input: "Bayern", country: "DE" },
  { field: "st", input: UPPER },
  { field: "st", input: "California", country: "US", docs: { value: "ca", why: STATE } },
  { field: "st", input: "New York", docs: { value: "ny", why: STATE } },
  { field: "st", input: "District of Columbia", country: "US", docs: { value: "dc", why: STATE } },
  // zip
  { field: "zp", input: "94035-1234", country: "US" },
  { field: "zp", input: "94035" },
  { field: "zp", input: "SW1A 1AA", country: "GB" },
  { field: "zp", input: "10115", country: "DE" },
  { field: "zp", input: UPPER },
  { field: "zp", input: "1234-567", country: "PT", docs: { value: "1234567", why: ZIP_DASH } },
  { field: "zp", input: "94035 1234", country: "US", docs: { value: "94035", why: ZIP_US } },
  // country
  { field: "country", input: "US" },
  { field: "country", input: "us" },
  { field: "country", input: " gb " },
  { field: "country", input: "DE" },
  { field: "country", input: UPPER },
  { field: "country", input: "United States", docs: { value: "us", why: COUNTRY } },
  { field: "country", input: "USA", docs: { value: "us", why: COUNTRY } },
  { field: "country", input: "UK", docs: { value: "gb", why: COUNTRY } },
  { field: "country", input: "Germany", docs: { value: "de", why: COUNTRY } },
  // gender, date of birth
  { field: "ge", input: "f" },
  { field: "ge", input: "Female" },
  { field: "ge", input: " M " },
  { field: "ge", input: "male" },
  { field: "ge", input: "unknown" },
  { field: "ge", input: UPPER },
  { field: "db", input: "19900517" },
  { field: "db", input: UPPER },
  { field: "db", input: "1990-05-17", docs: { value: "19900517", why: DOB } },
  { field: "db", input: "1990/05/17", docs: { value: "19900517", why: DOB } },
  // external id
  {
    field: "external_id",
    input: UPPER,
    docs: {
      value: UPPER.toLowerCase(),
      why: "Meta: hashes as lowercase hex; the SDK passes external_id through as given",
    },
  },
  { field: "external_id", input: "cust_2048", docs: { value: "cust_2048", why: EXTERNAL } },
];

// The SDK ships no type declarations: required untyped, its two entry points typed here.
const { ServerSideUtils, UserData } = createRequire(import.meta.url)("facebook-nodejs-business-sdk") as {
  ServerSideUtils: { normalizeAndHash(input: string, field: string): string | null };
  UserData: new () => { setExternalId(id: string): { normalize(): { external_id?: string[] } } };
};

/** The SDK's hash, or null when it refuses the value (throws) or drops it. */
function sdkHash(c: Case): string | null {
  try {
    if (c.field === "external_id") {
      const id = new UserData().setExternalId(c.input).normalize().external_id?.[0] ?? null;
      return id;
    }
    return ServerSideUtils.normalizeAndHash(c.input, c.field) ?? null;
  } catch {
    return null;
  }
}

/** Ours: the value as the Conversions API / audiences would send it (metaKeys over the event's identifiers). */
function ourHash(c: Case): string | null {
  const event =
    c.field === "external_id"
      ? makeEvent({ userId: c.input, traits: {} })
      : makeEvent({ traits: { [TRAIT[c.field]]: c.input, ...(c.country ? { country: c.country } : {}) } });
  return metaKeys(pickIdentifiers(event))[c.field] ?? null;
}

test("Meta oracle: our hashes equal the official Node business SDK's, except where it contradicts Meta's docs", (t) => {
  assert.ok(CORPUS.length >= 60, `corpus has ${CORPUS.length} inputs`);
  let agree = 0;
  const divergent: string[] = [];
  for (const c of CORPUS) {
    const label = `${c.field} ${JSON.stringify(c.input)}${c.country ? ` (${c.country})` : ""}`;
    const ours = ourHash(c);
    const theirs = sdkHash(c);
    if (!c.docs) {
      assert.equal(ours, theirs, `${label}: differs from the SDK`);
      agree++;
      continue;
    }
    const { value } = c.docs;
    const documented = value === null ? null : /^[0-9a-f]{64}$/.test(value) ? value : sha256Hex(value);
    assert.equal(ours, documented, `${label}: not the documented form (${c.docs.why})`);
    assert.notEqual(theirs, ours, `${label}: the SDK now agrees; drop the docs note`);
    divergent.push(`${label}: ${c.docs.why}`);
  }
  t.diagnostic(
    `${CORPUS.length} inputs: ${agree} equal to the SDK, ${divergent.length} follow Meta's docs over the SDK`,
  );
  for (const line of divergent) t.diagnostic(line);
});

/** Google's "Format user data" guide (Data Manager API): its published examples, normalised then SHA-256 hex. */
const GOOGLE_EXAMPLES: {
  key: "emailAddress" | "phoneNumber" | "givenName" | "familyName";
  traits: object;
  normalised: string;
}[] = [
  {
    key: "emailAddress",
    traits: { email: "cloudy.sanfrancisco+shopping@gmail.com" },
    normalised: "cloudysanfrancisco@gmail.com",
  },
  { key: "emailAddress", traits: { email: "user.name+NYC@Example.com" }, normalised: "user.name+nyc@example.com" },
  {
    key: "emailAddress",
    traits: { email: " Cloudy.SanFrancisco@GoogleMail.com " },
    normalised: "cloudysanfrancisco@googlemail.com",
  },
  { key: "phoneNumber", traits: { phone: "(800)555-0100", country: "US" }, normalised: "+18005550100" },
  { key: "phoneNumber", traits: { phone: "+1 800 555 0100" }, normalised: "+18005550100" },
  { key: "givenName", traits: { first_name: "Mrs. Jane" }, normalised: "jane" },
  { key: "givenName", traits: { first_name: "  JANE " }, normalised: "jane" },
  { key: "familyName", traits: { last_name: "Smith Jr." }, normalised: "smith" },
  { key: "familyName", traits: { last_name: "Doe III" }, normalised: "doe" },
];

test("Google oracle: the Data Manager formatting guide's examples", () => {
  for (const example of GOOGLE_EXAMPLES) {
    const keys = googleKeys(pickIdentifiers(makeEvent({ traits: example.traits as Record<string, unknown> })));
    assert.equal(keys[example.key], sha256Hex(example.normalised), JSON.stringify(example.traits));
  }
  const address = googleKeys(pickIdentifiers(makeEvent({ traits: { country: "United States", zip: "94043" } })));
  assert.equal(address.regionCode, "US", "region code: ISO alpha-2, upper case");
  assert.equal(address.postalCode, "94043", "postal code: sent in clear");
});
