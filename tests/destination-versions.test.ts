// Issue 16, GA4 / LinkedIn / Meta / Heap rules: live API versions as settings with served defaults and
// "version refused" answers turned into a reason that says what to change; GA4 session_id as a number
// and value without currency refused before sending; Heap identities over 255 characters refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiVersionOf, LINKEDIN_VERSION, META_GRAPH_VERSION } from "@/lib/delivery/destinations/api-version";
import { ga4ConfigSchema, ga4Destination, ga4Params } from "@/lib/delivery/destinations/ga4";
import { buildHeapRequest, heapConfigSchema, heapIdentityProblem } from "@/lib/delivery/destinations/heap";
import { linkedinConfigSchema, linkedinDestination } from "@/lib/delivery/destinations/linkedin";
import { metaConfigSchema, metaDestination } from "@/lib/delivery/destinations/meta";
import { planRequests } from "@/lib/delivery/destinations/plan";
import { answer, makeEvent, settings } from "./destination-fixtures";

test("defaults are versions the platforms serve: Graph API v24.0 (the official SDK's), LinkedIn 202607", () => {
  assert.equal(META_GRAPH_VERSION, "v24.0");
  assert.equal(metaConfigSchema.parse({ pixel_id: "1" }).api_version, "v24.0");
  assert.equal(metaConfigSchema.parse({ pixel_id: "1", api_version: "23.0" }).api_version, "v23.0");
  assert.equal(linkedinConfigSchema.parse({ conversion_rule_id: "1" }).api_version, LINKEDIN_VERSION);
  assert.equal(linkedinConfigSchema.safeParse({ conversion_rule_id: "1", api_version: "202613" }).success, false);
  assert.deepEqual(apiVersionOf("linkedin", {}), { version: "202607", isDefault: true });
  assert.deepEqual(apiVersionOf("meta", { api_version: "25.0" }), { version: "v25.0", isDefault: false });
  assert.equal(apiVersionOf("ga4", {}), null);
});

test("a sunset or unknown version is dead-lettered with what to change", () => {
  const li = settings(linkedinConfigSchema.parse({ conversion_rule_id: "1", api_version: "202401" }), {
    access_token: "t",
  });
  const sunset = linkedinDestination.classify(
    answer(426, { message: "Version Header is Deprecated", status: 426 }),
    [makeEvent()],
    li,
  );
  assert.equal(!Array.isArray(sunset) && sunset.outcome, "permanent");
  assert.match(JSON.stringify(sunset), /LinkedIn-Version 202401 .*set the destination's config.api_version .*202607/);
  const future = linkedinDestination.classify(
    answer(400, { message: "Requested version 202612 is not active", status: 400, serviceErrorCode: 100 }),
    [makeEvent()],
    li,
  );
  assert.match(JSON.stringify(future), /config.api_version/);
  const meta = settings(metaConfigSchema.parse({ pixel_id: "1", api_version: "v19.0" }), { access_token: "t" });
  const deprecated = metaDestination.classify(
    answer(400, {
      error: { code: 2635, message: "You are calling a deprecated version of the Ads API.", type: "OAuthException" },
    }),
    [makeEvent()],
    meta,
  );
  assert.equal(!Array.isArray(deprecated) && deprecated.outcome, "permanent");
  assert.match(JSON.stringify(deprecated), /Graph API version v19.0 .*config.api_version .*v24.0/);
  const unrelated = metaDestination.classify(
    answer(400, { error: { code: 100, message: "Invalid parameter" } }),
    [makeEvent()],
    meta,
  );
  assert.doesNotMatch(JSON.stringify(unrelated), /api_version/);
});

test("GA4: session_id is sent as a number; value without currency is refused before sending", () => {
  const params = ga4Params(makeEvent({ context: { client_id: "1.2", ga_session_id: "1700000123" } }));
  assert.equal(params.session_id, 1700000123);
  assert.equal(ga4Params(makeEvent({ context: { client_id: "1.2", session_id: "abc" } })).session_id, undefined);
  const s = settings(ga4ConfigSchema.parse({ measurement_id: "G-ABC" }), { api_secret: "x" });
  const noCurrency = makeEvent({ properties: { order_id: "o1", value: 12.5 } });
  assert.match(ga4Destination.validateEvent?.(noCurrency, s) ?? "", /value 12.5 without a currency/);
  const plan = planRequests(ga4Destination, [noCurrency, makeEvent()], s);
  assert.equal(plan.rejected.length, 1);
  assert.equal(plan.requests.length, 1);
  assert.equal(ga4Destination.validateEvent?.(makeEvent({ properties: { order_id: "o2" } }), s), null);
});

test("Heap: identities over 255 characters are refused before sending", () => {
  assert.equal(heapIdentityProblem("u".repeat(255)), null);
  assert.match(heapIdentityProblem("u".repeat(256)) ?? "", /256 characters: Heap refuses identities longer than 255/);
  const s = settings(heapConfigSchema.parse({ app_id: "1" }), {});
  assert.throws(() => buildHeapRequest([{ identity: "u".repeat(300), properties: { a: 1 } }], s), /longer than 255/);
});
