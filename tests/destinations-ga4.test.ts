// GA4 Measurement Protocol module: microsecond payload, name and parameter rules, grouping by client, debug validation.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type Ga4Config,
  ga4ConfigSchema,
  ga4Destination,
  ga4Params,
  isValidGa4Name,
  toGa4Name,
} from "@/lib/delivery/destinations/ga4";
import { answer, HASH, kind, makeEvent, network, OCCURRED, settings } from "./destination-fixtures";

const config = (extra: Record<string, unknown> = {}): Ga4Config =>
  ga4ConfigSchema.parse({ measurement_id: "G-ABC123", ...extra });
const secrets = { api_secret: "mp-secret-xyz" };
const build = (events = [makeEvent()], cfg = config(), extra = {}) =>
  ga4Destination.buildRequest(events, settings(cfg, secrets, extra));

test("builds an /mp/collect request in microseconds with Google-normalised user_data", () => {
  const req = build();
  assert.equal(req.url, "http://mock.local/mp/collect?measurement_id=G-ABC123&api_secret=mp-secret-xyz");
  assert.equal(req.log.url, "http://mock.local/mp/collect?measurement_id=G-ABC123");
  assert.doesNotMatch(JSON.stringify(req.log), /mp-secret-xyz/);
  assert.deepEqual(JSON.parse(req.body), {
    client_id: "1234567890.1700000000",
    user_id: "cust_2048",
    timestamp_micros: OCCURRED.getTime() * 1000,
    user_data: { sha256_email_address: [HASH.emailGoogle], sha256_phone_number: [HASH.phoneE164] },
    events: [
      {
        name: "purchase",
        params: { transaction_id: "ord_10492", value: 129.95, currency: "EUR" },
        timestamp_micros: OCCURRED.getTime() * 1000,
      },
    ],
  });
  assert.equal(String(JSON.parse(req.body).timestamp_micros).length, 16, "microseconds, not milliseconds");
});

test("test mode uses the debug endpoint", () => {
  assert.equal(
    build([makeEvent()], config(), { testMode: true }).log.url,
    "http://mock.local/debug/mp/collect?measurement_id=G-ABC123",
  );
});

test("canonical names map to recommended events; start_trial stays a valid custom name; overrides are validated", () => {
  const name = (canonicalEvent: string, cfg = config()) =>
    JSON.parse(build([makeEvent({ canonicalEvent })], cfg).body).events[0].name;
  assert.deepEqual(
    ["purchase", "sign_up", "begin_checkout", "add_payment_info", "add_to_cart", "qualify_lead", "start_trial"].map(
      (n) => name(n),
    ),
    ["purchase", "sign_up", "begin_checkout", "add_payment_info", "add_to_cart", "qualify_lead", "start_trial"],
  );
  assert.equal(name("qualify_lead", config({ event_names: { qualify_lead: "generate_lead" } })), "generate_lead");
  assert.equal(name("Order Completed!"), "Order_Completed_");
  assert.equal(
    ga4ConfigSchema.safeParse({ measurement_id: "G-ABC123", event_names: { purchase: "page_view" } }).success,
    false,
  );
  assert.equal(ga4ConfigSchema.safeParse({ measurement_id: "UA-1" }).success, false);
});

test("name rules: length, characters, first letter, reserved names and prefixes", () => {
  assert.ok(isValidGa4Name("start_trial"));
  for (const bad of [
    "1st",
    "a".repeat(41),
    "has-dash",
    "session_start",
    "firebase_x",
    "ga_thing",
    "google_x",
    "_x",
    "click",
  ]) {
    assert.equal(isValidGa4Name(bad), false, bad);
  }
  assert.equal(toGa4Name("google_signup"), "signup");
  assert.equal(toGa4Name("9lives"), "e_9lives");
  assert.equal(toGa4Name("session_start"), "session_start_tl");
  assert.equal(toGa4Name("x".repeat(60)).length, 40);
});

