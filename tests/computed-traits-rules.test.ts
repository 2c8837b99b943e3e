// The computed-trait rule language (each error with its column), evaluation, match_quality,
// destination eligibility and the Heap property diff: pure functions, no database.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildHeapRequest, classifyHeapAnswer, heapConfigSchema } from "@/lib/delivery/destinations/heap";
import { destinationEligibility, MATCH_QUALITY_WEIGHTS, matchQuality, profileIdentifiers } from "@/lib/traits/builtins";
import { compileRule, RuleReferenceError } from "@/lib/traits/compile-rule";
import { changedHeapProperties, changedTraits } from "@/lib/traits/profile-values";
import { countKey, evaluateRule } from "@/lib/traits/rule-eval";
import { parseRule, RuleSyntaxError } from "@/lib/traits/rule-grammar";
import { computedTraitCreateSchema } from "@/lib/validations/computed-traits";

const DAY = 86_400_000;
const catalog = new Set(["purchase", "sign_up", "qualify_lead"]);

function value(
  rule: string,
  traits: Record<string, unknown> = {},
  counts: [string, number, number][] = [],
  matchQuality = 0,
) {
  const { ast } = compileRule(rule, catalog);
  return evaluateRule(ast, { traits, counts: new Map(counts.map(([e, w, n]) => [countKey(e, w), n])), matchQuality });
}

describe("rule grammar", () => {
  test("the brief's examples parse and evaluate", () => {
    assert.equal(value("purchases_30d >= 2", {}, [["purchase", 30 * DAY, 2]]), true);
    assert.equal(value("purchases_30d >= 2", {}, [["purchase", 30 * DAY, 1]]), false);
    assert.equal(value('plan == "pro"', { plan: "pro" }), true);
    assert.equal(value('plan == "pro"', { plan: "free" }), false);
  });

  test("and / or / not, parentheses, symbols, nested traits, count(), match_quality", () => {
    const traits = { plan: "pro", seats: "12", address: { country: "DE" } };
    assert.equal(value('(plan == "pro" or plan == "team") and not traits.address.country == "US"', traits), true);
    assert.equal(value("seats > 10 && !(seats >= 100)", traits), true, "numeric strings compare as numbers");
    assert.equal(
      value("count(qualify_lead, 12h) > 0 || match_quality >= 6", {}, [["qualify_lead", 12 * 3_600_000, 0]], 7),
      true,
    );
    assert.equal(
      value("missing == null and missing != 1 and not missing > 1", traits),
      true,
      "missing traits are null; ordering with null is false",
    );
    assert.equal(value("sign_ups_7d", {}, [["sign_up", 7 * DAY, 3]]), 3, "a bare operand yields its value");
  });

  const errors: [rule: string, message: RegExp, column: number][] = [
    ["", /the rule is empty/, 1],
    ["plan ==", /expected a value, a trait or an event count but found the end of the rule/, 8],
    ["(plan", /expected "\)" but found the end of the rule/, 6],
    ['plan == "pro', /unterminated string/, 9],
    ["plan # 2", /unexpected character "#"/, 6],
    ["count(purchase 30d)", /expected "," after the event name but found "30d"/, 16],
    ["count(purchase, 30)", /expected a window such as 30d or 12h but found "30"/, 17],
    ["purchases_400d > 1", /window 400d is longer than 365d/, 1],
    ["purchases_0d > 1", /window 0d must be at least 1h/, 1],
    ["30d > 1", /belongs inside count\(event, 30d\)/, 1],
    ["plan pro", /expected "and", "or" or the end of the rule but found "pro"/, 6],
    ["traits > 1", /"traits" needs a trait name/, 1],
    ["plan == and", /expected a value.*found "and"/, 9],
    [`x${" or x".repeat(120)}`, /longer than 500 characters/, 501],
    [`${"not ".repeat(25)}x`, /nests deeper than 20 levels/, 81],
  ];
  for (const [rule, message, column] of errors) {
    test(`syntax error: ${rule.slice(0, 30) || "(empty)"}`, () => {
      assert.throws(
        () => parseRule(rule),
        (e: unknown) => e instanceof RuleSyntaxError && message.test(e.message) && e.at + 1 === column,
      );
    });
  }

  test("unknown canonical events are reference errors naming the known ones", () => {
    assert.throws(
      () => compileRule("refunds_30d > 0", catalog),
      (e: unknown) =>
        e instanceof RuleReferenceError &&
        /unknown canonical event "refunds".*known: purchase, qualify_lead, sign_up/.test(e.message),
    );
    assert.deepEqual(compileRule("purchases_30d > 0 and count(purchase, 30d) < 9", catalog).counts, [
      { event: "purchase", windowMs: 30 * DAY },
    ]);
  });

  test("the API schema reports syntax errors on the rule field and reserved keys on key", () => {
    const bad = computedTraitCreateSchema.safeParse({ key: "match_quality", name: "x", rule: "plan ==" });
    assert.equal(bad.success, false);
    const issues = bad.error!.issues.map((i) => [i.path.join("."), i.message]);
    assert.deepEqual(issues.find(([p]) => p === "rule")?.[1]?.match(/at column 8/)?.[0], "at column 8");
    assert.ok(issues.some(([p, m]) => p === "key" && /built-in/.test(m!)));
  });
});

