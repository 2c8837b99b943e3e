// The timestamp travels too (issue 16): per destination, the time field as sent is read back and
// compared with occurred_at at the platform's precision; a unit error or a shifted zone fails the
// "accepted downstream" check, naming the destination.
import assert from "node:assert/strict";
import { test } from "node:test";
import { destinationModules } from "@/lib/delivery/destinations";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { type CheckInput, checkAcceptedDownstream, type LaneInput } from "@/lib/inspector/checks";
import { payloadKeys } from "@/lib/inspector/payload-keys";
import { checkSentTime } from "@/lib/inspector/timestamp";
import { makeEvent, OCCURRED, settings } from "./destination-fixtures";

const event = makeEvent();
const ref = { eventId: event.eventId, userId: event.userId, properties: event.properties, occurredAt: OCCURRED };

const CONFIGS: Partial<Record<DestinationType, [Record<string, unknown>, Record<string, string>]>> = {
  meta: [{ pixel_id: "1" }, { access_token: "t" }],
  google_ads: [{ customer_id: "1234567890", conversion_action_id: "1" }, { access_token: "t" }],
  ga4: [{ measurement_id: "G-ABC" }, { api_secret: "s" }],
  linkedin: [{ conversion_rule_id: "1" }, { access_token: "t" }],
  hubspot: [{ mode: "event", portal_id: "1" }, { access_token: "t" }],
  webhook: [{ url: "http://hooks.test/x" }, { signing_secret: "a-signing-secret-0123456789" }],
};

test("every destination's request carries occurred_at in its own unit, and it reads back at the platform's precision", () => {
  for (const [type, [config, secrets]] of Object.entries(CONFIGS) as [DestinationType, [object, object]][]) {
    const module = destinationModules[type];
    const request = module.buildRequest(
      [event],
      settings(module.configSchema.parse(config), module.secretsSchema.parse(secrets)),
    );
    const time = payloadKeys(type, request.log.body, ref)?.time;
    assert.ok(time, `${type}: a time field is read`);
    assert.equal(time.problem, null, `${type}: ${time.problem}`);
  }
});

test("units and precisions: seconds floor, µs and ms exact, RFC 3339 / ISO 8601 with a zone", () => {
  assert.equal(checkSentTime({ field: "event_time", unit: "s", sent: 1793613600 }, OCCURRED).problem, null);
  assert.equal(
    checkSentTime({ field: "timestamp_micros", unit: "µs", sent: 1793613600123000 }, OCCURRED).problem,
    null,
  );
  assert.equal(checkSentTime({ field: "t", unit: "ms", sent: 1793613600123 }, OCCURRED).problem, null);
  assert.equal(
    checkSentTime({ field: "t", unit: "RFC 3339", sent: "2026-11-02T11:00:00.123+01:00" }, OCCURRED).problem,
    null,
  );
  assert.match(
    checkSentTime({ field: "event_time", unit: "s", sent: 1793613600123 }, OCCURRED).problem ?? "",
    /event_time is 1793613600123 .*expected 1793613600 \(s\).*wrong unit/,
  );
  assert.match(
    checkSentTime({ field: "conversionHappenedAt", unit: "ms", sent: 1793613600 }, OCCURRED).problem ?? "",
    /wrong unit/,
  );
  assert.match(
    checkSentTime({ field: "eventTimestamp", unit: "RFC 3339", sent: "2026-11-02T10:00:00.123+01:00" }, OCCURRED)
      .problem ?? "",
    /off by -1 h: a shifted time zone/,
  );
  assert.match(
    checkSentTime({ field: "occurredAt", unit: "ISO 8601", sent: "2026-11-02T10:00:00.123" }, OCCURRED).problem ?? "",
    /has no time zone/,
  );
});

function lane(type: DestinationType, body: unknown): LaneInput {
  return {
    destination: `${type} dest`,
    type,
    status: "succeeded",
    lastError: null,
    ack: null,
    testMode: false,
    keys: payloadKeys(type, body, ref),
  };
}

const input = (lanes: LaneInput[]): CheckInput => ({
  mappingDestinations: [],
  eventId: event.eventId,
  status: "accepted",
  canonicalEvent: "purchase",
  userId: "cust_2048",
  anonymousId: null,
  resolvedUserId: "cust_2048",
  properties: event.properties,
  revisionStatus: "approved",
  testKey: false,
  requiredProperties: [],
  problems: [],
  anonymousOwner: null,
  identityConflicts: [],
  reusedAt: [],
  siblingEventIds: [],
  lanes,
});

test("a time sent in the wrong unit fails 'accepted downstream', naming the destination; a right one passes", () => {
  const good = lane("meta", { data: [{ event_id: event.eventId, event_time: 1793613600 }] });
  const bad = lane("linkedin", { eventId: event.eventId, conversionHappenedAt: 1793613600 });
  const check = checkAcceptedDownstream(input([good, bad]));
  assert.equal(check.status, "fail");
  assert.equal(check.reasons.length, 1);
  assert.match(
    check.reasons[0] ?? "",
    /^linkedin dest: the timestamp does not travel: conversionHappenedAt is 1793613600/,
  );
  assert.match(check.fix ?? "", /occurred_at/);
  const passed = checkAcceptedDownstream(input([good]));
  assert.equal(passed.status, "pass");
  assert.match(passed.reasons.join(" "), /event_time 1793613600 \(s\) matches occurred_at/);
});
