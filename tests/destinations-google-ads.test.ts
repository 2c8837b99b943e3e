// Google Ads (Data Manager API) module: ingest payload, Google hashing, grouping by conversion action, classification.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type GoogleAdsConfig,
  googleAdsConfigSchema,
  googleAdsDestination,
} from "@/lib/delivery/destinations/google-ads";
import type { Outcome } from "@/lib/delivery/destinations/types";
import { answer, HASH, kind, makeEvent, network, settings } from "./destination-fixtures";

const config = (extra: Record<string, unknown> = {}): GoogleAdsConfig =>
  googleAdsConfigSchema.parse({ customer_id: "123-456-7890", conversion_action_id: "555", ...extra });
const secrets = { access_token: "ya29.secret-token" };
const build = (events = [makeEvent()], cfg = config(), extra = {}) =>
  googleAdsDestination.buildRequest(events, settings(cfg, secrets, extra));

test("builds an events:ingest request with RFC 3339 time, Google-normalised hashes and HEX encoding", () => {
  const req = build();
  assert.equal(req.url, "http://mock.local/v1/events:ingest");
  assert.equal(req.headers.Authorization, "Bearer ya29.secret-token");
  assert.deepEqual(JSON.parse(req.body), {
    destinations: [
      { operatingAccount: { accountType: "GOOGLE_ADS", accountId: "1234567890" }, productDestinationId: "555" },
    ],
    events: [
      {
        eventTimestamp: "2026-11-02T10:00:00.123Z",
        transactionId: "ord_10492",
        conversionValue: 129.95,
        currency: "EUR",
        eventSource: "WEB",
        adIdentifiers: { gclid: "Cj0KCQ-test" },
        userData: { userIdentifiers: [{ emailAddress: HASH.emailGoogle }, { phoneNumber: HASH.phoneE164 }] },
      },
    ],
    encoding: "HEX",
  });
});

test("the bearer token is absent from the log", () => {
  const req = build();
  assert.equal(req.log.headers.Authorization, "[redacted]");
  assert.doesNotMatch(JSON.stringify(req.log), /ya29/);
});

test("transactionId falls back to lead_id, then the event id; address needs names, country and postal code", () => {
  const lead = JSON.parse(build([makeEvent({ canonicalEvent: "qualify_lead", properties: { lead_id: "L-9" } })]).body)
    .events[0];
  assert.equal(lead.transactionId, "L-9");
  const bare = JSON.parse(build([makeEvent({ properties: {} })]).body).events[0];
  assert.equal(bare.transactionId, "ord_10492_purchase");
  const withZip = makeEvent({
    traits: { first_name: "Dr. John", last_name: "O'Doe Jr.", country: "Germany", zip: "10115" },
  });
  assert.deepEqual(JSON.parse(build([withZip]).body).events[0].userData.userIdentifiers, [
    {
      address: {
        givenName: "96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a",
        // "o'doe": Google asks for lowercase without prefixes / suffixes (printf %s "o'doe" | sha256sum).
        familyName: "c6349aed1f211f9ef027b55a478adc626b0d43ddc6fe5421a146cc3e94ea9996",
        regionCode: "DE",
        postalCode: "10115",
      },
    },
  ]);
});

test("no userData means no encoding; gbraid / wbraid pass through; a supplied hash is not re-hashed", () => {
  const app = JSON.parse(build([makeEvent({ traits: {}, context: { gbraid: "GB", wbraid: "WB" } })]).body);
  assert.equal(app.encoding, undefined);
  assert.deepEqual(app.events[0].adIdentifiers, { gbraid: "GB", wbraid: "WB" });
  const hashed = JSON.parse(build([makeEvent({ traits: { email_sha256: HASH.emailMeta } })]).body);
  assert.deepEqual(hashed.events[0].userData.userIdentifiers, [{ emailAddress: HASH.emailMeta }]);
});

test("consent: request level from config, user level from context; test mode validates only", () => {
  const event = makeEvent({
    context: { gclid: "G", consent: { ad_user_data: "granted", ad_personalization: "denied" } },
  });
  const body = JSON.parse(build([event], config({ ad_user_data: "DENIED" }), { testMode: true }).body);
  assert.deepEqual(body.consent, { adUserData: "CONSENT_DENIED" });
  assert.deepEqual(body.events[0].consent, { adUserData: "CONSENT_GRANTED", adPersonalization: "CONSENT_DENIED" });
  assert.equal(body.validateOnly, true);
  assert.equal(JSON.parse(build().body).validateOnly, undefined);
});

