// LinkedIn Conversions API: conversion events in milliseconds; single create or BATCH_CREATE with per-element results.
import { z } from "zod";
import { LINKEDIN_VERSION, linkedinVersionRefusal } from "@/lib/delivery/destinations/api-version";
import { baseUrlField, compact, currencyOf, joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { DeliveryEvent, DestinationModule, DestinationSettings, Outcome } from "@/lib/delivery/destinations/types";
import { type Answer, httpReason, isNetworkError, permanent, retry } from "@/lib/delivery/http-retry";
import { emailHash, numberOf, pickIdentifiers, text } from "@/lib/delivery/normalize";
import { LINKEDIN_OAUTH, oauthSecretsSchema, tokenUrlField } from "@/lib/delivery/oauth";

const ruleId = z.string().trim().regex(/^\d+$/, "conversion rule ids are numeric (Campaign Manager → Conversions)");

export const linkedinConfigSchema = z
  .object({
    conversion_rule_id: ruleId.optional(),
    conversion_rules: z
      .record(z.string(), ruleId, { error: "conversion_rules maps a canonical event to a conversion rule id" })
      .optional(),
    api_version: z
      .string()
      .trim()
      .regex(
        /^20\d{2}(0[1-9]|1[0-2])$/,
        `api_version is the LinkedIn-Version header, a released month "YYYYMM" (e.g. ${LINKEDIN_VERSION})`,
      )
      .default(LINKEDIN_VERSION),
    base_url: baseUrlField,
    token_url: tokenUrlField,
  })
  .refine((c) => c.conversion_rule_id || Object.keys(c.conversion_rules ?? {}).length > 0, {
    message: "set conversion_rule_id or conversion_rules (canonical event → conversion rule id)",
    path: ["conversion_rule_id"],
  });
export type LinkedinConfig = z.infer<typeof linkedinConfigSchema>;

export const linkedinSecretsSchema = oauthSecretsSchema("an OAuth token with rw_conversions");
export type LinkedinSecrets = z.infer<typeof linkedinSecretsSchema>;

type Settings = DestinationSettings<LinkedinConfig, LinkedinSecrets>;

const ruleFor = (event: DeliveryEvent, config: LinkedinConfig) =>
  config.conversion_rules?.[event.canonicalEvent] ?? config.conversion_rule_id;

/** A decimal string without float noise or exponent: 129.95 → "129.95". */
export function decimalString(value: number): string {
  return value.toFixed(6).replace(/\.?0+$/, "");
}

function user(event: DeliveryEvent) {
  const ids = pickIdentifiers(event);
  const email = emailHash(ids, "meta");
  const userIds = [
    email && { idType: "SHA256_EMAIL", idValue: email },
    ids.liFatId && { idType: "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", idValue: ids.liFatId },
  ].filter(Boolean);
  const country = ids.country && /^[a-z]{2}$/i.test(ids.country) ? ids.country.toUpperCase() : undefined;
  const userInfo =
    ids.firstName && ids.lastName
      ? compact({
          firstName: ids.firstName,
          lastName: ids.lastName,
          companyName: text(event.traits.company ?? event.traits.company_name),
          title: text(event.traits.title),
          countryCode: country,
        })
      : undefined;
  return compact({ userIds, userInfo });
}

export function linkedinElement(event: DeliveryEvent, config: LinkedinConfig) {
  const value = numberOf(event.properties.value);
  const currency = currencyOf(event.properties.currency);
  return compact({
    conversion: `urn:lla:llaPartnerConversion:${ruleFor(event, config) ?? ""}`,
    conversionHappenedAt: event.occurredAt.getTime(),
    conversionValue:
      value !== undefined && currency ? { currencyCode: currency, amount: decimalString(value) } : undefined,
    eventId: event.eventId,
    user: user(event),
  });
}

function buildRequest(events: DeliveryEvent[], { config, secrets, baseUrl }: Settings) {
  const elements = events.map((e) => linkedinElement(e, config));
  const batch = elements.length > 1;
  return jsonRequest({
    url: joinUrl(baseUrl, "/rest/conversionEvents"),
    headers: {
      Authorization: `Bearer ${secrets.access_token}`,
      "LinkedIn-Version": config.api_version,
      "X-Restli-Protocol-Version": "2.0.0",
      ...(batch ? { "X-RestLi-Method": "BATCH_CREATE" } : {}),
    },
    payload: batch ? { elements } : elements[0],
  });
}

function unmatchable(event: DeliveryEvent): string | null {
  const u = user(event);
  return !u.userIds?.length && !u.userInfo
    ? "no SHA-256 email, li_fat_id or first and last name to match a member"
    : null;
}

function validateEvent(event: DeliveryEvent, { config }: Settings): string | null {
  if (!ruleFor(event, config)) return `no conversion rule configured for ${event.canonicalEvent}`;
  return unmatchable(event);
}

interface LinkedinError {
  message?: string;
  serviceErrorCode?: number;
  status?: number;
}

const errorReason = (status: number, body: unknown) => {
  const e = (body && typeof body === "object" ? body : {}) as LinkedinError & { error?: LinkedinError };
  const inner = e.error ?? e;
  const code = inner.serviceErrorCode === undefined ? "" : ` (serviceErrorCode ${inner.serviceErrorCode})`;
  return inner.message ? `HTTP ${status}: ${inner.message}${code}` : httpReason(status, body);
};

function byStatus(status: number, body: unknown, headers: Record<string, string> = {}, version?: string): Outcome {
  if (status >= 200 && status < 300) return { outcome: "success", ack: { status } };
  const b = (body && typeof body === "object" ? body : {}) as LinkedinError;
  const refused = linkedinVersionRefusal(version ?? "(the configured one)", status, b.message ?? "");
  if (refused) return permanent(refused);
  if (status === 429 || status >= 500) return retry(errorReason(status, body), headers);
  return permanent(errorReason(status, body));
}

function classify(answer: Answer, events: DeliveryEvent[], settings?: Settings): Outcome | Outcome[] {
  if (isNetworkError(answer)) return { outcome: "retry", reason: `network: ${answer.networkError}` };
  const { status, headers, body } = answer;
  const whole = byStatus(status, body, headers, settings?.config.api_version);
  if (events.length < 2 || whole.outcome !== "success") return whole;
  const elements = (body as { elements?: unknown } | null)?.elements;
  if (!Array.isArray(elements) || elements.length !== events.length)
    return retry(
      `HTTP ${status}: ${Array.isArray(elements) ? elements.length : "no"} element results for ${events.length} events`,
    );
  return elements.map((element: { status?: number }) => byStatus(element?.status ?? 500, element));
}

export const linkedinDestination: DestinationModule<LinkedinConfig, LinkedinSecrets> = {
  type: "linkedin",
  label: "LinkedIn Conversions API",
  configSchema: linkedinConfigSchema,
  secretsSchema: linkedinSecretsSchema,
  oauth: LINKEDIN_OAUTH,
  maxBatch: 5000,
  maxEventAgeMs: 90 * 24 * 60 * 60 * 1000,
  buildRequest,
  validateEvent,
  unmatchable,
  classify,
};
