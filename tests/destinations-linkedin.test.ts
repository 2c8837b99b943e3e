// LinkedIn Conversions API module: single and batch payloads in milliseconds, headers, per-element classification.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decimalString,
  type LinkedinConfig,
  linkedinConfigSchema,
  linkedinDestination,
} from "@/lib/delivery/destinations/linkedin";
import { answer, HASH, kind, makeEvent, network, OCCURRED, settings } from "./destination-fixtures";

const config = (extra: Record<string, unknown> = {}): LinkedinConfig =>
  linkedinConfigSchema.parse({ conversion_rule_id: "104", ...extra });
const secrets = { access_token: "li-secret-token" };
const s = (cfg = config()) => settings(cfg, secrets);

test("one event: a single create with the element as body, milliseconds and a decimal-string amount", () => {
  const req = linkedinDestination.buildRequest([makeEvent()], s());
  assert.equal(req.url, "http://mock.local/rest/conversionEvents");
  assert.deepEqual(req.headers, {
    "Content-Type": "application/json",
    Authorization: "Bearer li-secret-token",
    "LinkedIn-Version": "202607",
    "X-Restli-Protocol-Version": "2.0.0",
  });
  assert.deepEqual(JSON.parse(req.body), {
    conversion: "urn:lla:llaPartnerConversion:104",
    conversionHappenedAt: OCCURRED.getTime(),
    conversionValue: { currencyCode: "EUR", amount: "129.95" },
    eventId: "ord_10492_purchase",
    user: {
      userIds: [
        { idType: "SHA256_EMAIL", idValue: HASH.emailMeta },
        { idType: "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", idValue: "li-fat-123" },
      ],
      userInfo: { firstName: "John", lastName: "O'Doe", countryCode: "DE" },
    },
  });
});

test("the token stays out of the log and names are redacted there", () => {
  const req = linkedinDestination.buildRequest([makeEvent()], s());
  assert.doesNotMatch(JSON.stringify(req.log), /li-secret-token|John|O'Doe/);
  assert.match(JSON.stringify(req.log), new RegExp(HASH.emailMeta));
});

test("several events: BATCH_CREATE with elements; rules per canonical event; version configurable", () => {
  const cfg = config({ conversion_rules: { qualify_lead: "205" }, api_version: "202608" });
  const req = linkedinDestination.buildRequest(
    [makeEvent(), makeEvent({ eventId: "l1", canonicalEvent: "qualify_lead", properties: {} })],
    s(cfg),
  );
  assert.equal(req.headers["X-RestLi-Method"], "BATCH_CREATE");
  assert.equal(req.headers["LinkedIn-Version"], "202608");
  const body = JSON.parse(req.body);
  assert.deepEqual(
    body.elements.map((e: { conversion: string }) => e.conversion),
    ["urn:lla:llaPartnerConversion:104", "urn:lla:llaPartnerConversion:205"],
  );
  assert.equal(body.elements[1].conversionValue, undefined);
  assert.equal(linkedinDestination.maxBatch, 5000);
  assert.equal(linkedinDestination.maxEventAgeMs, 90 * 86_400_000);
});

test("decimal strings carry no float noise; userInfo needs both names", () => {
  assert.deepEqual(
    [decimalString(0.1 + 0.2), decimalString(100), decimalString(0), decimalString(19.999)],
    ["0.3", "100", "0", "19.999"],
  );
  const body = JSON.parse(
    linkedinDestination.buildRequest([makeEvent({ traits: { first_name: "Ann" }, context: {} })], s()).body,
  );
  assert.equal(body.user, undefined);
});

test("validation: a conversion rule and some member identifier are required", () => {
  const bad = linkedinConfigSchema.safeParse({ api_version: "2026-11" });
  assert.match(JSON.stringify(bad.error?.issues), /YYYYMM/);
  assert.match(JSON.stringify(bad.error?.issues), /conversion_rule_id or conversion_rules/);
  const onlyLeads = s(config({ conversion_rule_id: undefined, conversion_rules: { qualify_lead: "1" } }));
  assert.match(linkedinDestination.validateEvent?.(makeEvent(), onlyLeads) ?? "", /no conversion rule/);
  assert.match(
    linkedinDestination.validateEvent?.(makeEvent({ traits: {}, context: {} }), s()) ?? "",
    /no SHA-256 email/,
  );
  assert.equal(
    linkedinDestination.validateEvent?.(makeEvent({ traits: { first_name: "A", last_name: "B" }, context: {} }), s()),
    null,
  );
});

test("classify: single 201 success, batch per element, 429/5xx/network retry, other 4xx permanent", () => {
  const one = [makeEvent()];
  const two = [makeEvent(), makeEvent({ eventId: "e2" })];
  assert.deepEqual(linkedinDestination.classify(answer(201, ""), one), { outcome: "success", ack: { status: 201 } });
  const perElement = linkedinDestination.classify(
    answer(200, { elements: [{ status: 201 }, { status: 400, message: "Invalid conversion", serviceErrorCode: 100 }] }),
    two,
  );
  assert.deepEqual(perElement, [
    { outcome: "success", ack: { status: 201 } },
    { outcome: "permanent", reason: "HTTP 400: Invalid conversion (serviceErrorCode 100)" },
  ]);
  const mixed = linkedinDestination.classify(answer(200, { elements: [{ status: 503 }, { status: 429 }] }), two);
  assert.deepEqual(Array.isArray(mixed) && mixed.map((o) => o.outcome), ["retry", "retry"]);
  assert.deepEqual(
    linkedinDestination.classify(answer(429, { message: "Too many", status: 429 }, { "Retry-After": "60" }), two),
    {
      outcome: "retry",
      reason: "HTTP 429: Too many",
      retryAfterMs: 60_000,
    },
  );
  assert.equal(kind(linkedinDestination.classify(answer(500, "oops"), one)), "retry");
  assert.equal(kind(linkedinDestination.classify(network, one)), "retry");
  assert.deepEqual(
    linkedinDestination.classify(
      answer(401, { message: "Invalid access token", serviceErrorCode: 65600, status: 401 }),
      one,
    ),
    {
      outcome: "permanent",
      reason: "HTTP 401: Invalid access token (serviceErrorCode 65600)",
    },
  );
});
