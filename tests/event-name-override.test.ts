// Per-mapping event names: validated per platform on the mapping ↔ destination toggle, and used by the
// builders with precedence mapping override > destination event_names > standard name.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { destinationModules } from "@/lib/delivery/destinations";
import { ga4ConfigSchema, ga4EventName } from "@/lib/delivery/destinations/ga4";
import { hubspotConfigSchema, hubspotEventName } from "@/lib/delivery/destinations/hubspot";
import { metaConfigSchema, metaEventNameProblem, metaServerEvent } from "@/lib/delivery/destinations/meta";
import { createDestination } from "@/lib/delivery/manage-destinations";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { mappingUpdateSchema } from "@/lib/validations/mappings";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { makeEvent } from "./destination-fixtures";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";
import type { PlatformMock } from "./platform-mocks/core";
import { startMetaMock } from "./platform-mocks/meta";

describe("event name rules per platform", () => {
  test("Meta: standard names as Meta spells them, custom names up to 50 characters", () => {
    assert.equal(metaEventNameProblem("Purchase"), null);
    assert.equal(metaEventNameProblem("SubmitApplication"), null);
    assert.equal(metaEventNameProblem("Trial Converted"), null);
    assert.match(metaEventNameProblem("purchase") ?? "", /spelt "Purchase"/);
    assert.match(metaEventNameProblem("x".repeat(51)) ?? "", /at most 50/);
    assert.match(metaEventNameProblem("bought!") ?? "", /letters, digits/);
  });

  test("GA4 and HubSpot follow their name rules; Google Ads, LinkedIn and webhooks take no event name", () => {
    assert.equal(destinationModules.ga4.eventNameProblem?.("big_purchase"), null);
    for (const bad of ["page_view", "1st", "google_x", "a-b", "x".repeat(41)])
      assert.ok(destinationModules.ga4.eventNameProblem?.(bad), bad);
    assert.equal(destinationModules.hubspot.eventNameProblem?.("deal_won"), null);
    assert.ok(destinationModules.hubspot.eventNameProblem?.("Deal Won"));
    for (const type of ["google_ads", "linkedin", "webhook"] as const)
      assert.equal(destinationModules[type].eventNameProblem, undefined);
  });

  test("builders: mapping override > destination event_names > standard name", () => {
    const meta = metaConfigSchema.parse({ pixel_id: "1", event_names: { purchase: "Subscribe" } });
    assert.equal(metaServerEvent(makeEvent(), metaConfigSchema.parse({ pixel_id: "1" })).event_name, "Purchase");
    assert.equal(metaServerEvent(makeEvent(), meta).event_name, "Subscribe");
    assert.equal(metaServerEvent(makeEvent({ eventName: "Big Purchase" }), meta).event_name, "Big Purchase");
    const ga4 = ga4ConfigSchema.parse({ measurement_id: "G-X1", event_names: { purchase: "order" } });
    assert.equal(ga4EventName(makeEvent(), ga4ConfigSchema.parse({ measurement_id: "G-X1" })), "purchase");
    assert.equal(ga4EventName(makeEvent(), ga4), "order");
    assert.equal(ga4EventName(makeEvent({ eventName: "big_order" }), ga4), "big_order");
    const hubspot = hubspotConfigSchema.parse({ portal_id: "42", event_names: { purchase: "order" } });
    assert.equal(hubspotEventName(makeEvent(), hubspot), "pe42_order");
    assert.equal(hubspotEventName(makeEvent({ eventName: "deal_won" }), hubspot), "pe42_deal_won");
  });

  test("the PATCH body takes booleans or { enabled, event_name }", () => {
    assert.ok(mappingUpdateSchema.safeParse({ destinations: { d1: true } }).success);
    assert.ok(
      mappingUpdateSchema.safeParse({ destinations: { d1: { enabled: true, event_name: "Purchase" } } }).success,
    );
    assert.ok(mappingUpdateSchema.safeParse({ destinations: { d1: { event_name: null } } }).success);
    const empty = mappingUpdateSchema.safeParse({ destinations: { d1: {} } });
    assert.equal(empty.success, false);
    const blank = mappingUpdateSchema.safeParse({ destinations: { d1: { event_name: " " } } });
    assert.equal(blank.success, false);
  });
});

