// Meta Conversions API: canonical events as pixel server events (unix seconds, Meta hashing rules).
import { z } from "zod";
import { META_GRAPH_VERSION, metaVersionRefusal } from "@/lib/delivery/destinations/api-version";
import { META_ACTION_SOURCES } from "@/lib/delivery/destinations/choices";
import {
  baseUrlField,
  compact,
  currencyOf,
  eventNamesField,
  joinUrl,
  jsonRequest,
} from "@/lib/delivery/destinations/shared";
import type { DeliveryEvent, DestinationModule, DestinationSettings, Outcome } from "@/lib/delivery/destinations/types";
import { type Answer, httpReason, isNetworkError, permanent, retry } from "@/lib/delivery/http-retry";
import { metaKeys } from "@/lib/delivery/identity/match-keys";
import { numberOf, pickIdentifiers, text } from "@/lib/delivery/normalize";

export const META_EVENT_NAMES: Record<string, string> = {
  purchase: "Purchase",
  sign_up: "CompleteRegistration",
  begin_checkout: "InitiateCheckout",
  add_payment_info: "AddPaymentInfo",
  add_to_cart: "AddToCart",
  qualify_lead: "Lead",
  start_trial: "StartTrial",
};

const ACTION_SOURCES = META_ACTION_SOURCES;

export const metaConfigSchema = z.object({
  pixel_id: z
    .string({ error: "pixel_id is required: the dataset (pixel) ID from Events Manager" })
    .trim()
    .regex(/^\d+$/, "pixel_id must be the numeric dataset (pixel) ID"),
  api_version: z
    .string()
    .trim()
    .regex(/^v?\d+\.\d+$/, `api_version is the Graph API version, e.g. "${META_GRAPH_VERSION}"`)
    .transform((v) => (v.startsWith("v") ? v : `v${v}`))
    .default(META_GRAPH_VERSION),
  action_source: z
    .enum(ACTION_SOURCES, { error: `action_source must be one of: ${ACTION_SOURCES.join(", ")}` })
    .default("website"),
  test_event_code: z.string().trim().min(1).optional(),
  event_names: eventNamesField,
  limited_data_use: z.boolean({ error: "limited_data_use must be true or false" }).default(false),
  ldu_country: z.number().int().default(0),
  ldu_state: z.number().int().default(0),
  base_url: baseUrlField,
});
export type MetaConfig = z.infer<typeof metaConfigSchema>;

export const metaSecretsSchema = z.object({
  access_token: z
    .string({ error: "access_token is required: a Conversions API access token" })
    .min(1, "access_token is required"),
});
export type MetaSecrets = z.infer<typeof metaSecretsSchema>;

type Settings = DestinationSettings<MetaConfig, MetaSecrets>;

const THROTTLE_CODES = [4, 17, 613];
const TEST_CODE_MISSING = "test mode needs config.test_event_code (Events Manager → Test events)";
const NEVER_RETRY_CODES = [100, 190];

const list = (value: string | undefined) => (value === undefined ? undefined : [value]);

function userData(event: DeliveryEvent) {
  const ids = pickIdentifiers(event);
  const leadId = text(event.properties.lead_id);
  const keys = metaKeys(ids);
  return compact({
    ...keys,
    em: list(keys.em),
    ph: list(keys.ph),
    external_id: list(keys.external_id),
    client_ip_address: ids.ip,
    client_user_agent: ids.userAgent,
    fbc: ids.fbc,
    fbp: ids.fbp,
    // Meta lead ids (Lead Ads) are 15+ digits; a CRM lead id travels in custom_data instead.
    lead_id: leadId && /^\d{15,}$/.test(leadId) ? leadId : undefined,
  });
}

function customData(event: DeliveryEvent) {
  const p = event.properties;
  const leadId = text(p.lead_id);
  const items = Array.isArray(p.items)
    ? (p.items as Record<string, unknown>[]).filter((i) => i && typeof i === "object")
    : [];
  const contents = items
    .map((i) =>
      compact({
        id: text(i.item_id ?? i.id ?? i.product_id ?? i.sku),
        quantity: numberOf(i.quantity),
        item_price: numberOf(i.price),
      }),
    )
    .filter((c) => c.id !== undefined);
  return compact({
    value: numberOf(p.value),
    currency: currencyOf(p.currency),
    order_id: text(p.order_id),
    content_ids: Array.isArray(p.content_ids) ? p.content_ids : contents.map((c) => c.id),
    contents,
    content_type: text(p.content_type),
    num_items: numberOf(p.num_items),
    predicted_ltv: numberOf(p.predicted_ltv),
    status: text(p.status),
    lead_id: leadId && !/^\d{15,}$/.test(leadId) ? leadId : undefined,
  });
}

/** Precedence: the mapping's override, then the destination's event_names, then the standard name. */
export function metaEventName(event: DeliveryEvent, config: MetaConfig): string {
  return (
    event.eventName ??
    config.event_names?.[event.canonicalEvent] ??
    META_EVENT_NAMES[event.canonicalEvent] ??
    event.canonicalEvent
  );
}

