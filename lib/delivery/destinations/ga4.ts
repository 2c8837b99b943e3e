// GA4 Measurement Protocol: one request per client_id, microsecond timestamps, name and parameter rules enforced.
import { z } from "zod";
import { GOOGLE_CONSENT_VALUES } from "@/lib/delivery/destinations/choices";
import { baseUrlField, compact, currencyOf, joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { DeliveryEvent, DestinationModule, DestinationSettings, Outcome } from "@/lib/delivery/destinations/types";
import { type Answer, httpReason, isNetworkError, permanent, retry } from "@/lib/delivery/http-retry";
import {
  type Consent,
  emailHash,
  numberOf,
  phoneHash,
  pickConsent,
  pickIdentifiers,
  text,
} from "@/lib/delivery/normalize";

export const GA4_EVENT_NAMES: Record<string, string> = {
  purchase: "purchase",
  sign_up: "sign_up",
  begin_checkout: "begin_checkout",
  add_payment_info: "add_payment_info",
  add_to_cart: "add_to_cart",
  qualify_lead: "qualify_lead",
  start_trial: "start_trial",
};

const RESERVED_NAMES = new Set([
  "ad_activeview",
  "ad_click",
  "ad_exposure",
  "ad_impression",
  "ad_query",
  "ad_reward",
  "adunit_exposure",
  "app_background",
  "app_clear_data",
  "app_exception",
  "app_remove",
  "app_store_refund",
  "app_store_subscription_cancel",
  "app_store_subscription_convert",
  "app_store_subscription_renew",
  "app_update",
  "app_upgrade",
  "click",
  "dynamic_link_app_open",
  "dynamic_link_app_update",
  "dynamic_link_first_open",
  "error",
  "firebase_campaign",
  "firebase_in_app_message_action",
  "firebase_in_app_message_dismiss",
  "firebase_in_app_message_impression",
  "first_open",
  "first_visit",
  "form_submit",
  "in_app_purchase",
  "notification_dismiss",
  "notification_foreground",
  "notification_open",
  "notification_receive",
  "os_update",
  "page_view",
  "session_start",
  "session_start_with_rollout",
  "user_engagement",
]);
const RESERVED_PARAMS = new Set(["firebase_conversion"]);
const RESERVED_PREFIX = /^(_|firebase_|ga_|google_|gtag\.)/i;
const MAX_PARAMS = 25;
const MAX_VALUE_LENGTH = 100;
const PII_PARAMS = /e_?mail|phone|first_?name|last_?name|full_?name|street|address|^ip$|birth|^dob$|client_id/i;

/** GA4 name rules: ≤ 40 chars, letters / digits / _, starts with a letter, not reserved, no reserved prefix. */
export function isValidGa4Name(name: string, reserved: ReadonlySet<string> = RESERVED_NAMES): boolean {
  return /^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(name) && !RESERVED_PREFIX.test(name) && !reserved.has(name.toLowerCase());
}

/** Turns any name into a valid one: invalid characters become _, reserved names and prefixes are avoided. */
export function toGa4Name(raw: string, reserved: ReadonlySet<string> = RESERVED_NAMES): string {
  let name = raw.replace(/[^A-Za-z0-9_]/g, "_");
  while (RESERVED_PREFIX.test(name)) name = name.replace(RESERVED_PREFIX, "");
  if (!/^[A-Za-z]/.test(name)) name = `e_${name}`;
  name = name.slice(0, 40);
  if (reserved.has(name.toLowerCase())) name = `${name.slice(0, 36)}_tl`;
  return name;
}

const GA4_NAME_RULE = "GA4 event names: ≤ 40 letters, digits or _, start with a letter, not reserved";
const consentValue = z.enum(GOOGLE_CONSENT_VALUES, { error: "consent values are GRANTED or DENIED" }).optional();

export const ga4ConfigSchema = z.object({
  measurement_id: z
    .string({ error: "measurement_id is required (Admin → Data streams → your web stream)" })
    .trim()
    .regex(/^G-[A-Z0-9]+$/, 'measurement_id looks like "G-XXXXXXXXXX"'),
  event_names: z
    .record(
      z.string(),
      z.string().refine((n) => isValidGa4Name(n), GA4_NAME_RULE),
    )
    .optional(),
  ad_user_data: consentValue,
  ad_personalization: consentValue,
  base_url: baseUrlField,
});
export type Ga4Config = z.infer<typeof ga4ConfigSchema>;

export const ga4SecretsSchema = z.object({
  api_secret: z
    .string({ error: "api_secret is required (web stream → Measurement Protocol API secrets)" })
    .min(1, "api_secret is required"),
});
export type Ga4Secrets = z.infer<typeof ga4SecretsSchema>;

type Settings = DestinationSettings<Ga4Config, Ga4Secrets>;

const clip = (value: unknown): string | number | undefined => {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "boolean") return String(value);
  return typeof value === "string" ? value.slice(0, MAX_VALUE_LENGTH) : undefined;
};

