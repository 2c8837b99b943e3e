// The ingest endpoints over real HTTP: auth variants, bad input of each kind, gzip, batch
// limits, and the official Segment Node SDK sending through /v1/batch.
import { gzipSync } from "node:zlib";
import { type APIRequestContext, expect, request, test } from "@playwright/test";
import { Analytics } from "@segment/analytics-node";
import { apiAs } from "./support/session";

const tag = Date.now().toString(36);
let heapKey: string;
let backendKey: string;
let ingest: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  const sources = (await (await admin.get("/api/sources")).json()).rows as { id: string; key: string }[];
  const id = (key: string) => sources.find((s) => s.key === key)!.id;
  heapKey = (await (await admin.post(`/api/sources/${id("heap")}/keys`, { data: { name: "ingest spec heap" } })).json())
    .key;
  backendKey = (
    await (
      await admin.post(`/api/sources/${id("backend")}/keys`, {
        data: { name: "ingest spec backend", allowed_sources: ["heap"] },
      })
    ).json()
  ).key;
  ingest = await request.newContext({ baseURL });
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const basic = (key: string) => ({ authorization: `Basic ${Buffer.from(`${key}:`).toString("base64")}` });

test("[backend] the brief's exact capture and identify examples are accepted on the demo", async () => {
  const capture = await ingest.post("/api/capture", {
    headers: bearer(backendKey),
    data: {
      event: "purchase",
      event_id: `ord_10492_purchase_${tag}`,
      user_id: "cust_2048",
      anonymous_id: "anon_91b2",
      properties: { order_id: "ord_10492", value: 129.95, currency: "EUR" },
      source: "heap",
    },
  });
  expect(capture.status(), await capture.text()).toBe(202);
  expect(await capture.json()).toMatchObject({
    status: "accepted",
    event_id: `ord_10492_purchase_${tag}`,
    canonical_event: "purchase",
    deliveries: [],
  });
  const identify = await ingest.post("/api/identify", {
    headers: bearer(backendKey),
    data: {
      user_id: "cust_2048",
      anonymous_id: "anon_91b2",
      traits: { email_sha256: "9d7c...e31a", plan: "pro", country: "DE" },
    },
  });
  expect(identify.status()).toBe(202);
  const body = await identify.json();
  expect(body.status).toBe("accepted");
  expect(body.linked).toContain("anon_91b2");
  expect(typeof body.profile_id).toBe("string");
});

test("write keys: Bearer and Basic work; missing, wrong and revoked keys are 401", async ({ baseURL }) => {
  const event = (n: string) => ({
    event: "Order Completed",
    event_id: `auth_${tag}_${n}`,
    user_id: "u",
    properties: { order_id: n, value: 1, currency: "EUR" },
  });
  expect((await ingest.post("/api/capture", { headers: bearer(heapKey), data: event("1") })).status()).toBe(202);
  expect((await ingest.post("/api/capture", { headers: basic(heapKey), data: event("2") })).status()).toBe(202);
  for (const headers of [{}, bearer("tl_wk_wrong"), basic("nope"), { authorization: "Token abc" }]) {
    const response = await ingest.post("/api/capture", { headers, data: event("3") });
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe("unauthenticated");
  }
  const admin = await apiAs("admin", baseURL);
  const sources = (await (await admin.get("/api/sources")).json()).rows as {
    id: string;
    key: string;
    write_keys: { id: string; name: string }[];
  }[];
  const heap = sources.find((s) => s.key === "heap")!;
  const doomed = await (await admin.post(`/api/sources/${heap.id}/keys`, { data: { name: "doomed" } })).json();
  expect((await ingest.post("/api/capture", { headers: bearer(doomed.key), data: event("4") })).status()).toBe(202);
  await admin.delete(`/api/sources/${heap.id}/keys/${doomed.id}`);
  expect((await ingest.post("/api/capture", { headers: bearer(doomed.key), data: event("5") })).status()).toBe(401);
  const forbidden = await ingest.post("/api/capture", {
    headers: bearer(heapKey),
    data: { ...event("6"), source: "backend" },
  });
  expect(forbidden.status()).toBe(403);
});