test("params: at most 25, values capped at 100 characters, no PII, items cleaned", () => {
  const properties: Record<string, unknown> = {
    order_id: "o1",
    value: "12.5",
    currency: "usd",
    email: "a@b.c",
    phone: "+1 555",
    long: "y".repeat(150),
  };
  for (let i = 0; i < 40; i++) properties[`p${i}`] = i;
  properties.items = [{ item_id: "sku-1", "item name": "Shoe", price: 10, quantity: 2, nested: { no: 1 } }];
  const params = ga4Params(makeEvent({ properties }));
  assert.equal(Object.keys(params).length, 25);
  assert.deepEqual(Object.keys(params).slice(0, 5), ["transaction_id", "value", "currency", "items", "long"]);
  assert.equal(params.value, 12.5);
  assert.equal((params.long as string).length, 100);
  assert.equal(params.email, undefined);
  assert.equal(params.phone, undefined);
  assert.deepEqual(params.items, [{ item_id: "sku-1", item_name: "Shoe", price: 10, quantity: 2 }]);
});

test("events of one client share a request; mixed clients are refused and grouped by groupKey", () => {
  const s = settings(config(), secrets);
  const a1 = makeEvent({ eventId: "a1" });
  const a2 = makeEvent({
    eventId: "a2",
    canonicalEvent: "add_to_cart",
    occurredAt: new Date(OCCURRED.getTime() + 5000),
  });
  const b = makeEvent({ eventId: "b", context: { client_id: "other.1" } });
  assert.equal(ga4Destination.groupKey?.(a1), ga4Destination.groupKey?.(a2));
  assert.notEqual(ga4Destination.groupKey?.(a1), ga4Destination.groupKey?.(b));
  const body = JSON.parse(ga4Destination.buildRequest([a1, a2], s).body);
  assert.deepEqual(
    body.events.map((e: { timestamp_micros: number }) => e.timestamp_micros),
    [OCCURRED.getTime() * 1000, OCCURRED.getTime() * 1000 + 5_000_000],
  );
  assert.throws(() => ga4Destination.buildRequest([a1, b], s), /group events with groupKey/);
  const anonymous = makeEvent({ anonymousId: null, context: {} });
  assert.equal(ga4Destination.validateEvent?.(anonymous, s)?.startsWith("no GA client_id"), true);
  assert.equal(JSON.parse(ga4Destination.buildRequest([anonymous], s).body).client_id, undefined);
  assert.match(JSON.stringify(ga4Destination.classify(answer(204), [anonymous])), /"permanent".*no GA client_id/);
  assert.equal(ga4Destination.maxBatch, 25);
  assert.equal(ga4Destination.maxBodyBytes, 130_000);
});

test("consent: context wins over config defaults", () => {
  const body = JSON.parse(
    build(
      [makeEvent({ context: { client_id: "c.1", consent: { ad_user_data: false } } })],
      config({ ad_user_data: "GRANTED", ad_personalization: "GRANTED" }),
    ).body,
  );
  assert.deepEqual(body.consent, { ad_user_data: "DENIED", ad_personalization: "GRANTED" });
});

test("classify: 2xx success, debug validation messages permanent (per event when indexed), 5xx and network retry", () => {
  const one = [makeEvent()];
  assert.deepEqual(ga4Destination.classify(answer(204), one), {
    outcome: "success",
    ack: { status: 204, validationMessages: [] },
  });
  const msg = { fieldPath: "events", description: "Event name is reserved.", validationCode: "NAME_RESERVED" };
  assert.deepEqual(ga4Destination.classify(answer(200, { validationMessages: [msg] }), one), {
    outcome: "permanent",
    reason: "GA4 validation: NAME_RESERVED events: Event name is reserved.",
    ack: { validationMessages: [msg] },
  });
  const indexed = { fieldPath: "events[1].params.value", description: "bad", validationCode: "VALUE_INVALID" };
  const outcomes = ga4Destination.classify(answer(200, { validationMessages: [indexed] }), [makeEvent(), makeEvent()]);
  assert.ok(Array.isArray(outcomes));
  assert.deepEqual(
    outcomes.map((o) => o.outcome),
    ["success", "permanent"],
  );
  assert.equal(kind(ga4Destination.classify(answer(502, "bad gateway", { "retry-after": "3" }), one)), "retry");
  assert.equal(kind(ga4Destination.classify(network, one)), "retry");
  assert.equal(kind(ga4Destination.classify(answer(400, "bad"), one)), "permanent");
  assert.equal(
    kind(ga4Destination.classify(answer(429, ""), one)),
    "permanent",
    "the sheet: retry only network errors and 5xx",
  );
});
