// End to end against every platform's mock: real captures go through ingestion into the outbox,
// the REAL destination modules deliver them via runOnce, and each mock validates what it gets like
// its platform would. Faults only delay delivery; nothing is lost or accepted twice.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { ATTEMPT_LOG, serializeAttempt } from "@/lib/delivery/deliveries";
import { uuidFor } from "@/lib/delivery/destinations/hubspot";
import { createDestination } from "@/lib/delivery/manage-destinations";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { defaultWorkerOptions, type WorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, identify, ofEvents, writeKeyFor } from "./ingest-helpers";
import {
  closePlatformMocks,
  type EventDestinationType,
  type PlatformMocks,
  startPlatformMocks,
} from "./platform-mocks";
import type { Fault } from "./platform-mocks/core";

const SIGNING_SECRET = "platforms-webhook-secret-42";
const TOKENS = [
  "meta-live-token",
  "google-live-token",
  "ga4-live-secret",
  "li-live-token",
  "hs-live-token",
  SIGNING_SECRET,
];
let ws: TestWorkspace;
let key: string;
let mocks: PlatformMocks;
let clock = Date.now();
let n = 0;
/** Destination ids by name; "hubspot_contacts" is a second HubSpot destination (contact upserts) for leads. */
const dest: Record<string, string> = {};

const options = (over: Partial<WorkerOptions> = {}): WorkerOptions =>
  defaultWorkerOptions({
    policy: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 },
    timeoutMs: 1_500,
    now: () => new Date(clock),
    ...over,
  });

async function drain(opts = options(), rounds = 8) {
  for (let i = 0; i < rounds; i++) {
    await runOnce("platforms-worker", opts);
    clock += 60_000;
  }
}

const USERS = [
  {
    user_id: "pl_user_1",
    traits: {
      email: " Jane.Roe@Gmail.com ",
      phone: "+49 151 2222 3333",
      first_name: "Jane",
      last_name: "Roe",
      country: "DE",
    },
  },
  { user_id: "pl_user_2", traits: { email: "max@example.org", first_name: "Max", last_name: "Muster", country: "AT" } },
];

const context = (i: number) => ({
  ip: "203.0.113.9",
  userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0",
  page: { url: "https://shop.example/checkout", referrer: "https://www.google.com/" },
  fbp: "fb.1.1700000000000.42",
  gclid: `Cj0-gclid-${i}`,
  client_id: `${1000 + i}.1700000000`,
});

async function purchases(count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `pl_ord_${++n}`;
    const user = USERS[n % USERS.length]!;
    const result = await capture(key, {
      event: "purchase",
      event_id: `evt_${id}`,
      user_id: user.user_id,
      source: "heap",
      properties: {
        order_id: id,
        value: 10 + n,
        currency: "eur",
        items: [{ item_id: "sku_1", quantity: 1, price: 10 + n }],
      },
      context: context(n),
    });
    assert.equal(result.status, 202, JSON.stringify(result));
    ids.push(id);
  }
  return ids;
}

async function leads(count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `pl_lead_${++n}`;
    await capture(key, {
      event: "qualify_lead",
      event_id: `evt_${id}`,
      user_id: USERS[n % USERS.length]!.user_id,
      source: "heap",
      properties: { lead_id: id, pipeline_stage: "sql" },
      context: context(n),
    });
    ids.push(id);
  }
  return ids;
}

/** The deliveries of these orders, each with its attempts as the delivery log shows them. */
const deliveriesOf = async (eventIds: string[]) => {
  const events = await db().event.findMany({
    where: { workspaceId: ws.workspace.id, eventId: { in: eventIds.map((id) => `evt_${id}`) } },
    select: { id: true, eventId: true },
  });
  const byRow = new Map(events.map((e) => [e.id, e]));
  return (
    await db().delivery.findMany({
      where: { workspaceId: ws.workspace.id, eventRowId: { in: events.map((e) => e.id) } },
      include: { log: ATTEMPT_LOG, destination: true },
    })
  ).map((row) => ({ ...row, event: byRow.get(row.eventRowId)!, log: row.log.map(serializeAttempt) }));
};

