// Each platform mock behaves like its platform (docs/destinations.md): what the real modules build
// is accepted with the platform's success body; a deliberately wrong payload gets the platform's
// error, which the module classifies as permanent.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { destinationModules } from "@/lib/delivery/destinations";
import { LINKEDIN_VERSION } from "@/lib/delivery/destinations/api-version";
import { linkedinConfigSchema } from "@/lib/delivery/destinations/linkedin";
import type { DeliveryEvent, HttpRequestSpec, Outcome } from "@/lib/delivery/destinations/types";
import { signWebhook } from "@/lib/delivery/destinations/webhook";
import { send } from "@/lib/delivery/engine/send";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { makeEvent, settings } from "./destination-fixtures";
import {
  closePlatformMocks,
  type EventDestinationType,
  type PlatformMocks,
  startPlatformMocks,
} from "./platform-mocks";

const SECRET = "webhook-secret-0123456789";
let mocks: PlatformMocks;

const CONFIG: Record<EventDestinationType, [Record<string, unknown>, Record<string, string>]> = {
  meta: [
    {
      pixel_id: "123456",
      api_version: "v24.0",
      action_source: "website",
      limited_data_use: false,
      ldu_country: 0,
      ldu_state: 0,
    },
    { access_token: "meta-token" },
  ],
  google_ads: [
    { customer_id: "1234567890", conversion_action_id: "111", event_source: "WEB" },
    { access_token: "google-token" },
  ],
  ga4: [{ measurement_id: "G-TEST123" }, { api_secret: "ga4-secret" }],
  linkedin: [{ conversion_rule_id: "555", api_version: "202607" }, { access_token: "li-token" }],
  hubspot: [{ mode: "event", portal_id: "4242", max_batch: 100 }, { access_token: "hs-token" }],
  webhook: [{ url: "http://placeholder", max_batch: 100 }, { signing_secret: SECRET }],
};

/** The request the real module builds for `events` against the mock of `type`. */
function build(
  type: EventDestinationType,
  events: DeliveryEvent[] = [makeEvent({ occurredAt: new Date(Date.now() - 60_000) })],
): HttpRequestSpec {
  const [config, secrets] = CONFIG[type];
  const url = mocks[type].url;
  return destinationModules[type].buildRequest(
    events,
    settings(type === "webhook" ? { ...config, url } : config, secrets, { baseUrl: url, now: new Date() }),
  );
}

/** Sends `request` with its JSON body changed by `edit`. */
async function sendEdited(request: HttpRequestSpec, edit: (body: any) => void) {
  const body = JSON.parse(request.body);
  edit(body);
  return (await send({ ...request, body: JSON.stringify(body) }, 2_000)).answer;
}

/** The one event's outcome (a per-event answer holds one entry). */
const classify = (type: DestinationType, answer: Awaited<ReturnType<typeof sendEdited>>): Outcome => {
  const result = destinationModules[type].classify(answer, [makeEvent()]);
  return Array.isArray(result) ? (result[0] as Outcome) : result;
};
const status = (answer: Awaited<ReturnType<typeof sendEdited>>) => ("status" in answer ? answer.status : 0);
const bodyOf = (answer: Awaited<ReturnType<typeof sendEdited>>) => ("status" in answer ? (answer.body as any) : null);

before(async () => {
  mocks = await startPlatformMocks(SECRET);
});
after(() => closePlatformMocks(mocks));

describe("platform mocks accept what the modules build", () => {
  for (const type of Object.keys(CONFIG) as EventDestinationType[]) {
    test(`${type}: accepted, success body in the platform's shape`, async () => {
      mocks[type].reset();
      const answer = (await send(build(type), 2_000)).answer;
      assert.deepEqual(mocks[type].problems, []);
      assert.equal(classify(type, answer).outcome, "success");
      assert.equal(mocks[type].accepted.size, 1);
      if (type === "meta") assert.ok(bodyOf(answer).events_received === 1 && bodyOf(answer).fbtrace_id);
      if (type === "google_ads") assert.match(bodyOf(answer).requestId, /^[0-9a-f-]{36}$/);
      if (type === "linkedin") assert.equal(status(answer), 201);
      if (type === "hubspot" || type === "ga4") assert.equal(status(answer), 204);
    });
  }
});

