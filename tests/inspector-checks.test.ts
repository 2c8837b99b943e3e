// The four checks as pure functions: each pass, each failure reason, and pending while
// destinations have not answered. Plus reading keys back out of each platform's logged body.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { sha256Hex } from "@/lib/delivery/normalize";
import {
  type CheckInput,
  checkAcceptedDownstream,
  checkSameBusinessId,
  checkSameUser,
  checkStableEventId,
  derivesFrom,
  evaluateChecks,
  type LaneInput,
  overallOutcome,
} from "@/lib/inspector/checks";
import { payloadKeys } from "@/lib/inspector/payload-keys";

const event = {
  eventId: "purchase_ord_1",
  userId: "user_1",
  properties: { order_id: "ord_1", value: 10, currency: "EUR" },
};

function metaLane(
  over: Partial<{ eventId: string; externalId: string | undefined; orderId: string | undefined }> = {},
  lane: Partial<LaneInput> = {},
): LaneInput {
  const body = {
    data: [
      {
        event_id: over.eventId ?? event.eventId,
        user_data: {
          external_id: "externalId" in over ? (over.externalId ? [over.externalId] : undefined) : [sha256Hex("user_1")],
        },
        custom_data: { order_id: "orderId" in over ? over.orderId : "ord_1", value: 10, currency: "EUR" },
      },
    ],
  };
  return {
    destination: "Meta",
    type: "meta",
    status: "succeeded",
    lastError: null,
    ack: { events_received: 1, fbtrace_id: "tr" },
    testMode: true,
    keys: payloadKeys("meta", body, event),
    ...lane,
  };
}

function input(over: Partial<CheckInput> = {}): CheckInput {
  return {
    eventId: event.eventId,
    status: "accepted",
    canonicalEvent: "purchase",
    userId: "user_1",
    anonymousId: "anon_1",
    resolvedUserId: "user_1",
    properties: event.properties,
    revisionStatus: "approved",
    testKey: false,
    requiredProperties: ["order_id", "value", "currency"],
    problems: [],
    anonymousOwner: "user_1",
    identityConflicts: [],
    reusedAt: [],
    siblingEventIds: [],
    lanes: [metaLane()],
    mappingDestinations: [{ destination: "Meta", switchedOn: true }],
    ...over,
  };
}

test("a clean event passes all four checks", () => {
  const checks = evaluateChecks(input());
  assert.deepEqual(
    checks.map((c) => c.status),
    ["pass", "pass", "pass", "pass"],
  );
  assert.equal(overallOutcome(checks), "pass");
  assert.match(checks[3]!.reasons[0]!, /Meta \(test mode\) accepted .*events_received/);
});

test("same user: conflicts, a different anonymous owner, no anchor and a wrong payload key each fail with a reason", () => {
  const conflict = checkSameUser(
    input({ identityConflicts: [{ existingUserId: "user_1", attemptedUserId: "user_2", at: "2026-01-01T00:00:00Z" }] }),
  );
  assert.equal(conflict.status, "fail");
  assert.match(conflict.reasons[0]!, /linked to user user_1.*claimed it for user_2/);

  const owner = checkSameUser(input({ anonymousOwner: "user_9" }));
  assert.equal(owner.status, "fail");
  assert.match(owner.reasons[0]!, /says user user_1 but its anonymous_id resolves to user_9/);

  const anonymous = checkSameUser(input({ userId: null, resolvedUserId: null, anonymousOwner: null }));
  assert.equal(anonymous.status, "fail");
  assert.match(anonymous.reasons[0]!, /not linked to any user_id/);
  assert.match(anonymous.fix!, /\/api\/identify/);

  const missing = checkSameUser(input({ lanes: [metaLane({ externalId: undefined })] }));
  assert.deepEqual(missing.reasons, ["Meta: user_data.external_id is missing"]);

  const other = checkSameUser(input({ lanes: [metaLane({ externalId: sha256Hex("someone_else") })] }));
  assert.match(other.reasons[0]!, /external_id is [0-9a-f]{64}, expected/);
});