const META_STANDARD_NAMES = [
  "Purchase",
  "Lead",
  "CompleteRegistration",
  "InitiateCheckout",
  "AddPaymentInfo",
  "AddToCart",
  "AddToWishlist",
  "StartTrial",
  "Subscribe",
  "ViewContent",
  "Contact",
  "CustomizeProduct",
  "Donate",
  "FindLocation",
  "SubmitApplication",
  "Schedule",
  "Search",
];

/** A standard name exactly as Meta spells it, or a custom name (≤ 50 letters, digits, spaces, _ or -) that is not a misspelt standard one. */
export function metaEventNameProblem(name: string): string | null {
  const standard = META_STANDARD_NAMES.find((s) => s.toLowerCase() === name.toLowerCase());
  if (standard && standard !== name) return `Meta's standard event is spelt "${standard}"`;
  if (!standard && !/^[A-Za-z0-9][A-Za-z0-9 _-]{0,49}$/.test(name))
    return "a custom Meta event name has at most 50 letters, digits, spaces, _ or -";
  return null;
}

/** One CAPI server event. A "website" action source needs a page URL and user agent, else it becomes "system_generated". */
export function metaServerEvent(event: DeliveryEvent, config: MetaConfig) {
  const ids = pickIdentifiers(event);
  const websiteReady = ids.pageUrl !== undefined && ids.userAgent !== undefined;
  return compact({
    event_name: metaEventName(event, config),
    event_time: Math.floor(event.occurredAt.getTime() / 1000),
    event_id: event.eventId,
    action_source: config.action_source === "website" && !websiteReady ? "system_generated" : config.action_source,
    event_source_url: ids.pageUrl,
    referrer_url: ids.referrer,
    user_data: userData(event),
    custom_data: customData(event),
    ...(config.limited_data_use
      ? {
          data_processing_options: ["LDU"],
          data_processing_options_country: config.ldu_country,
          data_processing_options_state: config.ldu_state,
        }
      : {}),
  });
}

/** Test mode without a test_event_code would send live events: refuse (validateEvent reports it per event). */
function buildRequest(events: DeliveryEvent[], { config, secrets, testMode, baseUrl }: Settings) {
  if (testMode && !config.test_event_code) throw new Error(TEST_CODE_MISSING);
  const payload = compact({
    data: events.map((e) => metaServerEvent(e, config)),
    test_event_code: testMode ? config.test_event_code : undefined,
  });
  const url = joinUrl(baseUrl, `/${config.api_version}/${config.pixel_id}/events`);
  return jsonRequest({ url, payload, body: JSON.stringify({ ...payload, access_token: secrets.access_token }) });
}

const unmatchable = (event: DeliveryEvent): string | null =>
  Object.keys(userData(event)).length === 0
    ? "no customer information to match (email, phone, external id, ip, fbp/fbc)"
    : null;

function validateEvent(event: DeliveryEvent, { config, testMode }: Settings): string | null {
  if (testMode && !config.test_event_code) return TEST_CODE_MISSING;
  return unmatchable(event);
}

interface MetaError {
  message?: string;
  code?: number;
  error_subcode?: number;
  is_transient?: boolean;
  error_user_msg?: string;
  fbtrace_id?: string;
}

function classify(answer: Answer, _events?: DeliveryEvent[], settings?: Settings): Outcome {
  if (isNetworkError(answer)) return { outcome: "retry", reason: `network: ${answer.networkError}` };
  const { status, headers, body } = answer;
  const b = (body && typeof body === "object" ? body : {}) as {
    error?: MetaError;
    events_received?: number;
    fbtrace_id?: string;
    messages?: unknown[];
  };
  if (status >= 200 && status < 300 && !b.error) {
    return {
      outcome: "success",
      ack: { events_received: b.events_received, fbtrace_id: b.fbtrace_id, messages: b.messages ?? [] },
    };
  }
  const e = b.error;
  if (!e)
    return status >= 500 || status === 429
      ? retry(httpReason(status, body), headers)
      : permanent(httpReason(status, body));
  const code = e.code ?? 0;
  const reason = `HTTP ${status}: Meta error ${code}${e.error_subcode ? `/${e.error_subcode}` : ""}: ${e.error_user_msg ?? e.message ?? "unknown"}${e.fbtrace_id ? ` (fbtrace_id ${e.fbtrace_id})` : ""}`;
  const version = settings?.config.api_version ?? "(the configured one)";
  const refusedVersion = metaVersionRefusal(version, code, `${e.message ?? ""} ${e.error_user_msg ?? ""}`.trim());
  if (refusedVersion) return permanent(`HTTP ${status}: ${refusedVersion}`);
  if (NEVER_RETRY_CODES.includes(code)) return permanent(reason);
  if (e.is_transient === true || THROTTLE_CODES.includes(code) || status >= 500 || status === 429)
    return retry(reason, headers);
  return permanent(reason);
}

export const metaDestination: DestinationModule<MetaConfig, MetaSecrets> = {
  type: "meta",
  label: "Meta Conversions API",
  configSchema: metaConfigSchema,
  secretsSchema: metaSecretsSchema,
  maxBatch: 1000,
  maxEventAgeMs: 7 * 24 * 60 * 60 * 1000,
  buildRequest,
  eventNameProblem: metaEventNameProblem,
  validateEvent,
  unmatchable,
  classify,
};
