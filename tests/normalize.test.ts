// Shared normalisation, hashing, identifier picking, log redaction and Retry-After parsing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { redactUrl } from "@/lib/delivery/destinations/shared";
import { classifyHttp, retryAfterMs } from "@/lib/delivery/http-retry";
import {
  emailHash,
  hashWith,
  isSha256Hex,
  normalizeCountry,
  normalizeEmail,
  normalizeEmailGoogle,
  normalizeName,
  normalizePhoneE164,
  normalizePhoneMeta,
  normalizePlace,
  normalizeZip,
  phoneHash,
  pickConsent,
  pickIdentifiers,
  redactBody,
  sha256Hex,
} from "@/lib/delivery/normalize";
import { answer, HASH, makeEvent, network } from "./destination-fixtures";

test("emails: Meta keeps dots, Google drops them for gmail.com / googlemail.com only", () => {
  assert.equal(normalizeEmail(" John.Doe@Gmail.com "), "john.doe@gmail.com");
  assert.equal(normalizeEmailGoogle(" John.Doe@Gmail.com "), "johndoe@gmail.com");
  assert.equal(normalizeEmailGoogle("j.doe@googlemail.com"), "jdoe@googlemail.com");
  assert.equal(normalizeEmailGoogle("J.Doe@Example.com"), "j.doe@example.com");
  assert.equal(normalizeEmail("not an email"), undefined);
  assert.equal(sha256Hex("john.doe@gmail.com"), HASH.emailMeta);
  assert.equal(hashWith(" John.Doe@Gmail.com ", normalizeEmailGoogle), HASH.emailGoogle);
});

test("an existing lowercase sha256 passes through, never hashed twice", () => {
  assert.ok(isSha256Hex(HASH.emailMeta));
  assert.equal(isSha256Hex(HASH.emailMeta.toUpperCase()), false);
  assert.equal(hashWith(HASH.emailMeta, normalizeEmailGoogle), HASH.emailMeta);
  const ids = pickIdentifiers(makeEvent({ traits: { email_sha256: HASH.emailMeta, phone_sha256: "short" } }));
  assert.equal(emailHash(ids, "google"), HASH.emailMeta);
  assert.equal(ids.phoneSha256, undefined, "a malformed hash is ignored");
});

test("phones: Meta digits without '+' or leading zeros, Google E.164 with '+'", () => {
  assert.equal(normalizePhoneMeta("+49 151 1234 5678"), "4915112345678");
  assert.equal(normalizePhoneMeta("0049 (151) 1234-5678"), "4915112345678");
  assert.equal(normalizePhoneE164("+49 151 1234 5678"), "+4915112345678");
  assert.equal(normalizePhoneE164("12345"), undefined);
  const ids = pickIdentifiers(makeEvent());
  assert.equal(phoneHash(ids, "meta"), HASH.phoneMeta);
  assert.equal(phoneHash(ids, "google"), HASH.phoneE164);
});

test("names, places, postal codes and countries", () => {
  assert.equal(normalizeName("  O'Doe-Smith "), "odoesmith");
  assert.equal(normalizeName("Mary  Ann"), "mary ann");
  assert.equal(normalizeName("Zoë"), "zoë");
  assert.equal(normalizePlace("New York, NY 10"), "newyorkny");
  assert.equal(normalizeZip("94105-1234"), "94105");
  assert.equal(normalizeZip("SW1A 1AA"), "sw1a1aa");
  assert.equal(normalizeCountry(" DE "), "de");
  assert.equal(normalizeCountry("Germany"), "de");
  assert.equal(normalizeCountry("Atlantis"), undefined);
});

test("pickIdentifiers reads traits, context.traits, traits.address and context", () => {
  const ids = pickIdentifiers(makeEvent());
  assert.equal(ids.externalId, "cust_2048");
  assert.equal(ids.ip, "203.0.113.7");
  assert.equal(ids.pageUrl, "https://shop.example/checkout");
  assert.equal(ids.clientId, "1234567890.1700000000");
  assert.equal(ids.liFatId, "li-fat-123");
  const fallback = pickIdentifiers(
    makeEvent({
      traits: { address: { city: "Berlin", postal_code: 10115 } },
      context: { traits: { email: "a@b.de" }, user_agent: "UA" },
    }),
  );
  assert.deepEqual(
    {
      email: fallback.email,
      city: fallback.city,
      zip: fallback.zip,
      ua: fallback.userAgent,
      clientId: fallback.clientId,
    },
    { email: "a@b.de", city: "Berlin", zip: "10115", ua: "UA", clientId: "anon_91b2" },
  );
  assert.equal(pickIdentifiers(makeEvent({ properties: { client_id: "prop.1" } })).clientId, "prop.1");
});

