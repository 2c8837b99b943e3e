// End to end against every platform's mock (tests/platforms-harness.ts): real captures go through
// ingestion into the outbox and the REAL destination modules deliver them. Every platform accepts
// every event once, the attempt log holds what was sent without secrets or raw PII, and in a mixed
// batch each platform's invalid event fails alone. Faults: delivery-platforms-faults.test.ts.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { uuidFor } from "@/lib/delivery/destinations/hubspot";
import {
  allMocks,
  assertAcceptedOnce,
  deliveriesOf,
  drain,
  hubspotKey,
  leads,
  mocks,
  options,
  purchases,
  TOKENS,
  withPlatformMocks,
} from "./platforms-harness";

withPlatformMocks();

describe("delivery to every platform", () => {
  test("every platform accepts every event; attempt logs hold the request without secrets or raw PII, and the ack", async () => {
    const orders = await purchases(6);
    const leadIds = await leads(3);
    await drain(options(), 2);
    const rows = await deliveriesOf([...orders, ...leadIds]);
    assert.equal(rows.length, orders.length * 6 + leadIds.length * 4);
    for (const row of rows) assert.equal(row.status, "succeeded", `${row.destination.name}: ${row.lastError}`);
    assertAcceptedOnce({
      meta: [...orders.map((o) => `Purchase:evt_${o}`), ...leadIds.map((l) => `Lead:evt_${l}`)],
      google_ads: [...orders.map((o) => `111:${o}`), ...leadIds.map((l) => `222:${l}`)],
      ga4: orders.map((o) => `purchase:${o}`),
      linkedin: [
        ...orders.map((o) => `urn:lla:llaPartnerConversion:501:evt_${o}`),
        ...leadIds.map((l) => `urn:lla:llaPartnerConversion:502:evt_${l}`),
      ],
      hubspot: orders.map(hubspotKey),
      webhook: orders.map((o) => `evt_${o}`),
    });
    assert.ok(
      mocks.hubspot.received.some((r) => r.path === "/crm/v3/objects/contacts/batch/upsert"),
      "leads upsert contacts",
    );

    for (const row of rows) {
      const [attempt] = row.log;
      assert.ok(attempt, "one attempt logged");
      const logged = JSON.stringify(attempt.request);
      for (const secret of TOKENS)
        assert.ok(!logged.includes(secret), `${row.destination.name} log leaks a credential`);
      assert.ok(
        !/jane\.roe@gmail\.com|max@example\.org|203\.0\.113\.9/i.test(logged),
        `${row.destination.name} log holds raw PII`,
      );
      assert.ok(attempt.response.status && attempt.response.status < 300);
      // A batched request is logged per event: the envelope with this event's own element.
      const ownId = row.event.eventId.replace(/^evt_/, "");
      if (row.destination.name !== "hubspot_contacts")
        assert.ok(JSON.stringify(attempt.request.body).includes(ownId), `${row.destination.name} log shows ${ownId}`);
      assert.equal(attempt.outcome, "success");
    }
    const metaLog = rows.find((r) => r.destination.name === "meta")!.log[0]!.request.body as {
      data: unknown[];
      _batch: { size: number };
    };
    assert.equal(metaLog.data.length, 1);
    assert.equal(metaLog._batch.size, orders.length + leadIds.length, "one Meta request carried the whole batch");
    const ackOf = (name: string) => rows.find((r) => r.destination.name === name)!.ack as Record<string, unknown>;
    assert.ok(ackOf("meta").fbtrace_id && ackOf("meta").events_received);
    assert.match(String(ackOf("google_ads").requestId), /^[0-9a-f-]{36}$/);
    assert.equal(ackOf("linkedin").status, 201);
  });

  test("a mixed batch: each platform's invalid event dead-letters alone with its own error; the valid ones are delivered", async () => {
    const orders = await purchases(4);
    const [, badGoogle, badLinkedin, badHubspot] = orders as [string, string, string, string];
    mocks.google_ads.invalid.add(badGoogle);
    mocks.linkedin.invalid.add(`evt_${badLinkedin}`);
    mocks.hubspot.invalid.add(uuidFor(`evt_${badHubspot}`));
    await drain(options(), 3);
    const rows = await deliveriesOf(orders);
    const bad: Record<string, string> = { google_ads: badGoogle, linkedin: badLinkedin, hubspot: badHubspot };
    const ownError: Record<string, RegExp> = {
      google_ads: /events\[\d\]\.adIdentifiers\.gclid: The click identifier could not be decoded/,
      linkedin: /not associated with a campaign/,
      hubspot: /property value is not valid/,
    };
    for (const row of rows) {
      const name = row.destination.name;
      const order = row.event.eventId.replace(/^evt_/, "");
      if (bad[name] === order) {
        assert.equal(row.status, "dead", `${name}: the invalid event is dead-lettered`);
        assert.match(row.lastError ?? "", ownError[name]!, `${name}: its own error`);
      } else {
        assert.equal(row.status, "succeeded", `${name} ${order}: ${row.lastError}`);
        assert.ok(
          row.log.every((a) => !ownError[name]?.test(a.reason)),
          `${name} ${order}: another event's error was copied onto it`,
        );
      }
    }
    const valid = (name: string) => orders.filter((o) => o !== bad[name]);
    assert.deepEqual(
      [...mocks.google_ads.accepted.keys()].sort(),
      valid("google_ads")
        .map((o) => `111:${o}`)
        .sort(),
    );
    assert.deepEqual(
      [...mocks.linkedin.accepted.keys()].sort(),
      valid("linkedin")
        .map((o) => `urn:lla:llaPartnerConversion:501:evt_${o}`)
        .sort(),
    );
    assert.deepEqual([...mocks.hubspot.accepted.keys()].sort(), valid("hubspot").map(hubspotKey).sort());
    const googleRetried = rows.filter((r) => r.destination.name === "google_ads" && r.status === "succeeded");
    for (const row of googleRetried)
      assert.match(row.log[0]?.reason ?? "", /not ingested: Google refused the request for events\[\d\]; sent again/);
    for (const mock of allMocks()) assert.deepEqual(mock.duplicates(), [], `${mock.name} accepted an event twice`);
  });
});