describe("built-in traits", () => {
  const view = (traits: Record<string, unknown>, context: Record<string, unknown> = {}) =>
    profileIdentifiers({ userId: "u1", anonymousId: null, traits, context, properties: {} });

  test("match_quality: the weights sum to 10; each identifier adds its weight", () => {
    assert.equal(
      MATCH_QUALITY_WEIGHTS.reduce((s, w) => s + w.weight, 0),
      10,
    );
    assert.equal(matchQuality(view({}).ids), 1, "user_id only");
    assert.equal(matchQuality(view({ email: "a@b.co" }).ids), 4);
    assert.equal(matchQuality(view({ email_sha256: "a".repeat(64), phone: "+49 151 2345678" }).ids), 6);
    const full = view(
      { email: "a@b.co", phone: "+4915123456789", first_name: "A", last_name: "B", country: "DE" },
      { fbp: "fb.1.1.1", fbc: "fb.1.1.x", ip: "203.0.113.9", userAgent: "UA" },
    );
    assert.equal(matchQuality(full.ids), 10);
    assert.equal(matchQuality(view({}, { ip: "203.0.113.9" }).ids), 1, "ip without user agent adds nothing");
  });

  test("destination_eligibility follows each platform's needs and ad consent", () => {
    const dests = [
      { name: "Meta", type: "meta" as const },
      { name: "Ads", type: "google_ads" as const },
      { name: "HubSpot", type: "hubspot" as const },
      { name: "GA4", type: "ga4" as const },
      { name: "Heap", type: "heap" as const },
    ];
    const bare = view({});
    const e = destinationEligibility(bare.ids, bare.consent, dests);
    assert.equal(e.Meta?.eligible, true, "Meta matches on external_id");
    assert.deepEqual(e.Ads, {
      type: "google_ads",
      eligible: false,
      reason: "needs gclid / gbraid / wbraid, email, phone or full address",
    });
    assert.equal(e.HubSpot?.eligible, false);
    assert.equal(e.GA4?.eligible, false);
    assert.equal(e.Heap?.eligible, true);
    const rich = view({ email: "a@b.co" }, { client_id: "c1", consent: { ad_user_data: "DENIED" } });
    const r = destinationEligibility(rich.ids, rich.consent, dests);
    assert.deepEqual(r.Meta, { type: "meta", eligible: false, reason: "ad_user_data consent denied" });
    assert.equal(r.Ads?.eligible, false);
    assert.equal(r.HubSpot?.eligible, true, "no ad consent needed for the CRM");
    assert.equal(r.GA4?.eligible, true);
  });

  test("only changed values are reported and become Heap properties", () => {
    const before = {
      match_quality: 4,
      destination_eligibility: { "Meta CAPI": { type: "meta", eligible: true } },
      last_conversion: null,
      vip: false,
    };
    const after = {
      match_quality: 4,
      destination_eligibility: { "Meta CAPI": { type: "meta", eligible: false } },
      last_conversion: { event: "purchase", at: "2026-01-01T00:00:00.000Z" },
      vip: false,
    };
    assert.deepEqual(
      changedTraits(before, after).map((c) => c.key),
      ["destination_eligibility", "last_conversion"],
    );
    assert.deepEqual(changedHeapProperties(before, after), {
      eligible_meta_capi: "false",
      last_conversion_event: "purchase",
      last_conversion_at: "2026-01-01T00:00:00.000Z",
    });
    assert.deepEqual(changedHeapProperties(after, after), {});
    assert.deepEqual(changedTraits({ gone: 1 }, {}), [{ key: "gone", value: undefined, previous: 1 }]);
    assert.deepEqual(
      changedHeapProperties(before, { match_quality: 4, destination_eligibility: {}, last_conversion: null }),
      { eligible_meta_capi: "", vip: "" },
      "gone values are blanked in Heap",
    );
  });
});