test("pickConsent accepts booleans and GRANTED / DENIED", () => {
  assert.deepEqual(
    pickConsent(makeEvent({ context: { consent: { ad_user_data: "GRANTED", adPersonalization: false } } })),
    {
      adUserData: true,
      adPersonalization: false,
    },
  );
  assert.deepEqual(pickConsent(makeEvent({ context: {} })), {});
});

test("redactBody hides raw emails, phones, names, IPs and credentials but keeps hashes", () => {
  const body = {
    user_data: {
      em: [HASH.emailMeta],
      client_ip_address: "203.0.113.7",
      client_user_agent: "Chrome/120.0.0.0",
      fbp: "fb.1.2.3",
    },
    email: "john@example.com",
    phone: "+4915112345678",
    firstName: "John",
    properties: {
      note: "call john@example.com soon",
      origin: "2001:db8::1",
      time: "12:30:00",
      order_id: "ord_1",
      value: 10,
    },
    access_token: "EAAB-secret",
  };
  assert.deepEqual(redactBody(body), {
    user_data: {
      em: [HASH.emailMeta],
      client_ip_address: "[redacted]",
      client_user_agent: "Chrome/120.0.0.0",
      fbp: "fb.1.2.3",
    },
    email: "[redacted]",
    phone: "[redacted]",
    firstName: "[redacted]",
    properties: { note: "call [redacted] soon", origin: "[redacted]", time: "12:30:00", order_id: "ord_1", value: 10 },
    access_token: "[redacted]",
  });
  // Addresses under keys that name nothing personal, and a body whose keys include "__proto__".
  const parsed = JSON.parse(
    '{"__proto__": {"email": "a@b.co"}, "where": " 10.0.0.1 ", "link": "fe80::1%eth0", "v": "1.2"}',
  );
  const redacted = redactBody(parsed) as Record<string, unknown>;
  assert.deepEqual(Object.keys(redacted), ["__proto__", "where", "link", "v"]);
  assert.deepEqual(Object.getOwnPropertyDescriptor(redacted, "__proto__")?.value, { email: "[redacted]" });
  assert.deepEqual([redacted.where, redacted.link, redacted.v], ["[redacted]", "[redacted]", "1.2"]);
  assert.equal(redactUrl("https://u:p@hooks.example/x?token=abc&a=1"), "https://hooks.example/x?token=redacted&a=1");
});

test("retryAfterMs reads delay-seconds and HTTP dates (against now or the Date header)", () => {
  assert.equal(retryAfterMs({ "Retry-After": "30" }), 30_000);
  assert.equal(retryAfterMs({ "retry-after": "1.5" }), 1_500);
  const date = "Mon, 02 Nov 2026 10:00:00 GMT";
  assert.equal(retryAfterMs({ "retry-after": "Mon, 02 Nov 2026 10:01:00 GMT", date }), 60_000);
  assert.equal(
    retryAfterMs({ "retry-after": "Mon, 02 Nov 2026 10:01:00 GMT" }, new Date("2026-11-02T10:00:30Z")),
    30_000,
  );
  assert.equal(retryAfterMs({ "retry-after": "Mon, 02 Nov 2026 09:00:00 GMT", date }), 0);
  assert.equal(
    retryAfterMs({ "retry-after": "Mon, 02 Nov 2026 10:01:00 GMT" }),
    undefined,
    "no clock to measure against",
  );
  assert.equal(retryAfterMs({ "retry-after": "soon" }), undefined);
  assert.equal(retryAfterMs({}), undefined);
});

test("classifyHttp: network and 5xx / 429 retry, 2xx success, other 4xx permanent", () => {
  assert.equal(classifyHttp(network).outcome, "retry");
  assert.deepEqual(classifyHttp(answer(429, "", { "Retry-After": "7" })), {
    outcome: "retry",
    reason: "HTTP 429",
    retryAfterMs: 7000,
  });
  assert.deepEqual(classifyHttp(answer(204)), { outcome: "success", ack: { status: 204 } });
  assert.deepEqual(classifyHttp(answer(400, { message: "bad" })), { outcome: "permanent", reason: "HTTP 400: bad" });
  assert.equal(classifyHttp(answer(503)).outcome, "retry");
});
