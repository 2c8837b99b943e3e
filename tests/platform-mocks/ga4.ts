// GA4 Measurement Protocol mock. /mp/collect answers 204 whatever it gets and silently drops
// invalid payloads (recorded as problems here); /debug/mp/collect returns validationMessages and
// records nothing. Dedup: purchase by transaction_id; other events are counted one by one.
import { isObject, type Received, type Reply, SHA256_HEX, startPlatformMock } from "./core";

export interface ValidationMessage {
  fieldPath: string;
  description: string;
  validationCode: string;
}

const RESERVED = new Set([
  "ad_activeview",
  "ad_click",
  "ad_exposure",
  "ad_impression",
  "ad_query",
  "app_remove",
  "click",
  "error",
  "first_open",
  "first_visit",
  "form_submit",
  "in_app_purchase",
  "page_view",
  "session_start",
  "user_engagement",
]);
const RESERVED_PREFIX = /^(_|firebase_|ga_|google_|gtag\.)/i;
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const MIN_MICROS = 1e15; // any plausible microsecond timestamp is above this; seconds and milliseconds are not

function nameIssue(name: unknown, fieldPath: string): ValidationMessage | null {
  if (typeof name !== "string" || !NAME.test(name) || RESERVED_PREFIX.test(name)) {
    return {
      fieldPath,
      description: `Name ${JSON.stringify(name)} is invalid: letters, digits or _, starting with a letter, at most 40`,
      validationCode: "NAME_INVALID",
    };
  }
  if (RESERVED.has(name.toLowerCase()))
    return { fieldPath, description: `Name ${name} is reserved`, validationCode: "NAME_RESERVED" };
  return null;
}

function timestampIssue(value: unknown, fieldPath: string, nowMicros: number): ValidationMessage | null {
  if (value === undefined) return null;
  if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_MICROS) {
    return {
      fieldPath,
      description: `timestamp_micros must be unix microseconds, got ${String(value)}`,
      validationCode: "VALUE_INVALID",
    };
  }
  if (value > nowMicros + 60e6)
    return { fieldPath, description: "timestamp_micros is in the future", validationCode: "VALUE_INVALID" };
  return null;
}

/** The validationMessages GA4's debug endpoint would return for this body. */
export function ga4ValidationMessages(body: unknown, nowMicros = Date.now() * 1000): ValidationMessage[] {
  const out: ValidationMessage[] = [];
  const add = (m: ValidationMessage | null) => m && out.push(m);
  if (!isObject(body))
    return [{ fieldPath: "", description: "The body must be a JSON object", validationCode: "VALUE_INVALID" }];
  if (typeof body.client_id !== "string" || !body.client_id)
    add({ fieldPath: "client_id", description: "client_id is required", validationCode: "VALUE_REQUIRED" });
  add(timestampIssue(body.timestamp_micros, "timestamp_micros", nowMicros));
  if (isObject(body.user_data)) {
    for (const key of ["sha256_email_address", "sha256_phone_number"]) {
      const list = body.user_data[key];
      if (
        list !== undefined &&
        (!Array.isArray(list) || list.some((v) => typeof v !== "string" || !SHA256_HEX.test(v)))
      ) {
        add({
          fieldPath: `user_data.${key}`,
          description: `${key} must hold SHA-256 hex digests`,
          validationCode: "VALUE_INVALID",
        });
      }
    }
  }
  if (isObject(body.consent)) {
    for (const [k, v] of Object.entries(body.consent)) {
      if (v !== "GRANTED" && v !== "DENIED")
        add({
          fieldPath: `consent.${k}`,
          description: "consent values are GRANTED or DENIED",
          validationCode: "VALUE_INVALID",
        });
    }
  }
  const events = body.events;
  if (!Array.isArray(events) || events.length === 0)
    return [...out, { fieldPath: "events", description: "events is required", validationCode: "VALUE_REQUIRED" }];
  if (events.length > 25)
    add({
      fieldPath: "events",
      description: `at most 25 events per request, got ${events.length}`,
      validationCode: "EXCEEDED_MAX_ENTITIES",
    });
  events.forEach((e, i) => {
    if (!isObject(e)) {
      add({ fieldPath: `events[${i}]`, description: "must be an object", validationCode: "VALUE_INVALID" });
      return;
    }
    add(nameIssue(e.name, `events[${i}].name`));
    add(timestampIssue(e.timestamp_micros, `events[${i}].timestamp_micros`, nowMicros));
    const params = isObject(e.params) ? e.params : {};
    if (Object.keys(params).length > 25)
      add({
        fieldPath: `events[${i}].params`,
        description: "at most 25 params",
        validationCode: "EXCEEDED_MAX_ENTITIES",
      });
    for (const [k, v] of Object.entries(params)) {
      if (!NAME.test(k) || RESERVED_PREFIX.test(k))
        add({
          fieldPath: `events[${i}].params.${k}`,
          description: `Param name ${k} is invalid`,
          validationCode: "NAME_INVALID",
        });
      if (typeof v === "string" && v.length > 100)
        add({
          fieldPath: `events[${i}].params.${k}`,
          description: "values are at most 100 characters",
          validationCode: "VALUE_OUT_OF_BOUNDS",
        });
    }
  });
  return out;
}

const dedupKey = (e: Record<string, unknown>, body: Record<string, unknown>) => {
  const params = isObject(e.params) ? e.params : {};
  return e.name === "purchase" && params.transaction_id
    ? `purchase:${String(params.transaction_id)}`
    : `${String(body.client_id)}:${String(e.name)}:${String(e.timestamp_micros ?? body.timestamp_micros)}`;
};

function handle(r: Received): Reply {
  const debug = r.path === "/debug/mp/collect";
  if (r.method !== "POST" || (!debug && r.path !== "/mp/collect"))
    return { status: 404, body: "not found", problems: [`unknown path ${r.path}`] };
  const messages = ga4ValidationMessages(r.json);
  if (!/^G-[A-Z0-9]+$/.test(r.query.get("measurement_id") ?? ""))
    messages.push({
      fieldPath: "measurement_id",
      description: "measurement_id is required",
      validationCode: "VALUE_REQUIRED",
    });
  if (!r.query.get("api_secret"))
    messages.push({ fieldPath: "api_secret", description: "api_secret is required", validationCode: "VALUE_REQUIRED" });
  if (debug) return { status: 200, body: { validationMessages: messages } };
  // The real endpoint answers 2xx and drops what it cannot use: only the mock's record shows it.
  if (messages.length)
    return { status: 204, problems: messages.map((m) => `${m.validationCode} ${m.fieldPath}: ${m.description}`) };
  const body = r.json as Record<string, unknown>;
  return { status: 204, accepted: (body.events as Record<string, unknown>[]).map((e) => dedupKey(e, body)) };
}

export const startGa4Mock = () => startPlatformMock("ga4", handle);