test("same business id: missing on the event, missing or changed in a payload; events without one pass", () => {
  const absent = checkSameBusinessId(input({ properties: { value: 10 } }));
  assert.equal(absent.status, "fail");
  assert.deepEqual(absent.reasons, ["purchase carries no order_id"]);
  assert.match(absent.fix!, /required properties/);

  const dropped = checkSameBusinessId(input({ lanes: [metaLane({ orderId: undefined })] }));
  assert.deepEqual(dropped.reasons, ["Meta: custom_data.order_id is missing (expected order_id ord_1)"]);

  const changed = checkSameBusinessId(input({ lanes: [metaLane({ orderId: "ORD-1" })] }));
  assert.deepEqual(changed.reasons, ["Meta: custom_data.order_id is ORD-1, expected ord_1"]);

  const signUp = checkSameBusinessId(input({ canonicalEvent: "sign_up", requiredProperties: [], properties: {} }));
  assert.equal(signUp.status, "pass");

  const lead = checkSameBusinessId(input({ canonicalEvent: "qualify_lead", requiredProperties: [], properties: {} }));
  assert.deepEqual(lead.reasons, ["qualify_lead carries no lead_id"]);
});

test("stable event_id: reuse, random-looking ids, one order under several ids and a wrong dedup key each fail", () => {
  const reused = checkStableEventId(input({ reusedAt: ["2026-01-02T00:00:00.000Z"] }));
  assert.match(reused.reasons[0]!, /reused with a different payload 1 time\(s\)/);

  const conflictRow = checkStableEventId(input({ status: "duplicate_conflict" }));
  assert.match(conflictRow.reasons[0]!, /already used by another event/);

  const random = checkStableEventId(input({ eventId: "5f0c6e7a-3b1d-4c55-9b7e-0c1f2a3b4c5d", lanes: [] }));
  assert.equal(random.status, "fail");
  assert.match(random.reasons[0]!, /does not contain or derive from order_id ord_1/);
  assert.match(random.fix!, /purchase_ord_1/);

  const siblings = checkStableEventId(input({ siblingEventIds: ["evt_a", "evt_b"] }));
  assert.deepEqual(siblings.reasons, ["order_id ord_1 also arrived under 2 other event_id(s): evt_a, evt_b"]);

  const dedup = checkStableEventId(
    input({
      lanes: [
        {
          ...metaLane(),
          keys: {
            dedup: { field: "data[].event_id", value: "other", expected: event.eventId },
            user: null,
            business: null,
          },
        },
      ],
    }),
  );
  assert.deepEqual(dedup.reasons, ["Meta: dedup key data[].event_id is other, expected purchase_ord_1"]);

  const notCarried = checkStableEventId(
    input({ lanes: [{ ...metaLane(), keys: payloadKeys("meta", { data: [] }, event) }] }),
  );
  assert.deepEqual(notCarried.reasons, ["Meta: the logged request does not carry this event"]);
});

test("derivesFrom accepts ids that contain the business id or a digest of it", () => {
  assert.ok(derivesFrom("purchase_ORD_1", "ord_1", "purchase"));
  assert.ok(derivesFrom(createHash("sha256").update("ord_1").digest("hex"), "ord_1", "purchase"));
  assert.ok(derivesFrom(createHash("md5").update("purchase:ord_1").digest("hex"), "ord_1", "purchase"));
  assert.ok(!derivesFrom("evt_123", "ord_1", "purchase"));
});