function items(value: unknown) {
  if (!Array.isArray(value)) return undefined;
  return value
    .filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === "object")
    .slice(0, 200)
    .map((item) =>
      compact(Object.fromEntries(Object.entries(item).map(([k, v]) => [toGa4Name(k, RESERVED_PARAMS), clip(v)]))),
    );
}

/** GA4 reads session_id as a number (the ga_session_id cookie's value); anything else is not sent. */
function sessionIdOf(event: DeliveryEvent): number | undefined {
  const raw = pickIdentifiers(event).sessionId;
  return raw !== undefined && /^\d{1,19}$/.test(raw) ? Number(raw) : undefined;
}

/** Event params: recommended ones first, then other scalar properties (never PII), at most 25. */
export function ga4Params(event: DeliveryEvent): Record<string, unknown> {
  const p = event.properties;
  const known = compact({
    transaction_id: clip(text(p.order_id)),
    value: numberOf(p.value),
    currency: currencyOf(p.currency),
    items: items(p.items),
    session_id: sessionIdOf(event),
  });
  const skip = new Set(["order_id", "value", "currency", "items", ...Object.keys(known)]);
  const rest = Object.entries(p)
    .filter(([k]) => !skip.has(k) && !PII_PARAMS.test(k))
    .map(([k, v]) => [toGa4Name(k, RESERVED_PARAMS), clip(v)] as const)
    .filter(([k, v]) => v !== undefined && !(k in known));
  return Object.fromEntries([...Object.entries(known), ...rest].slice(0, MAX_PARAMS));
}

/** Precedence: the mapping's override, then the destination's event_names, then the recommended name. */
export function ga4EventName(event: Pick<DeliveryEvent, "canonicalEvent" | "eventName">, config: Ga4Config): string {
  const { canonicalEvent } = event;
  return (
    event.eventName ??
    config.event_names?.[canonicalEvent] ??
    GA4_EVENT_NAMES[canonicalEvent] ??
    toGa4Name(canonicalEvent)
  );
}

function consentOf(event: DeliveryEvent, config: Ga4Config) {
  const c: Consent = pickConsent(event);
  const flag = (v: boolean | undefined, fallback: string | undefined) =>
    v === undefined ? fallback : v ? "GRANTED" : "DENIED";
  return compact({
    ad_user_data: flag(c.adUserData, config.ad_user_data),
    ad_personalization: flag(c.adPersonalization, config.ad_personalization),
  });
}

/** Events share a request only with the same client_id, user_id and context consent: the engine groups by this key. */
function groupKey(event: DeliveryEvent): string {
  return JSON.stringify([pickIdentifiers(event).clientId ?? "", event.userId ?? "", pickConsent(event)]);
}

const micros = (date: Date) => date.getTime() * 1000;