describe("Heap module", () => {
  const settings = (config: Record<string, unknown>) => ({
    config: heapConfigSchema.parse(config),
    secrets: {},
    testMode: false,
    baseUrl: "http://heap.local",
  });

  test("bulk add_user_properties with the app_id, prefixed properties, Heap-safe values", () => {
    const request = buildHeapRequest(
      [
        { identity: "u1", properties: { match_quality: 7, vip: "true", note: "x".repeat(2000) } },
        { identity: "u2", properties: { vip: "false" } },
      ],
      settings({ app_id: "123456" }),
    );
    assert.equal(request.url, "http://heap.local/api/add_user_properties");
    const body = JSON.parse(request.body) as {
      app_id: string;
      users: { identity: string; properties: Record<string, unknown> }[];
    };
    assert.equal(body.app_id, "123456");
    assert.deepEqual(body.users[0]?.properties.tl_match_quality, 7);
    assert.equal((body.users[0]!.properties.tl_note as string).length, 1023);
    assert.deepEqual(body.users[1], { identity: "u2", properties: { tl_vip: "false" } });
    assert.throws(() => buildHeapRequest([], settings({ app_id: "1" })), /no users/);
  });

  test("settings: app_id required and numeric, batch cap 1000", () => {
    const issues = heapConfigSchema
      .safeParse({ app_id: "abc", max_batch: 5000 })
      .error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    assert.deepEqual(issues, [
      "app_id: app_id is the numeric Heap app (environment) id",
      "max_batch: max_batch is at most 1000 (Heap's bulk cap)",
    ]);
    assert.match(heapConfigSchema.safeParse({}).error!.issues[0]!.message, /app_id is required/);
  });

  test("classifier: 2xx success, 429 / 5xx / network retry (Retry-After honoured), 400 permanent", () => {
    assert.equal(classifyHeapAnswer({ status: 200, headers: {}, body: "" }).outcome, "success");
    assert.deepEqual(classifyHeapAnswer({ status: 429, headers: { "retry-after": "30" }, body: "slow down" }), {
      outcome: "retry",
      reason: "HTTP 429: slow down",
      retryAfterMs: 30_000,
    });
    assert.equal(classifyHeapAnswer({ status: 503, headers: {}, body: null }).outcome, "retry");
    assert.equal(classifyHeapAnswer({ networkError: "ECONNREFUSED" }).outcome, "retry");
    assert.equal(
      classifyHeapAnswer({ status: 400, headers: {}, body: { message: "invalid app_id" } }).outcome,
      "permanent",
    );
  });
});