describe("PATCH /api/mappings/{id} with event names", () => {
  let ws: TestWorkspace;
  let mock: PlatformMock;
  let meta: string;
  let google: string;
  let mappingId: string;

  before(async () => {
    ws = await createTestWorkspace();
    mock = await startMetaMock();
    meta = (
      await createDestination(ws.actors.admin, {
        type: "meta",
        name: "Meta live",
        config: { pixel_id: "987", event_names: { purchase: "Subscribe" }, base_url: mock.url },
        secrets: { access_token: "t" },
        enabled: true,
        test_mode: false,
      })
    ).id;
    google = (await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "google_ads" } }))
      .id;
    mappingId = (
      await db().mapping.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" } })
    ).id;
  });
  after(async () => {
    await mock.close();
    await closeDatabase();
  });

  test("an event name is stored, shown, audited, kept by the boolean form and cleared by null", async () => {
    const set = await updateMapping(ws.actors.growth, mappingId, {
      destinations: { [meta]: { enabled: true, event_name: "Purchase" } },
    });
    assert.deepEqual(
      set.destinations.find((d) => d.id === meta),
      { id: meta, name: "Meta live", type: "meta", destination_enabled: true, enabled: true, event_name: "Purchase" },
    );
    const audit = await db().auditLog.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, action: "mapping.destinations" },
      orderBy: { createdAt: "desc" },
    });
    assert.match(audit.summary, /enabled Meta live, named the event "Purchase" for Meta live/);
    const off = await updateMapping(ws.actors.growth, mappingId, { destinations: { [meta]: false } });
    assert.deepEqual(
      off.destinations.find((d) => d.id === meta)?.event_name,
      "Purchase",
      "a boolean toggle keeps the name",
    );
    const cleared = await updateMapping(ws.actors.admin, mappingId, {
      destinations: { [meta]: { enabled: true, event_name: null } },
    });
    assert.equal(cleared.destinations.find((d) => d.id === meta)?.event_name, null);
  });

  test("names the platform would reject are 422 with the field path; platforms without event names too", async () => {
    const wrong = await rejectsWith(
      updateMapping(ws.actors.growth, mappingId, { destinations: { [meta]: { event_name: "purchase" } } }),
      "unprocessable",
    );
    assert.deepEqual(
      wrong.issues?.map((i) => i.path),
      [`destinations.${meta}.event_name`],
    );
    assert.match(wrong.issues?.[0]?.message ?? "", /spelt "Purchase"/);
    const none = await rejectsWith(
      updateMapping(ws.actors.growth, mappingId, {
        destinations: { [google]: { enabled: true, event_name: "Purchase" } },
      }),
      "unprocessable",
    );
    assert.match(none.issues?.[0]?.message ?? "", /sends no event names/);
    await rejectsWith(
      updateMapping(ws.actors.analyst, mappingId, { destinations: { [meta]: { event_name: "Purchase" } } }),
      "forbidden",
    );
  });

  test("delivery uses the mapping's name over the destination's event_names", async () => {
    const key = await writeKeyFor(ws);
    await updateMapping(ws.actors.growth, mappingId, {
      destinations: { [meta]: { enabled: true, event_name: "Big Purchase" } },
    });
    await capture(key, {
      event: "purchase",
      event_id: "named_1",
      user_id: "u1",
      source: "heap",
      properties: { order_id: "n1", value: 3, currency: "EUR" },
      context: { ip: "198.51.100.2" },
    });
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [meta]: { event_name: null } } });
    await capture(key, {
      event: "purchase",
      event_id: "named_2",
      user_id: "u1",
      source: "heap",
      properties: { order_id: "n2", value: 3, currency: "EUR" },
      context: { ip: "198.51.100.2" },
    });
    // The name is read at send time: queue both, then name the mapping again before delivering the first.
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [meta]: { event_name: "Big Purchase" } } });
    await runOnce("names", defaultWorkerOptions());
    assert.deepEqual(mock.problems, []);
    assert.deepEqual([...mock.accepted.keys()].sort(), ["Big Purchase:named_1", "Big Purchase:named_2"]);
    await updateMapping(ws.actors.growth, mappingId, { destinations: { [meta]: { event_name: null } } });
    await capture(key, {
      event: "purchase",
      event_id: "named_3",
      user_id: "u1",
      source: "heap",
      properties: { order_id: "n3", value: 3, currency: "EUR" },
      context: { ip: "198.51.100.2" },
    });
    await runOnce("names", defaultWorkerOptions());
    assert.ok(mock.accepted.has("Subscribe:named_3"), "without an override the destination's event_names applies");
  });
});