/** Events without a client_id are sent (GA4 drops them) but classified permanent; validateEvent keeps them out. */
function buildRequest(events: DeliveryEvent[], { config, secrets, testMode, baseUrl }: Settings) {
  const [first] = events;
  if (!first) throw new Error("ga4: no events to send");
  if (new Set(events.map(groupKey)).size > 1) {
    throw new Error("ga4: events of one request must share client_id, user_id and consent; group events with groupKey");
  }
  const ids = pickIdentifiers(first);
  const payload = compact({
    client_id: ids.clientId,
    user_id: first.userId ?? undefined,
    timestamp_micros: micros(first.occurredAt),
    user_data: compact({
      sha256_email_address: [emailHash(ids, "ga4")].filter(Boolean),
      sha256_phone_number: [phoneHash(ids, "google")].filter(Boolean),
    }),
    consent: consentOf(first, config),
    events: events.map((e) => ({
      name: ga4EventName(e, config),
      params: ga4Params(e),
      timestamp_micros: micros(e.occurredAt),
    })),
  });
  const path = testMode ? "/debug/mp/collect" : "/mp/collect";
  const query = `measurement_id=${encodeURIComponent(config.measurement_id)}`;
  return jsonRequest({
    url: `${joinUrl(baseUrl, path)}?${query}&api_secret=${encodeURIComponent(secrets.api_secret)}`,
    logUrl: `${joinUrl(baseUrl, path)}?${query}`,
    payload,
  });
}

const NO_CLIENT_ID = "no GA client_id (properties.client_id, context.client_id or anonymous_id)";

/** GA4 ignores a value without a currency: refused before sending, with the reason. */
function valueProblem(event: DeliveryEvent): string | null {
  const value = numberOf(event.properties.value);
  if (value === undefined || currencyOf(event.properties.currency)) return null;
  return `value ${value} without a currency: GA4 ignores revenue it cannot price; send properties.currency (ISO 4217, e.g. "EUR")`;
}

function validateEvent(event: DeliveryEvent): string | null {
  return pickIdentifiers(event).clientId ? valueProblem(event) : NO_CLIENT_ID;
}

interface ValidationMessage {
  fieldPath?: string;
  description?: string;
  validationCode?: string;
}

/** Events without a client_id fail whatever GA4 answered (it silently drops them). */
function classify(answer: Answer, events: DeliveryEvent[]): Outcome | Outcome[] {
  return events.some((e) => !pickIdentifiers(e).clientId) ? permanent(NO_CLIENT_ID) : classifyAnswer(answer, events);
}

/** /mp/collect always answers 2xx; on the debug endpoint validation messages fail the events they point at. */
function classifyAnswer(answer: Answer, events: DeliveryEvent[]): Outcome | Outcome[] {
  if (isNetworkError(answer)) return { outcome: "retry", reason: `network: ${answer.networkError}` };
  const { status, headers, body } = answer;
  if (status >= 500) return retry(httpReason(status, body), headers);
  if (status < 200 || status >= 300) return permanent(httpReason(status, body));
  const messages = ((body && typeof body === "object"
    ? (body as { validationMessages?: unknown }).validationMessages
    : undefined) ?? []) as ValidationMessage[];
  if (!Array.isArray(messages) || messages.length === 0)
    return { outcome: "success", ack: { status, validationMessages: [] } };
  const describe = (list: ValidationMessage[]) =>
    `GA4 validation: ${list.map((m) => `${m.validationCode ?? "INVALID"} ${m.fieldPath ?? ""}: ${m.description ?? ""}`.trim()).join("; ")}`;
  const indexOf = (m: ValidationMessage) => /^events\[(\d+)\]/.exec(m.fieldPath ?? "")?.[1];
  if (events.length < 2 || messages.some((m) => indexOf(m) === undefined)) {
    return { outcome: "permanent", reason: describe(messages), ack: { validationMessages: messages } };
  }
  return events.map((_, i) => {
    const own = messages.filter((m) => indexOf(m) === String(i));
    return own.length
      ? { outcome: "permanent", reason: describe(own), ack: { validationMessages: own } }
      : { outcome: "success", ack: { status, validationMessages: [] } };
  });
}

export const ga4Destination: DestinationModule<Ga4Config, Ga4Secrets> = {
  type: "ga4",
  label: "Google Analytics 4 (Measurement Protocol)",
  configSchema: ga4ConfigSchema,
  secretsSchema: ga4SecretsSchema,
  maxBatch: 25,
  maxBodyBytes: 130_000,
  maxEventAgeMs: 72 * 60 * 60 * 1000,
  groupKey,
  buildRequest,
  eventNameProblem: (name) => (isValidGa4Name(name) ? null : GA4_NAME_RULE),
  validateEvent,
  unmatchable: (event) => (pickIdentifiers(event).clientId ? null : NO_CLIENT_ID),
  classify,
};
