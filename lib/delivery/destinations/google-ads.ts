// Google Ads conversions through the Data Manager API (events:ingest): RFC 3339 times, Google hashing, HEX encoding.
import { z } from "zod";
import { GOOGLE_CONSENT_VALUES, GOOGLE_EVENT_SOURCES } from "@/lib/delivery/destinations/choices";
import { baseUrlField, compact, currencyOf, joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { DeliveryEvent, DestinationModule, DestinationSettings, Outcome } from "@/lib/delivery/destinations/types";
import { type Answer, httpReason, isNetworkError, permanent, retry } from "@/lib/delivery/http-retry";
import { googleUserIdentifiers } from "@/lib/delivery/identity/match-keys";
import { type Consent, numberOf, pickConsent, pickIdentifiers, text } from "@/lib/delivery/normalize";
import { GOOGLE_OAUTH, oauthSecretsSchema, tokenUrlField } from "@/lib/delivery/oauth";

const EVENT_SOURCES = GOOGLE_EVENT_SOURCES;
const accountId = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .transform((v) => v.replaceAll("-", ""))
    .pipe(z.string().regex(/^\d{10}$/, `${label} must be a 10-digit Google Ads customer id (dashes allowed)`));
const actionId = z.string().trim().regex(/^\d+$/, "conversion action ids are numeric");
const consentValue = z.enum(GOOGLE_CONSENT_VALUES, { error: "consent values are GRANTED or DENIED" }).optional();

export const googleAdsConfigSchema = z
  .object({
    customer_id: accountId("customer_id"),
    login_customer_id: accountId("login_customer_id").optional(),
    conversion_action_id: actionId.optional(),
    conversion_actions: z
      .record(z.string(), actionId, { error: "conversion_actions maps a canonical event to a conversion action id" })
      .optional(),
    event_source: z
      .enum(EVENT_SOURCES, { error: `event_source must be one of: ${EVENT_SOURCES.join(", ")}` })
      .default("WEB"),
    ad_user_data: consentValue,
    ad_personalization: consentValue,
    base_url: baseUrlField,
    token_url: tokenUrlField,
  })
  .refine((c) => c.conversion_action_id || Object.keys(c.conversion_actions ?? {}).length > 0, {
    message: "set conversion_action_id or conversion_actions (canonical event → conversion action id)",
    path: ["conversion_action_id"],
  });
export type GoogleAdsConfig = z.infer<typeof googleAdsConfigSchema>;

export const googleAdsSecretsSchema = oauthSecretsSchema("an OAuth2 token with the datamanager scope");
export type GoogleAdsSecrets = z.infer<typeof googleAdsSecretsSchema>;

type Settings = DestinationSettings<GoogleAdsConfig, GoogleAdsSecrets>;

const RETRY_STATUSES = ["UNAVAILABLE", "INTERNAL", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "ABORTED"];
const DUPLICATE = /DUPLICATE_TRANSACTION|duplicate transaction|ALREADY_EXISTS/i;

export function conversionActionFor(event: DeliveryEvent, config: GoogleAdsConfig): string | undefined {
  return config.conversion_actions?.[event.canonicalEvent] ?? config.conversion_action_id;
}

const consentValueOf = (granted: boolean | undefined) =>
  granted === undefined ? undefined : granted ? "CONSENT_GRANTED" : "CONSENT_DENIED";
const consentOf = (c: Consent) =>
  compact({ adUserData: consentValueOf(c.adUserData), adPersonalization: consentValueOf(c.adPersonalization) });
const isGranted = (v: "GRANTED" | "DENIED" | undefined) => (v === undefined ? undefined : v === "GRANTED");
const configConsent = (config: GoogleAdsConfig): Consent => ({
  adUserData: isGranted(config.ad_user_data),
  adPersonalization: isGranted(config.ad_personalization),
});

function userIdentifiers(event: DeliveryEvent) {
  return googleUserIdentifiers(pickIdentifiers(event));
}

/** One Data Manager event; transactionId is the order id, else the lead id, else the event id. */
export function googleAdsEvent(event: DeliveryEvent, config: GoogleAdsConfig) {
  const ids = pickIdentifiers(event);
  const p = event.properties;
  const identifiers = userIdentifiers(event);
  return compact({
    eventTimestamp: event.occurredAt.toISOString(),
    transactionId: text(p.order_id) ?? text(p.lead_id) ?? event.eventId,
    conversionValue: numberOf(p.value),
    currency: currencyOf(p.currency),
    eventSource: config.event_source,
    adIdentifiers: compact({ gclid: ids.gclid, gbraid: ids.gbraid, wbraid: ids.wbraid }),
    userData: identifiers.length ? { userIdentifiers: identifiers } : undefined,
    consent: consentOf(pickConsent(event)),
  });
}

/** Events of several conversion actions share a request: one destination each, referenced from its events. */
function buildRequest(events: DeliveryEvent[], { config, secrets, testMode, baseUrl }: Settings) {
  const actions = [...new Set(events.map((e) => conversionActionFor(e, config) ?? ""))];
  const several = actions.length > 1;
  const built = events.map((e) => {
    const ref = conversionActionFor(e, config) ?? "";
    return several ? { ...googleAdsEvent(e, config), destinationReferences: [ref] } : googleAdsEvent(e, config);
  });
  const payload = compact({
    destinations: actions.map((action) =>
      compact({
        reference: several ? action : undefined,
        operatingAccount: { accountType: "GOOGLE_ADS", accountId: config.customer_id },
        loginAccount: config.login_customer_id
          ? { accountType: "GOOGLE_ADS", accountId: config.login_customer_id }
          : undefined,
        productDestinationId: action,
      }),
    ),
    events: built,
    consent: consentOf(configConsent(config)),
    validateOnly: testMode ? true : undefined,
    encoding: built.some((e) => e.userData) ? "HEX" : undefined,
  });
  return jsonRequest({
    url: joinUrl(baseUrl, "/v1/events:ingest"),
    headers: { Authorization: `Bearer ${secrets.access_token}` },
    payload,
  });
}

function unmatchable(event: DeliveryEvent): string | null {
  const ids = pickIdentifiers(event);
  return !ids.gclid && !ids.gbraid && !ids.wbraid && userIdentifiers(event).length === 0
    ? "no gclid / gbraid / wbraid or email / phone / address to attribute the conversion"
    : null;
}

function validateEvent(event: DeliveryEvent, { config }: Settings): string | null {
  if (!conversionActionFor(event, config)) return `no conversion action configured for ${event.canonicalEvent}`;
  return unmatchable(event);
}

interface RpcError {
  code?: number;
  message?: string;
  status?: string;
  details?: unknown[];
}

interface FieldViolation {
  field?: string;
  description?: string;
}

/** google.rpc.BadRequest field violations grouped by the event they point at (events[i]…). */
function violationsByEvent(e: RpcError | undefined): Map<number, FieldViolation[]> {
  const byEvent = new Map<number, FieldViolation[]>();
  for (const detail of e?.details ?? []) {
    const violations = (detail as { fieldViolations?: unknown } | null)?.fieldViolations;
    if (!Array.isArray(violations)) continue;
    for (const v of violations as FieldViolation[]) {
      const index = /^events\[(\d+)\]/.exec(v?.field ?? "")?.[1];
      if (index === undefined) continue;
      byEvent.set(Number(index), [...(byEvent.get(Number(index)) ?? []), v]);
    }
  }
  return byEvent;
}

/**
 * Errors name the events they concern: each named event gets its own outcome (a duplicate counts as delivered,
 * anything else is permanent with its own message); the others were not ingested with the refused request and
 * are sent again without it. An error that names no event decides for a lone event only: a batch is retried.
 */
function classify(answer: Answer, events: DeliveryEvent[] = []): Outcome | Outcome[] {
  if (isNetworkError(answer)) return { outcome: "retry", reason: `network: ${answer.networkError}` };
  const { status, headers, body } = answer;
  const b = (body && typeof body === "object" ? body : {}) as { requestId?: string; error?: RpcError };
  if (status >= 200 && status < 300) return { outcome: "success", ack: compact({ requestId: b.requestId }) };
  const e = b.error;
  const reason = e?.status ? `HTTP ${status} ${e.status}: ${e.message ?? ""}`.trim() : httpReason(status, body);
  if (status === 429 || status >= 500 || RETRY_STATUSES.includes(e?.status ?? "")) return retry(reason, headers);
  const named = violationsByEvent(e);
  const inRange = [...named.keys()].filter((i) => i < events.length);
  if (events.length > 0 && inRange.length > 0) {
    const refused = inRange.map((i) => `events[${i}]`).join(", ");
    return events.map((_, i): Outcome => {
      const own = named.get(i);
      if (!own)
        return {
          outcome: "retry",
          reason: `not ingested: Google refused the request for ${refused}; sent again without them`,
        };
      const text = own.map((v) => `${v.field}: ${v.description ?? ""}`.trim()).join("; ");
      if (own.every((v) => DUPLICATE.test(`${v.description ?? ""}`)))
        return { outcome: "success", ack: { duplicate: true, message: text } };
      return permanent(`HTTP ${status} ${e?.status ?? ""}: ${text}`.replace(/ {2}/g, " "));
    });
  }
  if (e && DUPLICATE.test(JSON.stringify(e))) {
    if (events.length <= 1) return { outcome: "success", ack: { duplicate: true, message: e.message ?? "" } };
    return retry(`${reason} (names no event: the batch is sent again)`, headers);
  }
  return permanent(reason);
}

export const googleAdsDestination: DestinationModule<GoogleAdsConfig, GoogleAdsSecrets> = {
  type: "google_ads",
  label: "Google Ads (Data Manager API)",
  configSchema: googleAdsConfigSchema,
  secretsSchema: googleAdsSecretsSchema,
  oauth: GOOGLE_OAUTH,
  maxBatch: 2000,
  maxEventAgeMs: 90 * 24 * 60 * 60 * 1000,
  buildRequest,
  validateEvent,
  unmatchable,
  classify,
};