test("accepted downstream: unmapped, rejected, held, no destination, dead lanes and platform errors fail; sending is pending", () => {
  assert.match(checkAcceptedDownstream(input({ status: "unmapped", revisionStatus: null })).reasons[0]!, /no mapping/);
  const rejected = checkAcceptedDownstream(
    input({ status: "rejected", problems: [{ path: "properties.order_id", message: "is required" }] }),
  );
  assert.deepEqual(rejected.reasons, ["properties.order_id: is required"]);
  const held = checkAcceptedDownstream(input({ status: "held", revisionStatus: "in_review" }));
  assert.match(held.reasons[0]!, /revision applied is in_review/);
  assert.equal(checkAcceptedDownstream(input({ revisionStatus: "superseded" })).status, "pass");
  assert.match(
    checkAcceptedDownstream(input({ lanes: [], mappingDestinations: [] })).reasons[0]!,
    /no destination is enabled/,
  );

  const dead = checkAcceptedDownstream(
    input({ lanes: [metaLane({}, { status: "dead", lastError: "HTTP 400: invalid parameter" })] }),
  );
  assert.deepEqual(dead.reasons, ["Meta: HTTP 400: invalid parameter"]);
  const zero = checkAcceptedDownstream(input({ lanes: [metaLane({}, { ack: { events_received: 0 } })] }));
  assert.match(zero.reasons[0]!, /0 events received/);
  const ga4 = checkAcceptedDownstream(
    input({ lanes: [metaLane({}, { destination: "GA4", ack: { validationMessages: [{ description: "bad" }] } })] }),
  );
  assert.match(ga4.reasons[0]!, /GA4: validation messages/);

  const retrying = input({ lanes: [metaLane({}, { status: "retrying", lastError: "HTTP 503", keys: undefined })] });
  assert.equal(checkAcceptedDownstream(retrying).status, "pending");
  assert.equal(overallOutcome(evaluateChecks(retrying)), "pending");
  assert.equal(checkSameUser(retrying).status, "pending");
});

test("payload keys: each platform's dedup key, user key and business id are read from its own shape", () => {
  const google = payloadKeys("google_ads", { events: [{ transactionId: "ord_1" }] }, event);
  assert.deepEqual(google?.business, { field: "events[].transactionId", value: "ord_1" });
  const ga4 = payloadKeys(
    "ga4",
    { user_id: "user_1", events: [{ name: "purchase", params: { transaction_id: "ord_1" } }] },
    event,
  );
  assert.deepEqual([ga4?.user?.value, ga4?.business?.value, ga4?.dedup], ["user_1", "ord_1", null]);
  const linkedin = payloadKeys("linkedin", { elements: [{ eventId: "purchase_ord_1" }] }, event);
  assert.equal(linkedin?.dedup?.value, "purchase_ord_1");
  const webhook = payloadKeys(
    "webhook",
    { events: [{ event_id: "purchase_ord_1", user_id: "user_1", properties: { order_id: "ord_1" } }] },
    event,
  );
  assert.deepEqual(
    [webhook?.user?.value, webhook?.business?.value, webhook?.dedup?.value],
    ["user_1", "ord_1", "purchase_ord_1"],
  );
  assert.equal(payloadKeys("webhook", { events: [] }, event), null);
});

test("nothing sent: the real cause is named, and the downstream comparisons are not applicable rather than passed", () => {
  const switchedOff = input({
    lanes: [],
    mappingDestinations: [
      { destination: "Meta", switchedOn: false },
      { destination: "GA4", switchedOn: false },
    ],
  });
  const downstream = checkAcceptedDownstream(switchedOff);
  assert.equal(downstream.status, "fail");
  assert.deepEqual(downstream.reasons, [
    "the mapping sends to Meta and GA4, but they are switched off, so nothing was queued",
  ]);
  assert.match(downstream.fix!, /Switch on Meta or GA4/);

  const late = checkAcceptedDownstream(
    input({ lanes: [], mappingDestinations: [{ destination: "Meta", switchedOn: true }] }),
  );
  assert.match(late.reasons[0]!, /enabled after this event arrived/);

  const business = checkSameBusinessId(switchedOff);
  assert.equal(business.status, "not_applicable");
  assert.ok(
    business.reasons.every((r) => !/reached every destination/.test(r)),
    business.reasons.join("; "),
  );
  assert.match(business.reasons.at(-1)!, /no destination received this event/);
  assert.equal(checkStableEventId(switchedOff).status, "not_applicable");

  const skipped = input({ lanes: [metaLane({}, { status: "skipped", keys: undefined })] });
  assert.equal(checkSameBusinessId(skipped).status, "not_applicable", "a lane skipped before sending carried nothing");
  assert.equal(overallOutcome(evaluateChecks(switchedOff)), "fail");
});
