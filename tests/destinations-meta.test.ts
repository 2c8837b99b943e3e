// Meta Conversions API module: payload shape, hashing, test mode, LDU, secrets kept out of the log, classification.
import assert from "node:assert/strict";
import { test } from "node:test";
import { type MetaConfig, metaConfigSchema, metaDestination } from "@/lib/delivery/destinations/meta";
import { answer, HASH, kind, makeEvent, network, OCCURRED, settings } from "./destination-fixtures";

const config = (extra: Record<string, unknown> = {}): MetaConfig =>
  metaConfigSchema.parse({ pixel_id: "1234567890", ...extra });
const secrets = { access_token: "EAAB-very-secret" };
const sha = {
  john: "96d9632f363564cc3032521409cf22a852f2032eec099ed5967c0d000cec607a",
  odoe: "fff1833cf87ec12a259fbf6b5bee308dc19f4a8cd0407451f402f973a5ec8059",
  de: "959a45d44e6fcf58361ed004681556fe50129f2109e817dec098c00c9e5d2578",
  cust: "c019d847bccbf96e116b6e046c1ba62aae09e6320323961c46b2fcd4ce180122",
};

test("builds a Purchase server event in unix seconds with Meta hashing", () => {
  const req = metaDestination.buildRequest([makeEvent()], settings(config(), secrets));
  assert.equal(req.method, "POST");
  assert.equal(req.url, "http://mock.local/v24.0/1234567890/events");
  const body = JSON.parse(req.body);
  assert.equal(body.access_token, "EAAB-very-secret");
  assert.equal(body.test_event_code, undefined);
  assert.deepEqual(body.data, [
    {
      event_name: "Purchase",
      event_time: Math.floor(OCCURRED.getTime() / 1000),
      event_id: "ord_10492_purchase",
      action_source: "website",
      event_source_url: "https://shop.example/checkout",
      referrer_url: "https://www.google.com/",
      user_data: {
        em: [HASH.emailMeta],
        ph: [HASH.phoneMeta],
        fn: sha.john,
        ln: sha.odoe,
        country: sha.de,
        external_id: [sha.cust],
        client_ip_address: "203.0.113.7",
        client_user_agent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.0.0",
        fbc: "fb.1.1700000000000.AbCdEf",
        fbp: "fb.1.1700000000000.123456",
      },
      custom_data: { value: 129.95, currency: "EUR", order_id: "ord_10492" },
    },
  ]);
  assert.equal(String(body.data[0].event_time).length, 10, "seconds, not milliseconds");
});

test("the access token never reaches the log and raw PII is redacted there", () => {
  const req = metaDestination.buildRequest([makeEvent()], settings(config(), secrets));
  const logged = JSON.stringify(req.log);
  assert.doesNotMatch(logged, /EAAB-very-secret/);
  assert.doesNotMatch(req.log.url, /access_token/);
  assert.doesNotMatch(logged, /203\.0\.113\.7/);
  assert.match(logged, new RegExp(HASH.emailMeta));
});

test("canonical names map to Meta standard events and can be overridden", () => {
  const names = (cfg: MetaConfig) =>
    [
      "purchase",
      "sign_up",
      "begin_checkout",
      "add_payment_info",
      "add_to_cart",
      "qualify_lead",
      "start_trial",
      "renewal",
    ].map(
      (canonicalEvent) =>
        JSON.parse(metaDestination.buildRequest([makeEvent({ canonicalEvent })], settings(cfg, secrets)).body).data[0]
          .event_name,
    );
  assert.deepEqual(names(config()), [
    "Purchase",
    "CompleteRegistration",
    "InitiateCheckout",
    "AddPaymentInfo",
    "AddToCart",
    "Lead",
    "StartTrial",
    "renewal",
  ]);
  assert.equal(names(config({ event_names: { sign_up: "Subscribe" } }))[1], "Subscribe");
});

test("leads: a Meta lead id goes to user_data, a CRM lead id to custom_data; email_sha256 passes through", () => {
  const build = (lead_id: string) =>
    JSON.parse(
      metaDestination.buildRequest(
        [
          makeEvent({
            canonicalEvent: "qualify_lead",
            properties: { lead_id },
            traits: { email_sha256: HASH.emailMeta },
          }),
        ],
        settings(config(), secrets),
      ).body,
    ).data[0];
  const meta = build("1234567890123456");
  assert.equal(meta.user_data.lead_id, "1234567890123456");
  assert.deepEqual(meta.user_data.em, [HASH.emailMeta]);
  const crm = build("lead_77");
  assert.equal(crm.user_data.lead_id, undefined);
  assert.deepEqual(crm.custom_data, { lead_id: "lead_77" });
});

