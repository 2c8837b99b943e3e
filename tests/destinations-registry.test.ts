// Destination registry, base URL resolution, settings validation and request planning (groups, caps, size, age).
import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { defaultBaseUrl, destinationModules, destinationSettings, resolveBaseUrl } from "@/lib/delivery/destinations";
import { outcomesPerEvent, planRequests } from "@/lib/delivery/destinations/plan";
import type { DeliveryEvent, DestinationModule } from "@/lib/delivery/destinations/types";
import { DestinationType } from "@/lib/generated/prisma/enums";
import { makeEvent, OCCURRED, settings } from "./destination-fixtures";

const many = (n: number, extra: (i: number) => Partial<DeliveryEvent> = () => ({})) =>
  Array.from({ length: n }, (_, i) => makeEvent({ eventId: `e${i}`, ...extra(i) }));

test("every destination type has a module of that type", () => {
  assert.deepEqual(Object.keys(destinationModules).sort(), Object.values(DestinationType).sort());
  for (const [type, module] of Object.entries(destinationModules)) assert.equal(module.type, type);
});

test("base URLs: config override, then TRACKLAYER_<TYPE>_BASE_URL, then the real platform", () => {
  assert.equal(defaultBaseUrl("meta"), "https://graph.facebook.com");
  assert.equal(defaultBaseUrl("google_ads"), "https://datamanager.googleapis.com");
  assert.equal(defaultBaseUrl("ga4"), "https://www.google-analytics.com");
  assert.equal(defaultBaseUrl("linkedin"), "https://api.linkedin.com");
  assert.equal(defaultBaseUrl("hubspot"), "https://api.hubapi.com");
  assert.equal(defaultBaseUrl("webhook"), undefined);
  const env = { TRACKLAYER_GOOGLE_ADS_BASE_URL: "http://127.0.0.1:9000/" };
  assert.equal(resolveBaseUrl("google_ads", undefined, env), "http://127.0.0.1:9000");
  assert.equal(resolveBaseUrl("google_ads", "http://mock:1", env), "http://mock:1");
  assert.equal(resolveBaseUrl("meta", undefined, env), "https://graph.facebook.com");
  assert.throws(
    () => resolveBaseUrl("hubspot", undefined, { TRACKLAYER_HUBSPOT_BASE_URL: "localhost:9" }),
    /TRACKLAYER_HUBSPOT_BASE_URL must be an http\(s\) URL/,
  );
  assert.throws(() => resolveBaseUrl("webhook", undefined, {}), /config.url/);
  assert.equal(resolveBaseUrl("webhook", "https://hooks.example/x", {}), "https://hooks.example/x");
});

test("destinationSettings validates config and secrets and resolves the base URL", () => {
  const s = destinationSettings("meta", {
    config: { pixel_id: "123", base_url: "http://mock.local" },
    secrets: { access_token: "t" },
    testMode: false,
    env: {},
  });
  assert.equal(s.baseUrl, "http://mock.local");
  assert.equal((s.config as { api_version: string }).api_version, "v24.0");
  assert.equal(
    destinationSettings("ga4", {
      config: { measurement_id: "G-1" },
      secrets: { api_secret: "x" },
      testMode: true,
      env: {},
    }).baseUrl,
    "https://www.google-analytics.com",
  );
  assert.throws(() => destinationSettings("meta", { config: {}, secrets: {}, testMode: false, env: {} }), z.ZodError);
});

test("plan: GA4 groups by client, caps at 25 and rejects events without client_id", () => {
  const module = destinationModules.ga4;
  const s = destinationSettings("ga4", {
    config: { measurement_id: "G-1" },
    secrets: { api_secret: "x" },
    testMode: false,
    env: {},
  });
  const events = [
    ...many(30),
    makeEvent({ eventId: "other", context: { client_id: "c.2" } }),
    makeEvent({ eventId: "none", anonymousId: null, context: {} }),
  ];
  const plan = planRequests(module, events, s);
  assert.deepEqual(
    plan.requests.map((r) => r.events.length),
    [25, 5, 1],
  );
  assert.deepEqual(
    plan.rejected.map((r) => r.event.eventId),
    ["none"],
  );
});

test("plan: bodies over maxBodyBytes are split; a single oversized event is rejected", () => {
  const module = destinationModules.ga4;
  const s = destinationSettings("ga4", {
    config: { measurement_id: "G-1" },
    secrets: { api_secret: "x" },
    testMode: false,
    env: {},
  });
  const item = (i: number) => ({
    item_id: `sku-${i}`,
    item_name: "n".repeat(100),
    item_brand: "b".repeat(100),
    item_category: "c".repeat(100),
  });
  const items = Array.from({ length: 120 }, (_, i) => item(i));
  const plan = planRequests(
    module,
    many(25, () => ({ properties: { items } })),
    s,
  );
  assert.ok(plan.requests.length > 1);
  assert.equal(
    plan.requests.reduce((n, r) => n + r.events.length, 0),
    25,
  );
  for (const r of plan.requests) assert.ok(Buffer.byteLength(r.request.body) <= 130_000);
  const huge = Array.from({ length: 200 }, (_, i) => ({
    ...item(i),
    item_variant: "v".repeat(100),
    affiliation: "a".repeat(100),
    coupon: "x".repeat(100),
  }));
  const single = planRequests(module, [makeEvent({ properties: { items: huge } })], s);
  assert.equal(single.requests.length, 0);
  assert.match(single.rejected[0]?.reason ?? "", /exceeds/);
});

test("plan: stale events are rejected when now is known; batchLimit caps HubSpot; build errors reject the chunk", () => {
  const meta = destinationModules.meta;
  const s = destinationSettings("meta", {
    config: { pixel_id: "1" },
    secrets: { access_token: "t" },
    testMode: false,
    env: {},
    now: new Date(OCCURRED.getTime() + 8 * 86_400_000),
  });
  const fresh = makeEvent({ eventId: "fresh", occurredAt: new Date(OCCURRED.getTime() + 7 * 86_400_000) });
  const plan = planRequests(meta, [makeEvent(), fresh], s);
  assert.match(plan.rejected[0]?.reason ?? "", /older than 7 days/);
  assert.deepEqual(
    plan.requests.map((r) => r.events.map((e) => e.eventId)),
    [["fresh"]],
  );

  const hubspot = destinationSettings("hubspot", {
    config: { portal_id: "1" },
    secrets: { access_token: "t" },
    testMode: false,
    env: {},
  });
  assert.deepEqual(
    planRequests(destinationModules.hubspot, many(150), hubspot).requests.map((r) => r.events.length),
    [100, 50],
  );

  const broken: DestinationModule = {
    ...meta,
    validateEvent: undefined,
    buildRequest: () => {
      throw new Error("boom");
    },
  };
  const failed = planRequests(broken, many(2), settings({}, {}));
  assert.deepEqual(
    failed.rejected.map((r) => r.reason),
    ["request could not be built: boom", "request could not be built: boom"],
  );
});

test("outcomesPerEvent spreads a whole-request outcome and fills missing per-event results", () => {
  const events = many(2);
  assert.deepEqual(outcomesPerEvent(events, { outcome: "success" }), [{ outcome: "success" }, { outcome: "success" }]);
  assert.deepEqual(
    outcomesPerEvent(events, [{ outcome: "success" }]).map((o) => o.outcome),
    ["success", "retry"],
  );
});
