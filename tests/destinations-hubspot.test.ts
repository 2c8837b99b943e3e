// HubSpot module: behavioural events (single and batch), contact upserts, plain emails, Retry-After, multi-status.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  type HubspotConfig,
  hubspotConfigSchema,
  hubspotDestination,
  uuidFor,
} from "@/lib/delivery/destinations/hubspot";
import type { Outcome } from "@/lib/delivery/destinations/types";
import { answer, HASH, kind, makeEvent, network, settings } from "./destination-fixtures";

const config = (extra: Record<string, unknown> = {}): HubspotConfig =>
  hubspotConfigSchema.parse({ portal_id: "4242", ...extra });
const secrets = { access_token: "pat-na1-secret" };
const s = (cfg = config()) => settings(cfg, secrets);

test("event mode: one event goes to /events/v3/send with a plain email and ISO time", () => {
  const req = hubspotDestination.buildRequest([makeEvent()], s());
  assert.equal(req.url, "http://mock.local/events/v3/send");
  assert.equal(req.headers.Authorization, "Bearer pat-na1-secret");
  assert.deepEqual(JSON.parse(req.body), {
    eventName: "pe4242_purchase",
    email: "john.doe@gmail.com",
    occurredAt: "2026-11-02T10:00:00.123Z",
    properties: { order_id: "ord_10492", value: 129.95, currency: "eur" },
    uuid: uuidFor("ord_10492_purchase"),
  });
  assert.match(uuidFor("ord_10492_purchase"), /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(uuidFor("ord_10492_purchase"), uuidFor("ord_10492_purchase"));
  assert.equal(uuidFor("0F8FAD5B-D9CB-469F-A165-70867728950E"), "0f8fad5b-d9cb-469f-a165-70867728950e");
});

test("the token and the plain email never reach the log", () => {
  const req = hubspotDestination.buildRequest([makeEvent()], s());
  assert.equal(req.log.headers.Authorization, "[redacted]");
  assert.doesNotMatch(JSON.stringify(req.log), /pat-na1-secret|john\.doe/i);
});

test("event mode batch: /events/v3/send/batch with inputs; names, objectId and property map", () => {
  const cfg = config({
    event_names: { qualify_lead: "lead_qualified", purchase: "pe4242_order" },
    property_map: { amount: "value", plan: "plan" },
  });
  const lead = makeEvent({
    eventId: "l1",
    canonicalEvent: "qualify_lead",
    properties: {},
    traits: { hubspot_contact_id: "901", plan: "pro" },
  });
  const req = hubspotDestination.buildRequest([makeEvent(), lead], s(cfg));
  assert.equal(req.url, "http://mock.local/events/v3/send/batch");
  const { inputs } = JSON.parse(req.body);
  assert.deepEqual(
    inputs.map((i: { eventName: string }) => i.eventName),
    ["pe4242_order", "pe4242_lead_qualified"],
  );
  assert.deepEqual(inputs[0].properties, { amount: 129.95 });
  assert.deepEqual([inputs[1].objectId, inputs[1].email, inputs[1].properties], ["901", undefined, { plan: "pro" }]);
});

test("contact mode: batch upsert by email, one input per email", () => {
  const cfg = config({ mode: "contact", property_map: { last_order_value: "value" } });
  const second = makeEvent({
    eventId: "e2",
    properties: { value: 50 },
    traits: { email: "JOHN.DOE@gmail.com", city: "Berlin" },
  });
  const req = hubspotDestination.buildRequest([makeEvent(), second], s(cfg));
  assert.equal(req.url, "http://mock.local/crm/v3/objects/contacts/batch/upsert");
  assert.deepEqual(JSON.parse(req.body), {
    inputs: [
      {
        id: "john.doe@gmail.com",
        idProperty: "email",
        properties: {
          firstname: "John",
          lastname: "O'Doe",
          phone: "+49 151 1234 5678",
          country: "DE",
          city: "Berlin",
          last_order_value: 50,
          email: "john.doe@gmail.com",
        },
      },
    ],
  });
  assert.doesNotMatch(JSON.stringify(req.log.body), /john\.doe|O'Doe|\+49/);
});

test("validation: event mode needs portal_id; contact mode needs a plain (unhashed) email; batch cap is configurable", () => {
  assert.match(JSON.stringify(hubspotConfigSchema.safeParse({}).error?.issues), /portal_id is required in event mode/);
  assert.equal(hubspotConfigSchema.safeParse({ mode: "contact" }).success, true);
  const hashedOnly = makeEvent({ traits: { email_sha256: HASH.emailMeta } });
  assert.match(hubspotDestination.validateEvent?.(hashedOnly, s(config({ mode: "contact" }))) ?? "", /plain email/);
  assert.match(hubspotDestination.validateEvent?.(hashedOnly, s()) ?? "", /hubspot_contact_id/);
  assert.equal(hubspotDestination.validateEvent?.(makeEvent({ traits: { hubspot_contact_id: 5 } }), s()), null);
  assert.equal(hubspotDestination.batchLimit?.(s()), 100);
  assert.equal(hubspotDestination.batchLimit?.(s(config({ max_batch: 500 }))), 500);
  assert.equal(hubspotDestination.batchLimit?.(s(config({ mode: "contact", max_batch: 500 }))), 100);
  assert.equal(hubspotConfigSchema.safeParse({ portal_id: "1", max_batch: 900 }).success, false);
});

test("classify: empty 2xx success, 429 honours Retry-After seconds, 5xx/network retry, other 4xx permanent", () => {
  const one = [makeEvent()];
  assert.deepEqual(hubspotDestination.classify(answer(204, ""), one), { outcome: "success", ack: { status: 204 } });
  assert.deepEqual(hubspotDestination.classify(answer(200, { status: "COMPLETE", results: [] }), one), {
    outcome: "success",
    ack: { status: 200, batchStatus: "COMPLETE" },
  });
  assert.deepEqual(
    hubspotDestination.classify(
      answer(
        429,
        { status: "error", message: "You have reached your secondly limit.", policyName: "SECONDLY" },
        { "Retry-After": "10" },
      ),
      one,
    ),
    { outcome: "retry", reason: "HTTP 429: You have reached your secondly limit. (SECONDLY)", retryAfterMs: 10_000 },
  );
  assert.equal(kind(hubspotDestination.classify(answer(502, "bad gateway"), one)), "retry");
  assert.equal(kind(hubspotDestination.classify(network, one)), "retry");
  assert.deepEqual(
    hubspotDestination.classify(
      answer(400, { message: "Property values were not valid", category: "VALIDATION_ERROR" }),
      one,
    ),
    {
      outcome: "permanent",
      reason: "HTTP 400: Property values were not valid (VALIDATION_ERROR)",
    },
  );
});

test("classify: 207 multi-status fails only the events an error names", () => {
  const events = [makeEvent(), makeEvent({ eventId: "e2", traits: { email: "ann@example.com" } })];
  const outcomes = hubspotDestination.classify(
    answer(207, {
      status: "COMPLETE",
      results: [{}],
      errors: [{ message: "Invalid email", category: "VALIDATION_ERROR", context: { ids: ["ann@example.com"] } }],
    }),
    events,
  );
  assert.deepEqual(outcomes, [
    { outcome: "success", ack: { status: 207 } },
    { outcome: "permanent", reason: "HTTP 207: Invalid email (VALIDATION_ERROR)" },
  ]);
});

test("classify: a 207 error naming one event's uuid fails that event only, not the other events of the same email", () => {
  const events = [makeEvent({ eventId: "e1" }), makeEvent({ eventId: "e2" }), makeEvent({ eventId: "e3" })];
  const body = (errors: unknown[]) =>
    answer(207, { status: "COMPLETE", results: [], numErrors: errors.length, errors });
  const outcomes = hubspotDestination.classify(
    body([{ message: "inputs[1]: bad property", category: "VALIDATION_ERROR", context: { uuid: [uuidFor("e2")] } }]),
    events,
  ) as Outcome[];
  assert.deepEqual(
    outcomes.map((o) => o.outcome),
    ["success", "permanent", "success"],
  );
  // An error naming only the shared email cannot be attributed: nobody is failed with it, all are sent again.
  const shared = hubspotDestination.classify(
    body([{ message: "Invalid", context: { ids: ["john.doe@gmail.com"] } }]),
    events,
  ) as Outcome[];
  assert.deepEqual(
    shared.map((o) => o.outcome),
    ["retry", "retry", "retry"],
  );
  // Contact mode merges events by email: there the email names every event merged into that contact.
  const contact = hubspotDestination.classify(
    body([{ message: "Invalid", context: { ids: ["john.doe@gmail.com"] } }]),
    events,
    settings(hubspotConfigSchema.parse({ mode: "contact" }), { access_token: "t" }),
  ) as Outcome[];
  assert.deepEqual(
    contact.map((o) => o.outcome),
    ["permanent", "permanent", "permanent"],
  );
});