const allMocks = () => Object.values(mocks);
/** HubSpot dedups behavioural events by the uuid the module derives from the event id. */
const hubspotKey = (order: string) => `event:${uuidFor(`evt_${order}`)}`;

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  mocks = await startPlatformMocks(SIGNING_SECRET, () => new Date(clock));
  const make = async (
    name: string,
    type: EventDestinationType,
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ) => {
    const created = await createDestination(ws.actors.admin, {
      type,
      name,
      config: { ...config, ...(type === "webhook" ? {} : { base_url: mocks[type].url }) },
      secrets,
      enabled: true,
      test_mode: false,
    });
    dest[name] = created.id;
  };
  await make("meta", "meta", { pixel_id: "123456789" }, { access_token: TOKENS[0]! });
  await make(
    "google_ads",
    "google_ads",
    { customer_id: "123-456-7890", conversion_actions: { purchase: "111", qualify_lead: "222" } },
    { access_token: TOKENS[1]! },
  );
  await make("ga4", "ga4", { measurement_id: "G-PLATFORMS1" }, { api_secret: TOKENS[2]! });
  await make(
    "linkedin",
    "linkedin",
    { conversion_rules: { purchase: "501", qualify_lead: "502" } },
    { access_token: TOKENS[3]! },
  );
  await make("hubspot", "hubspot", { mode: "event", portal_id: "4242" }, { access_token: TOKENS[4]! });
  await make("hubspot_contacts", "hubspot", { mode: "contact" }, { access_token: TOKENS[4]! });
  await make(
    "webhook",
    "webhook",
    { url: `${mocks.webhook.url}/hooks/tracklayer` },
    { signing_secret: SIGNING_SECRET },
  );
  const mapping = (sourceEvent: string) =>
    db().mapping.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, sourceEvent } });
  const purchase = await mapping("purchase");
  const lead = await mapping("qualify_lead");
  const on = (names: string[]) => Object.fromEntries(names.map((name) => [dest[name]!, true]));
  await updateMapping(ws.actors.growth, purchase.id, {
    destinations: on(["meta", "google_ads", "ga4", "linkedin", "hubspot", "webhook"]),
  });
  await updateMapping(ws.actors.growth, lead.id, {
    destinations: on(["meta", "google_ads", "linkedin", "hubspot_contacts"]),
  });
  for (const user of USERS) await identify(key, user);
});
/** Earlier tests' leftovers must not leak into the next one's counts (nor into a later run on a shared database). */
const retireQueued = () =>
  db().delivery.updateMany({
    where: { workspaceId: ws.workspace.id, status: { in: ["pending", "retrying"] } },
    data: { status: "dead" },
  });
beforeEach(async () => {
  for (const mock of allMocks()) {
    mock.reset();
    mock.faults = [];
  }
  await retireQueued();
});
after(async () => {
  await retireQueued();
  await closePlatformMocks(mocks);
  await closeDatabase();
});