test("bad input: malformed JSON, wrong types, unknown keys, no identity, huge bodies", async () => {
  const post = (data: unknown, headers: Record<string, string> = {}) =>
    ingest.post("/api/capture", {
      headers: { ...bearer(heapKey), "content-type": "application/json", ...headers },
      data: data as string,
    });
  const malformed = await post(Buffer.from('{"event": "purchase", '));
  expect(malformed.status()).toBe(400);
  expect((await malformed.json()).error.code).toBe("invalid_json");

  const wrong = await post({
    event: 42,
    event_id: "",
    properties: [1],
    extra: true,
    timestamp: "yesterday",
    user_id: "u",
  });
  expect(wrong.status()).toBe(400);
  const paths = (await wrong.json()).error.issues.map((i: { path: string }) => i.path).sort();
  expect(paths).toEqual(["event", "event_id", "extra", "properties", "timestamp"]);

  const anonymous = await post({ event: "x", event_id: `noid_${tag}` });
  expect(anonymous.status()).toBe(400);
  expect((await anonymous.json()).error.issues[0].path).toBe("user_id");

  const longId = await post({ event: "x", event_id: "e".repeat(201), user_id: "u" });
  expect((await longId.json()).error.issues[0].path).toBe("event_id");

  const huge = await post({
    event: "x",
    event_id: `huge_${tag}`,
    user_id: "u",
    properties: { blob: "x".repeat(40_000) },
  });
  expect(huge.status()).toBe(413);
  expect((await huge.json()).error.code).toBe("payload_too_large");

  const zipped = await post(
    gzipSync(
      JSON.stringify({
        event: "Order Completed",
        event_id: `gz_${tag}`,
        user_id: "u",
        properties: { order_id: "gz", value: 2, currency: "EUR" },
      }),
    ),
    { "content-encoding": "gzip" },
  );
  expect(zipped.status(), await zipped.text()).toBe(202);
  const bomb = await post(
    gzipSync(
      JSON.stringify({ event: "x", event_id: `bomb_${tag}`, user_id: "u", properties: { pad: "0".repeat(5_000_000) } }),
    ),
    { "content-encoding": "gzip" },
  );
  expect(bomb.status()).toBe(413);
});

test("missing required properties are 422 listing each problem", async () => {
  const response = await ingest.post("/api/capture", {
    headers: bearer(heapKey),
    data: { event: "Order Completed", event_id: `viol_${tag}`, user_id: "u", properties: { value: "a lot" } },
  });
  expect(response.status()).toBe(422);
  const body = await response.json();
  expect(body.error.code).toBe("schema_violation");
  expect(body.error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
    "properties.currency",
    "properties.order_id",
    "properties.value",
  ]);
});

test("duplicates: the same payload is 200, a different payload under the same event_id is 409", async () => {
  const data = {
    event: "Order Completed",
    event_id: `dup_${tag}`,
    user_id: "u",
    properties: { order_id: "d1", value: 5, currency: "EUR" },
  };
  expect((await ingest.post("/api/capture", { headers: bearer(heapKey), data })).status()).toBe(202);
  const replay = await ingest.post("/api/capture", { headers: bearer(heapKey), data });
  expect(replay.status()).toBe(200);
  const replayBody = await replay.json();
  expect(replayBody.status).toBe("duplicate");
  expect(replayBody.original.received_at).toBeTruthy();
  const clash = await ingest.post("/api/capture", {
    headers: bearer(heapKey),
    data: { ...data, properties: { ...data.properties, value: 6 } },
  });
  expect(clash.status()).toBe(409);
  expect((await clash.json()).error.code).toBe("event_id_conflict");
  const storm = await Promise.all(
    Array.from({ length: 12 }, () =>
      ingest.post("/api/capture", { headers: bearer(heapKey), data: { ...data, event_id: `storm_${tag}` } }),
    ),
  );
  expect(storm.map((r) => r.status()).filter((s) => s === 202)).toHaveLength(1);
  expect(storm.map((r) => r.status()).filter((s) => s === 200)).toHaveLength(11);
});

test("/api/batch answers each item; limits are enforced", async () => {
  const response = await ingest.post("/api/batch", {
    headers: bearer(heapKey),
    data: {
      batch: [
        {
          type: "capture",
          event: "Order Completed",
          event_id: `b1_${tag}`,
          user_id: "u",
          properties: { order_id: "b1", value: 1, currency: "EUR" },
        },
        { type: "identify", user_id: `batch_user_${tag}`, anonymous_id: `batch_anon_${tag}`, traits: { plan: "pro" } },
        { type: "capture", event: "Order Completed", event_id: `b3_${tag}`, user_id: "u", properties: {} },
        { type: "capture", event_id: `b4_${tag}` },
        { type: "track", event: "x" },
      ],
    },
  });
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.results.map((r: { http_status: number }) => r.http_status)).toEqual([202, 202, 422, 400, 400]);
  expect(body.results[1].linked).toEqual([`batch_anon_${tag}`]);
  expect(body.results[3].error.issues.map((i: { path: string }) => i.path).sort()).toEqual(["event", "user_id"]);
  expect(body.results[4].error.issues[0].path).toBe("type");

  const tooMany = await ingest.post("/api/batch", {
    headers: bearer(heapKey),
    data: {
      batch: Array.from({ length: 501 }, (_, i) => ({ type: "capture", event: "x", event_id: `m${i}`, user_id: "u" })),
    },
  });
  expect(tooMany.status()).toBe(400);
  expect((await tooMany.json()).error.issues[0].path).toBe("batch");
  const tooBig = await ingest.post("/api/batch", {
    headers: bearer(heapKey),
    data: {
      batch: Array.from({ length: 20 }, (_, i) => ({
        type: "capture",
        event: "x",
        event_id: `big${i}`,
        user_id: "u",
        properties: { pad: "x".repeat(30_000) },
      })),
    },
  });
  expect(tooBig.status()).toBe(413);
  const oneBig = await ingest.post("/api/batch", {
    headers: bearer(heapKey),
    data: {
      batch: [
        {
          type: "capture",
          event: "Order Completed",
          event_id: `fits_${tag}`,
          user_id: "u",
          properties: { order_id: "fits", value: 1, currency: "EUR" },
        },
        {
          type: "capture",
          event: "x",
          event_id: `onebig_${tag}`,
          user_id: "u",
          properties: { pad: "x".repeat(40_000) },
        },
      ],
    },
  });
  expect(oneBig.status()).toBe(200);
  const items = (await oneBig.json()).results.map(
    (r: { http_status: number; status?: string; error?: { code: string } }) => [
      r.http_status,
      r.status ?? r.error!.code,
    ],
  );
  expect(items).toEqual([
    [202, "accepted"],
    [413, "payload_too_large"],
  ]);
});

