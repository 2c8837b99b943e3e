// Identifier normalisation as each platform matches (issue 16): phone with the known country,
// postcode, US state, country names, upper-case hashes, gender, date of birth, external_id, and
// Google's gmail and name rules — and the one code path every sender and reader goes through.
import assert from "node:assert/strict";
import { test } from "node:test";
import { metaAudienceRow } from "@/lib/audiences/platforms/meta";
import { type GoogleAdsConfig, googleAdsEvent } from "@/lib/delivery/destinations/google-ads";
import { type MetaConfig, metaServerEvent } from "@/lib/delivery/destinations/meta";
import { googleKeys, metaExternalId, metaKeys } from "@/lib/delivery/identity/match-keys";
import {
  normalizeCountry,
  normalizeDateOfBirth,
  normalizeEmailGoogle,
  normalizeGender,
  normalizeNameGoogle,
  normalizePhoneE164,
  normalizePhoneMeta,
  normalizeState,
  normalizeZip,
  pickIdentifiers,
  sha256Hex,
} from "@/lib/delivery/normalize";
import { payloadKeys } from "@/lib/inspector/payload-keys";
import { matchQuality, profileIdentifiers } from "@/lib/traits/builtins";
import { makeEvent } from "./destination-fixtures";

test("phone: a national number takes the known country's code; a trunk (0) after the country code is dropped", () => {
  assert.equal(normalizePhoneMeta("(650) 555-1212", "US"), "16505551212");
  assert.equal(normalizePhoneMeta("(650) 555-1212", "United States"), "16505551212");
  assert.equal(normalizePhoneMeta("+49 (0) 30 1234567"), "49301234567");
  assert.equal(normalizePhoneMeta("+44 (0)20 7946 0958", "de"), "442079460958", "an explicit + beats the country");
  assert.equal(normalizePhoneMeta("030 1234567", "DE"), "49301234567");
  assert.equal(normalizePhoneMeta("0049 30 1234567"), "49301234567", "00 is the international prefix");
  assert.equal(normalizePhoneMeta("07911 123456", "gb"), "447911123456");
  assert.equal(normalizePhoneMeta("4915112345678", "DE"), "4915112345678", "already international digits");
  assert.equal(normalizePhoneMeta("1-650-555-1212", "US"), "16505551212");
  assert.equal(normalizePhoneE164("(650) 555-1212", "us"), "+16505551212");
  assert.equal(normalizePhoneE164("12345"), undefined);
  assert.equal(normalizePhoneE164("call me"), undefined);
});

test("phone hashes use the event's / profile's country as the default region", () => {
  const ids = pickIdentifiers(makeEvent({ traits: { phone: "(650) 555-1212", country: "USA" } }));
  assert.equal(metaKeys(ids).ph, sha256Hex("16505551212"));
  assert.equal(googleKeys(ids).phoneNumber, sha256Hex("+16505551212"));
});

test("postcode: lower case, no spaces or dashes; US ZIP keeps the first 5 digits", () => {
  assert.equal(normalizeZip("94035-1234", "US"), "94035");
  assert.equal(normalizeZip("940351234", "us"), "94035");
  assert.equal(normalizeZip("94035-1234"), "94035", "ZIP+4 with no country is still a US ZIP");
  assert.equal(normalizeZip("SW1A 1AA", "GB"), "sw1a1aa");
  assert.equal(normalizeZip("1234-567", "PT"), "1234567", "dashes removed, not cut, outside the US");
  assert.equal(normalizeZip("10115", "de"), "10115");
});

test("state: US states as the 2-letter ANSI code (names too); lower-case letters elsewhere", () => {
  assert.equal(normalizeState("California", "US"), "ca");
  assert.equal(normalizeState("CA"), "ca");
  assert.equal(normalizeState("new  york", "us"), "ny");
  assert.equal(normalizeState("District of Columbia"), "dc");
  assert.equal(normalizeState("Bayern", "DE"), "bayern");
  assert.equal(normalizeState("Georgia", "US"), "ga");
  assert.equal(normalizeState("Île-de-France", "FR"), "îledefrance");
});

test("country: ISO 3166-1 alpha-2 lower case from codes, names and aliases", () => {
  for (const [raw, code] of [
    ["United States", "us"],
    ["USA", "us"],
    ["U.S.A.", "us"],
    ["UK", "gb"],
    ["United Kingdom", "gb"],
    ["Great Britain", "gb"],
    ["DEU", "de"],
    ["Germany", "de"],
    [" FR ", "fr"],
    ["South Korea", "kr"],
  ] as const)
    assert.equal(normalizeCountry(raw), code, raw);
  assert.equal(normalizeCountry("XX"), undefined);
  assert.equal(normalizeCountry("Narnia"), undefined);
});