test("conversion actions per canonical event: one destination each, referenced from the events", () => {
  const cfg = config({ conversion_actions: { qualify_lead: "777" }, login_customer_id: "9998887776" });
  const s = settings(cfg, secrets);
  const lead = makeEvent({ eventId: "l1", canonicalEvent: "qualify_lead" });
  const single = JSON.parse(googleAdsDestination.buildRequest([lead], s).body);
  assert.deepEqual(single.destinations, [
    {
      operatingAccount: { accountType: "GOOGLE_ADS", accountId: "1234567890" },
      loginAccount: { accountType: "GOOGLE_ADS", accountId: "9998887776" },
      productDestinationId: "777",
    },
  ]);
  assert.equal(single.events[0].destinationReferences, undefined);
  const mixed = JSON.parse(googleAdsDestination.buildRequest([lead, makeEvent()], s).body);
  assert.deepEqual(
    mixed.destinations.map((d: { reference: string; productDestinationId: string }) => [
      d.reference,
      d.productDestinationId,
    ]),
    [
      ["777", "777"],
      ["555", "555"],
    ],
  );
  assert.deepEqual(
    mixed.events.map((e: { destinationReferences: string[] }) => e.destinationReferences),
    [["777"], ["555"]],
  );
  assert.equal(googleAdsDestination.groupKey, undefined);
  assert.equal(googleAdsDestination.maxBatch, 2000);
});

test("config and event validation explain what is missing", () => {
  const bad = googleAdsConfigSchema.safeParse({ customer_id: "12-34" });
  assert.match(JSON.stringify(bad.error?.issues), /10-digit Google Ads customer id/);
  assert.match(JSON.stringify(bad.error?.issues), /set conversion_action_id or conversion_actions/);
  const s = settings(config({ conversion_action_id: undefined, conversion_actions: { purchase: "1" } }), secrets);
  assert.match(
    googleAdsDestination.validateEvent?.(makeEvent({ canonicalEvent: "sign_up" }), s) ?? "",
    /no conversion action/,
  );
  assert.match(googleAdsDestination.validateEvent?.(makeEvent({ traits: {}, context: {} }), s) ?? "", /no gclid/);
  assert.equal(googleAdsDestination.validateEvent?.(makeEvent(), s), null);
});

test("classify: requestId ack, duplicates succeed, transient retry, other 4xx permanent", () => {
  const events = [makeEvent()];
  const c = (status: number, body: unknown, headers = {}) =>
    googleAdsDestination.classify(answer(status, body, headers), events);
  assert.deepEqual(c(200, { requestId: "req-1" }), { outcome: "success", ack: { requestId: "req-1" } });
  assert.deepEqual(c(409, { error: { code: 409, status: "ALREADY_EXISTS", message: "dup" } }), {
    outcome: "success",
    ack: { duplicate: true, message: "dup" },
  });
  assert.equal(
    kind(
      c(400, {
        error: {
          code: 400,
          status: "INVALID_ARGUMENT",
          message: "x",
          details: [{ reason: "DUPLICATE_TRANSACTION_ID" }],
        },
      }),
    ),
    "success",
  );
  assert.deepEqual(
    c(429, { error: { code: 429, status: "RESOURCE_EXHAUSTED", message: "quota" } }, { "retry-after": "30" }),
    {
      outcome: "retry",
      reason: "HTTP 429 RESOURCE_EXHAUSTED: quota",
      retryAfterMs: 30_000,
    },
  );
  assert.equal(kind(c(503, { error: { status: "UNAVAILABLE" } })), "retry");
  assert.equal(kind(c(500, { error: { status: "INTERNAL" } })), "retry");
  assert.equal(kind(c(400, { error: { status: "DEADLINE_EXCEEDED" } })), "retry");
  assert.equal(kind(googleAdsDestination.classify(network, events)), "retry");
  assert.deepEqual(c(400, { error: { code: 400, status: "INVALID_ARGUMENT", message: "bad currency" } }), {
    outcome: "permanent",
    reason: "HTTP 400 INVALID_ARGUMENT: bad currency",
  });
  assert.equal(kind(c(403, { error: { status: "PERMISSION_DENIED" } })), "permanent");
});

test("classify: field violations name their events; the others are sent again, a named duplicate counts as delivered", () => {
  const events = [makeEvent(), makeEvent({ eventId: "e2" }), makeEvent({ eventId: "e3" })];
  const violations = (list: { field: string; description: string }[]) =>
    answer(400, {
      error: {
        code: 400,
        status: "INVALID_ARGUMENT",
        message: "Request contains invalid events.",
        details: [{ "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: list }],
      },
    });
  const outcomes = googleAdsDestination.classify(
    violations([
      { field: "events[1].currency", description: "currency must be an ISO 4217 code" },
      { field: "events[2]", description: "ALREADY_EXISTS: conversion already exists" },
    ]),
    events,
  ) as Outcome[];
  assert.deepEqual(
    outcomes.map((o) => o.outcome),
    ["retry", "permanent", "success"],
  );
  assert.match((outcomes[0] as { reason: string }).reason, /not ingested: .*events\[1\], events\[2\]; sent again/);
  assert.equal(
    (outcomes[1] as { reason: string }).reason,
    "HTTP 400 INVALID_ARGUMENT: events[1].currency: currency must be an ISO 4217 code",
  );
  assert.doesNotMatch((outcomes[0] as { reason: string }).reason, /ISO 4217/, "no error copied onto another event");
  // ALREADY_EXISTS that names no event: delivered for a lone event, never for a whole batch.
  const unnamed = answer(409, { error: { code: 409, status: "ALREADY_EXISTS", message: "ALREADY_EXISTS somewhere" } });
  assert.equal(kind(googleAdsDestination.classify(unnamed, events)), "retry");
  assert.equal(kind(googleAdsDestination.classify(unnamed, [makeEvent()])), "success");
});