test("[segment] the official @segment/analytics-node client sends through /v1/batch", async ({ baseURL }) => {
  const analytics = new Analytics({ writeKey: heapKey, host: baseURL!, path: "/v1/batch", flushAt: 3, maxRetries: 0 });
  const errors: unknown[] = [];
  analytics.on("error", (e) => errors.push(e));
  analytics.identify({ userId: `seg_user_${tag}`, anonymousId: `seg_anon_${tag}`, traits: { plan: "team" } });
  analytics.track({
    userId: `seg_user_${tag}`,
    event: "Order Completed",
    messageId: `seg_order_${tag}`,
    properties: { order_id: `so_${tag}`, value: 42, currency: "EUR" },
  });
  analytics.page({ anonymousId: `seg_anon_${tag}`, name: "Pricing", messageId: `seg_page_${tag}` });
  await analytics.closeAndFlush({ timeout: 10_000 });
  expect(errors).toEqual([]);

  // The stored track is now a duplicate of itself under its messageId.
  const replay = await ingest.post("/v1/track", {
    headers: basic(heapKey),
    data: {
      userId: `seg_user_${tag}`,
      event: "Order Completed",
      messageId: `seg_order_${tag}`,
      properties: { order_id: `so_${tag}`, value: 43, currency: "EUR" },
    },
  });
  expect(replay.status()).toBe(409);
  expect((await replay.json()).code).toBe("event_id_conflict");
  const admin = await apiAs("admin", baseURL);
  const events = await admin.get(`/api/events?q=seg_order_${tag}`);
  expect(events.status()).toBe(200);
  const rows = (await events.json()).rows as { status: string; kind: string; canonical_event: string }[];
  expect(rows.map((r) => [r.status, r.kind, r.canonical_event])).toContainEqual(["accepted", "track", "purchase"]);
  const page = await admin.get(`/api/events?q=seg_page_${tag}`);
  expect(((await page.json()).rows as { kind: string; status: string }[]).map((r) => [r.kind, r.status])).toEqual([
    ["page", "unmapped"],
  ]);
});

test("[segment] single-message endpoints, body writeKey and Segment-style errors", async () => {
  const track = await ingest.post("/v1/track", {
    data: { writeKey: heapKey, userId: "s1", event: "Unmapped thing", messageId: `s_${tag}` },
  });
  expect(track.status()).toBe(200);
  expect(await track.json()).toMatchObject({ success: true, status: "unmapped" });
  const alias = await ingest.post("/v1/alias", {
    headers: basic(heapKey),
    data: { userId: `alias_user_${tag}`, previousId: `alias_prev_${tag}`, messageId: `al_${tag}` },
  });
  expect(alias.status()).toBe(200);
  const identify = await ingest.post("/v1/identify", {
    headers: basic(heapKey),
    data: { userId: `alias_user_${tag}`, traits: { plan: "x" } },
  });
  expect(identify.status()).toBe(200);
  expect((await identify.json()).linked).toContain(`alias_prev_${tag}`);
  const noKey = await ingest.post("/v1/track", { data: { userId: "s1", event: "x" } });
  expect(noKey.status()).toBe(401);
  expect(await noKey.json()).toMatchObject({ code: "unauthenticated" });
  const bad = await ingest.post("/v1/track", { headers: basic(heapKey), data: { event: "x" } });
  expect(bad.status()).toBe(400);
  expect((await bad.json()).issues[0].path).toBe("userId");
  expect((await ingest.post("/v1/nonsense", { headers: basic(heapKey), data: {} })).status()).toBe(404);
});