test("website events without page URL or user agent fall back to system_generated", () => {
  const event = makeEvent({ context: { ip: "203.0.113.7" } });
  const data = JSON.parse(metaDestination.buildRequest([event], settings(config(), secrets)).body).data[0];
  assert.equal(data.action_source, "system_generated");
  const crm = JSON.parse(
    metaDestination.buildRequest([event], settings(config({ action_source: "phone_call" }), secrets)).body,
  ).data[0];
  assert.equal(crm.action_source, "phone_call");
});

test("test mode puts test_event_code at the top level; without a code the event is rejected", () => {
  const cfg = config({ test_event_code: "TEST123" });
  const body = JSON.parse(metaDestination.buildRequest([makeEvent()], settings(cfg, secrets, { testMode: true })).body);
  assert.equal(body.test_event_code, "TEST123");
  assert.equal(metaDestination.validateEvent?.(makeEvent(), settings(cfg, secrets, { testMode: true })), null);
  assert.match(
    metaDestination.validateEvent?.(makeEvent(), settings(config(), secrets, { testMode: true })) ?? "",
    /test_event_code/,
  );
  assert.throws(
    () => metaDestination.buildRequest([makeEvent()], settings(config(), secrets, { testMode: true })),
    /test_event_code/,
  );
  const anonymous = makeEvent({ userId: null, traits: {}, context: {} });
  assert.match(
    metaDestination.validateEvent?.(anonymous, settings(config(), secrets)) ?? "",
    /no customer information/,
  );
});

test("limited data use adds data_processing_options with configured geography", () => {
  const data = JSON.parse(
    metaDestination.buildRequest(
      [makeEvent()],
      settings(config({ limited_data_use: true, ldu_country: 1, ldu_state: 1000 }), secrets),
    ).body,
  ).data[0];
  assert.deepEqual(
    [data.data_processing_options, data.data_processing_options_country, data.data_processing_options_state],
    [["LDU"], 1, 1000],
  );
  const geo = JSON.parse(
    metaDestination.buildRequest([makeEvent()], settings(config({ limited_data_use: true }), secrets)).body,
  ).data[0];
  assert.deepEqual([geo.data_processing_options_country, geo.data_processing_options_state], [0, 0]);
});

test("config validation names the problem; limits match the sheet", () => {
  const bad = metaConfigSchema.safeParse({ pixel_id: "px-1", action_source: "web" });
  assert.equal(bad.success, false);
  assert.match(JSON.stringify(bad.error?.issues), /numeric dataset/);
  assert.match(JSON.stringify(bad.error?.issues), /action_source must be one of/);
  assert.equal(config({ api_version: "25.0" }).api_version, "v25.0");
  assert.equal(metaDestination.maxBatch, 1000);
  assert.equal(metaDestination.maxEventAgeMs, 7 * 86_400_000);
  const many = Array.from({ length: 3 }, (_, i) => makeEvent({ eventId: `e${i}` }));
  assert.equal(JSON.parse(metaDestination.buildRequest(many, settings(config(), secrets)).body).data.length, 3);
});

test("classify: success ack, transient and throttling retry, invalid and token errors permanent", () => {
  const events = [makeEvent()];
  assert.deepEqual(
    metaDestination.classify(answer(200, { events_received: 1, messages: [], fbtrace_id: "AbC" }), events),
    {
      outcome: "success",
      ack: { events_received: 1, fbtrace_id: "AbC", messages: [] },
    },
  );
  const err = (code: number, extra: Record<string, unknown> = {}) => ({
    error: { message: "m", type: "OAuthException", code, fbtrace_id: "T", ...extra },
  });
  assert.equal(kind(metaDestination.classify(network, events)), "retry");
  for (const code of [4, 17, 613])
    assert.equal(kind(metaDestination.classify(answer(400, err(code)), events)), "retry");
  assert.deepEqual(metaDestination.classify(answer(400, err(1, { is_transient: true })), events), {
    outcome: "retry",
    reason: "HTTP 400: Meta error 1: m (fbtrace_id T)",
  });
  assert.deepEqual(metaDestination.classify(answer(500, err(2), { "Retry-After": "12" }), events), {
    outcome: "retry",
    reason: "HTTP 500: Meta error 2: m (fbtrace_id T)",
    retryAfterMs: 12_000,
  });
  assert.equal(kind(metaDestination.classify(answer(429, "busy"), events)), "retry");
  assert.deepEqual(
    metaDestination.classify(
      answer(400, err(100, { error_subcode: 2804003, error_user_msg: "Event too old" })),
      events,
    ),
    {
      outcome: "permanent",
      reason: "HTTP 400: Meta error 100/2804003: Event too old (fbtrace_id T)",
    },
  );
  assert.equal(kind(metaDestination.classify(answer(401, err(190)), events)), "permanent");
  assert.equal(kind(metaDestination.classify(answer(403, err(10)), events)), "permanent");
  assert.equal(kind(metaDestination.classify(answer(500, err(190)), events)), "permanent");
});