/** Every mock accepted exactly these dedup keys, once each, and reported no problem. */
function assertAcceptedOnce(expected: Partial<Record<DestinationType, string[]>>) {
  for (const mock of allMocks()) {
    assert.deepEqual(mock.problems, [], `${mock.name} reported problems`);
    assert.deepEqual(mock.duplicates(), [], `${mock.name} accepted an event twice`);
    assert.deepEqual(
      [...mock.accepted.keys()].sort(),
      (expected[mock.name as DestinationType] ?? []).sort(),
      `${mock.name} accepted set`,
    );
  }
}

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

  test("5xx, 429 with Retry-After, hangs and dropped connections only delay delivery: nothing lost, nothing accepted twice", async () => {
    const transient: Fault[] = [{ status: 500 }, { status: 429, retryAfter: "30" }, "hang", "drop"];
    for (const mock of allMocks())
      mock.faults = mock.name === "ga4" ? [{ status: 500 }, { status: 503 }, "hang", "drop"] : [...transient];
    const orders = await purchases(4);
    await drain();
    const rows = await deliveriesOf(orders);
    for (const row of rows) {
      assert.equal(row.status, "succeeded", `${row.destination.name}: ${row.lastError}`);
      assert.equal(row.log.filter((a) => a.outcome === "success").length, 1, row.destination.name);
      // GA4 sends one request per client_id, so its four faults hit different events; the others batch all four.
      if (row.destination.type !== "ga4")
        assert.deepEqual(
          row.log.map((a) => a.outcome),
          ["retry", "retry", "retry", "retry", "success"],
          row.destination.name,
        );
    }
    for (const mock of allMocks()) assert.deepEqual(mock.faults, [], `${mock.name} saw every fault`);
    for (const name of Object.keys(mocks)) {
      const log = rows.filter((r) => r.destination.name === name).flatMap((r) => r.log);
      assert.ok(
        log.some((a) => a.reason.includes("timeout after")) && log.some((a) => a.reason.includes("network error")),
        name,
      );
      if (name !== "ga4")
        assert.ok(
          log.some((a) => a.response.status === 429),
          `${name} retried a 429`,
        );
    }
    assertAcceptedOnce({
      meta: orders.map((o) => `Purchase:evt_${o}`),
      google_ads: orders.map((o) => `111:${o}`),
      ga4: orders.map((o) => `purchase:${o}`),
      linkedin: orders.map((o) => `urn:lla:llaPartnerConversion:501:evt_${o}`),
      hubspot: orders.map(hubspotKey),
      webhook: orders.map((o) => `evt_${o}`),
    });
  });

  test("a permanent 4xx dead-letters at once; transient errors dead-letter after the configured limit", async () => {
    const limit = options({ policy: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 } });
    for (const mock of allMocks())
      mock.faults = [
        { status: 400, body: { error: { message: "Invalid parameter", code: 100 }, message: "invalid", status: 400 } },
      ];
    const [rejected] = await purchases(1);
    await drain(limit, 2);
    for (const row of await deliveriesOf([rejected!])) {
      assert.equal(row.status, "dead", row.destination.name);
      assert.equal(row.log.length, 1, `${row.destination.name} was not retried`);
      assert.equal(row.log[0]!.response.status, 400);
    }
    for (const mock of allMocks()) mock.faults = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }];
    const [flaky] = await purchases(1);
    await drain(limit, 4);
    for (const row of await deliveriesOf([flaky!])) {
      assert.equal(row.status, "dead", row.destination.name);
      assert.equal(row.log.length, 3);
      assert.match(row.lastError ?? "", /gave up after 3 attempts/);
    }
    assertAcceptedOnce({});
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

  test("a worker killed mid-batch: its lease lapses and another worker finishes without double acceptance", async () => {
    const orders = await purchases(5);
    // The doomed worker sends two requests, then dies: its later requests never complete and it records nothing more.
    let sent = 0;
    const dying: typeof fetch = (input, init) => (++sent <= 2 ? fetch(input, init) : new Promise<Response>(() => {}));
    void runOnce("doomed-worker", options({ fetchImpl: dying, leaseMs: 30_000, timeoutMs: 3_600_000 }));
    const deadline = Date.now() + 5_000;
    while (
      (await db().delivery.count({
        where: {
          workspaceId: ws.workspace.id,
          status: "succeeded",
          ...(await ofEvents(
            orders.map((o) => `evt_${o}`),
            ws.workspace.id,
          )),
        },
      })) < 1
    ) {
      assert.ok(Date.now() < deadline, "the doomed worker delivered its first requests");
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(sent > 2, "the doomed worker was stuck mid-batch");
    assert.equal(await runOnce("rescuer", options()), 0, "leased rows are not taken before the lease lapses");
    clock += 31_000;
    await drain();
    for (const row of await deliveriesOf(orders))
      assert.equal(row.status, "succeeded", `${row.destination.name}: ${row.lastError}`);
    for (const mock of allMocks()) assert.deepEqual(mock.duplicates(), [], `${mock.name} accepted an event twice`);
    const accepted = allMocks().reduce((total, m) => total + m.accepted.size, 0);
    assert.equal(accepted, orders.length * 6, "every event accepted once by each platform");
  });

  test("a destination whose secrets cannot be decrypted waits with a clear error; the rest of the batch is delivered", async () => {
    const ownKey = process.env.TRACKLAYER_ENCRYPTION_KEY;
    process.env.TRACKLAYER_ENCRYPTION_KEY = randomBytes(32).toString("base64");
    const foreign = await createDestination(ws.actors.admin, {
      type: "webhook",
      name: "foreign key",
      config: { url: mocks.webhook.url },
      secrets: { signing_secret: SIGNING_SECRET },
      enabled: true,
      test_mode: false,
    });
    process.env.TRACKLAYER_ENCRYPTION_KEY = ownKey;
    const purchase = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [foreign.id]: true } });
    const [order] = await purchases(1);
    await drain(options(), 1);
    const rows = await deliveriesOf([order!]);
    const stuck = rows.find((r) => r.destinationId === foreign.id)!;
    assert.equal(stuck.status, "retrying");
    assert.match(stuck.lastError ?? "", /secrets cannot be decrypted/);
    assert.ok(rows.filter((r) => r.destinationId !== foreign.id).every((r) => r.status === "succeeded"));
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [foreign.id]: false } });
  });
});
