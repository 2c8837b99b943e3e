// The harness of the end-to-end platform tests (delivery-platforms*.test.ts): one workspace with a
// destination per platform, each pointed at its mock (which validates what it gets like its
// platform would), real captures through ingestion into the outbox, the REAL destination modules
// delivering them via runOnce on a controlled clock, and the checks every test shares.
import assert from "node:assert/strict";
import { after, before, beforeEach } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import { serializeAttempt } from "@/lib/delivery/deliveries";
import { uuidFor } from "@/lib/delivery/destinations/hubspot";
import { createDestination } from "@/lib/delivery/manage-destinations";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { defaultWorkerOptions, type WorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, identify, writeKeyFor } from "./ingest-helpers";
import {
  closePlatformMocks,
  type EventDestinationType,
  type PlatformMocks,
  startPlatformMocks,
} from "./platform-mocks";

export const SIGNING_SECRET = "platforms-webhook-secret-42";
export const TOKENS = [
  "meta-live-token",
  "google-live-token",
  "ga4-live-secret",
  "li-live-token",
  "hs-live-token",
  SIGNING_SECRET,
];
export let ws: TestWorkspace;
let key: string;
export let mocks: PlatformMocks;
let clock = Date.now();
let n = 0;
/** Destination ids by name; "hubspot_contacts" is a second HubSpot destination (contact upserts) for leads. */
const dest: Record<string, string> = {};

/** Moves the workers' and the mocks' clock forward (a lease lapsing, a backoff passing). */
export const advanceClock = (ms: number) => {
  clock += ms;
};

export const options = (over: Partial<WorkerOptions> = {}): WorkerOptions =>
  defaultWorkerOptions({
    policy: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 },
    timeoutMs: 1_500,
    now: () => new Date(clock),
    ...over,
  });

export async function drain(opts = options(), rounds = 8) {
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

export async function purchases(count: number) {
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

export async function leads(count: number) {
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
export const deliveriesOf = async (eventIds: string[]) => {
  // Each delivery's event, loaded apart (Event is partitioned: no relation).
  const events = await db().event.findMany({
    where: { workspaceId: ws.workspace.id, eventId: { in: eventIds.map((id) => `evt_${id}`) } },
    select: { id: true, eventId: true },
  });
  const byRow = new Map(events.map((e) => [e.id, e]));
  return (
    await withDeliveryLog(
      await db().delivery.findMany({
        where: { workspaceId: ws.workspace.id, eventRowId: { in: events.map((e) => e.id) } },
        include: { destination: true },
      }),
    )
  ).map((row) => ({ ...row, event: byRow.get(row.eventRowId)!, log: row.log.map(serializeAttempt) }));
};

export const allMocks = () => Object.values(mocks);
/** HubSpot dedups behavioural events by the uuid the module derives from the event id. */
export const hubspotKey = (order: string) => `event:${uuidFor(`evt_${order}`)}`;

/** Registers the file's hooks: the workspace, destinations and mocks before, a clean slate before each test. */
export function withPlatformMocks() {
  before(setUp);
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
}

async function setUp() {
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
}
/** Earlier tests' leftovers must not leak into the next one's counts (nor into a later run on a shared database). */
const retireQueued = () =>
  db().delivery.updateMany({
    where: { workspaceId: ws.workspace.id, status: { in: ["pending", "retrying"] } },
    data: { status: "dead" },
  });

/** Every mock accepted exactly these dedup keys, once each, and reported no problem. */
export function assertAcceptedOnce(expected: Partial<Record<DestinationType, string[]>>) {
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