test("an upper-case SHA-256 in any field is lower-cased and passed through, never hashed twice", () => {
  const H = sha256Hex("someone@example.com").toUpperCase();
  const ids = pickIdentifiers(
    makeEvent({
      userId: H,
      traits: {
        email: H,
        phone: H,
        first_name: H,
        last_name: H,
        city: H,
        state: H,
        zip: H,
        country: H,
        gender: H,
        date_of_birth: H,
      },
    }),
  );
  const meta = metaKeys(ids);
  for (const key of ["em", "ph", "fn", "ln", "ct", "st", "zp", "country", "ge", "db", "external_id"] as const)
    assert.equal(meta[key], H.toLowerCase(), key);
  const google = googleKeys(ids);
  for (const key of ["emailAddress", "phoneNumber", "givenName", "familyName"] as const)
    assert.equal(google[key], H.toLowerCase(), key);
  const viaTrait = pickIdentifiers(makeEvent({ traits: { email_sha256: H } }));
  assert.equal(metaKeys(viaTrait).em, H.toLowerCase());
});

test("gender f / m and date of birth YYYYMMDD are sent hashed when known", () => {
  assert.equal(normalizeGender("Female"), "f");
  assert.equal(normalizeGender(" M "), "m");
  assert.equal(normalizeGender("x"), undefined);
  assert.equal(normalizeDateOfBirth("1990-05-17"), "19900517");
  assert.equal(normalizeDateOfBirth("1990/5/7"), "19900507");
  assert.equal(normalizeDateOfBirth("19900517"), "19900517");
  assert.equal(normalizeDateOfBirth("1990-02-30"), undefined);
  assert.equal(normalizeDateOfBirth("17.05.1990"), undefined, "ambiguous day-first dates are not guessed");
  const event = makeEvent({ traits: { gender: "female", date_of_birth: "1990-05-17" } });
  const user = metaServerEvent(event, { action_source: "website" } as MetaConfig).user_data as Record<string, unknown>;
  assert.equal(user.ge, sha256Hex("f"));
  assert.equal(user.db, sha256Hex("19900517"));
});

test("external_id: the Conversions API and the audience EXTERN_ID carry the same hashed value; the inspector expects it", () => {
  const event = makeEvent({ userId: "cust_2048" });
  const capi = metaServerEvent(event, { action_source: "website" } as MetaConfig).user_data as {
    external_id: string[];
  };
  const row = metaAudienceRow({ kind: "user_id", value: "cust_2048", userId: "cust_2048", traits: {} });
  assert.deepEqual(capi.external_id, [sha256Hex("cust_2048")]);
  assert.equal(row?.[2], capi.external_id[0]);
  assert.equal(metaExternalId(" cust_2048 "), sha256Hex("cust_2048"));
  const keys = payloadKeys("meta", { data: [{ event_id: event.eventId, user_data: capi }] }, event);
  assert.equal(keys?.user?.value, keys?.user?.expected);
});

test("Google: gmail / googlemail lose dots and +suffix; names lose prefixes and suffixes", () => {
  assert.equal(normalizeEmailGoogle("cloudy.sanfrancisco+shopping@gmail.com"), "cloudysanfrancisco@gmail.com");
  assert.equal(normalizeEmailGoogle("J.Doe+news@GoogleMail.com"), "jdoe@googlemail.com");
  assert.equal(normalizeEmailGoogle("user.name+NYC@Example.com"), "user.name+nyc@example.com");
  assert.equal(normalizeNameGoogle("Mrs. Jane"), "jane");
  assert.equal(normalizeNameGoogle("Dr Mary Ann"), "mary ann");
  assert.equal(normalizeNameGoogle("Smith Jr."), "smith");
  assert.equal(normalizeNameGoogle("Doe, III"), "doe");
  assert.equal(normalizeNameGoogle("Dr."), undefined);
  const event = makeEvent({
    traits: { email: "cloudy.sanfrancisco+shopping@gmail.com", first_name: "Mr. John", last_name: "Doe Sr." },
  });
  const ids = (googleAdsEvent(event, { event_source: "WEB" } as GoogleAdsConfig).userData?.userIdentifiers ??
    []) as Record<string, unknown>[];
  assert.deepEqual(ids[0], { emailAddress: sha256Hex("cloudysanfrancisco@gmail.com") });
});

test("match quality counts only identifiers that normalise to a match key (the destinations' code path)", () => {
  const view = (traits: Record<string, unknown>) =>
    profileIdentifiers({ userId: null, anonymousId: "a", traits, context: {}, properties: {} }).ids;
  assert.equal(matchQuality(view({ email: "not-an-email", phone: "12" })), 0);
  assert.equal(matchQuality(view({ email: "a@b.co", phone: "(650) 555-1212", country: "US" })), 5);
  assert.equal(matchQuality(view({ email_sha256: sha256Hex("a@b.co").toUpperCase() })), 3);
});