describe("platform mocks reject what the platform rejects", () => {
  test("Meta: event_time in milliseconds, older than 7 days, unhashed email, more than 1,000 events, no token", async () => {
    const request = build("meta");
    const ms = await sendEdited(request, (b) => (b.data[0].event_time *= 1000));
    assert.equal(status(ms), 400);
    assert.equal(bodyOf(ms).error.code, 100);
    assert.match(bodyOf(ms).error.message, /event_time is in the future \(seconds expected/);
    assert.equal(classify("meta", ms).outcome, "permanent");
    const stale = await sendEdited(request, (b) => (b.data[0].event_time -= 8 * 86_400));
    assert.match(bodyOf(stale).error.message, /more than 7 days/);
    const plain = await sendEdited(request, (b) => (b.data[0].user_data.em = ["john.doe@gmail.com"]));
    assert.match(bodyOf(plain).error.message, /user_data\.em must be a SHA-256 hash/);
    const many = await sendEdited(request, (b) => (b.data = Array.from({ length: 1001 }, () => b.data[0])));
    assert.match(bodyOf(many).error.message, /at most 1000/);
    const noToken = await sendEdited(request, (b) => delete b.access_token);
    assert.equal(bodyOf(noToken).error.code, 190);
    assert.equal(classify("meta", noToken).outcome, "permanent");
  });

  test("GA4: the debug endpoint reports > 25 events, invalid and reserved names, missing client_id, timestamps not in µs", async () => {
    const request = build("ga4");
    const debug = { ...request, url: request.url.replace("/mp/collect", "/debug/mp/collect") };
    const valid = await sendEdited(debug, () => {});
    assert.deepEqual(bodyOf(valid), { validationMessages: [] });
    const bad = await sendEdited(debug, (b) => {
      delete b.client_id;
      b.events = Array.from({ length: 26 }, () => ({ ...b.events[0] }));
      b.events[0] = { ...b.events[0], name: "1purchase" };
      b.events[1] = { ...b.events[1], name: "page_view", timestamp_micros: Math.floor(Date.now() / 1000) };
    });
    const codes = bodyOf(bad).validationMessages.map((m: any) => `${m.validationCode} ${m.fieldPath}`);
    assert.deepEqual(
      codes.sort(),
      [
        "EXCEEDED_MAX_ENTITIES events",
        "NAME_INVALID events[0].name",
        "NAME_RESERVED events[1].name",
        "VALUE_INVALID events[1].timestamp_micros",
        "VALUE_REQUIRED client_id",
      ].sort(),
    );
    assert.equal(classify("ga4", bad).outcome, "permanent");
    mocks.ga4.reset();
    const silent = await sendEdited(request, (b) => delete b.client_id);
    assert.equal(status(silent), 204, "/mp/collect answers 2xx even for a malformed payload");
    assert.equal(mocks.ga4.accepted.size, 0);
    assert.match(mocks.ga4.problems[0]?.problem ?? "", /VALUE_REQUIRED client_id/);
  });

  test("Google Ads: non-RFC 3339 time, non-hex hashes with HEX encoding, userData without encoding, no token", async () => {
    const request = build("google_ads");
    const time = await sendEdited(request, (b) => (b.events[0].eventTimestamp = String(Date.now())));
    assert.equal(status(time), 400);
    assert.equal(bodyOf(time).error.status, "INVALID_ARGUMENT");
    assert.match(bodyOf(time).error.message, /RFC 3339/);
    assert.equal(classify("google_ads", time).outcome, "permanent");
    const hex = await sendEdited(
      request,
      (b) => (b.events[0].userData.userIdentifiers[0].emailAddress = "john.doe@gmail.com"),
    );
    assert.match(bodyOf(hex).error.message, /hex-encoded SHA-256/);
    const encoding = await sendEdited(request, (b) => delete b.encoding);
    assert.match(bodyOf(encoding).error.message, /encoding must be HEX/);
    const anon = await send({ ...request, headers: { "Content-Type": "application/json" } }, 2_000);
    assert.equal(status(anon.answer), 401);
  });

  test("LinkedIn: conversionHappenedAt in seconds, unhashed email, batch elements fail one by one", async () => {
    const request = build("linkedin");
    const seconds = await sendEdited(
      request,
      (b) => (b.conversionHappenedAt = Math.floor(b.conversionHappenedAt / 1000)),
    );
    assert.equal(status(seconds), 400);
    assert.match(bodyOf(seconds).message, /epoch milliseconds/);
    assert.equal(classify("linkedin", seconds).outcome, "permanent");
    const plain = await sendEdited(request, (b) => (b.user.userIds[0].idValue = "john.doe@gmail.com"));
    assert.match(bodyOf(plain).message, /SHA-256/);
    const batch = build("linkedin", [
      makeEvent({ occurredAt: new Date() }),
      makeEvent({ eventId: "second", occurredAt: new Date() }),
    ]);
    const mixed = await sendEdited(batch, (b) => (b.elements[1].conversionHappenedAt = 1_700_000_000));
    assert.deepEqual(
      bodyOf(mixed).elements.map((e: any) => e.status),
      [201, 400],
    );
    const outcomes = destinationModules.linkedin.classify(mixed, [makeEvent(), makeEvent()]) as Outcome[];
    assert.deepEqual(
      outcomes.map((o) => o.outcome),
      ["success", "permanent"],
    );
  });

  test("LinkedIn: a version not yet released or already sunset is dead-lettered with what to change", async () => {
    for (const [version, code] of [
      ["202612", 400],
      ["202401", 426],
    ] as const) {
      const config = linkedinConfigSchema.parse({ conversion_rule_id: "555", api_version: version });
      const request = destinationModules.linkedin.buildRequest(
        [makeEvent({ occurredAt: new Date(Date.now() - 60_000) })],
        settings(config, { access_token: "li-token" }, { baseUrl: mocks.linkedin.url }),
      );
      const { answer } = await send(request, 2_000);
      assert.equal(status(answer), code);
      const outcome = destinationModules.linkedin.classify(answer, [makeEvent()], settings(config, {}));
      assert.equal(!Array.isArray(outcome) && outcome.outcome, "permanent");
      assert.match(
        JSON.stringify(outcome),
        new RegExp(`LinkedIn-Version ${version} .*config.api_version .*${LINKEDIN_VERSION}`),
      );
    }
  });

  test("HubSpot: eventName not in pe{portal}_{name} form, hashed email as contact id", async () => {
    const request = build("hubspot");
    const name = await sendEdited(request, (b) => (b.eventName = "Purchase"));
    assert.equal(status(name), 400);
    assert.equal(bodyOf(name).category, "VALIDATION_ERROR");
    assert.match(bodyOf(name).message, /pe<portalId>_<name>/);
    assert.equal(classify("hubspot", name).outcome, "permanent");
    const contacts = { ...request, url: `${mocks.hubspot.url}/crm/v3/objects/contacts/batch/upsert` };
    const hashed = await sendEdited(contacts, (b) =>
      Object.assign(b, { inputs: [{ id: "a".repeat(64), idProperty: "email", properties: {} }] }),
    );
    assert.match(bodyOf(hashed).message, /plain email/);
  });

  test("Webhook: a bad or stale signature is refused with 401", async () => {
    const request = build("webhook");
    const tampered = await sendEdited(request, (b) => (b.events[0].properties.value = 1));
    assert.equal(status(tampered), 401);
    assert.equal(classify("webhook", tampered).outcome, "permanent");
    const old = Math.floor(Date.now() / 1000) - 3_600;
    const stale = await send(
      {
        ...request,
        headers: {
          ...request.headers,
          "X-TrackLayer-Timestamp": String(old),
          "X-TrackLayer-Signature": signWebhook(request.body, old, SECRET),
        },
      },
      2_000,
    );
    assert.equal(status(stale.answer), 401);
  });
});
