// The destination registry: one module per platform, base URLs (real, per destination or by environment) and settings.

import { ga4Destination } from "@/lib/delivery/destinations/ga4";
import { googleAdsDestination } from "@/lib/delivery/destinations/google-ads";
import { heapDestination } from "@/lib/delivery/destinations/heap";
import { hubspotDestination } from "@/lib/delivery/destinations/hubspot";
import { linkedinDestination } from "@/lib/delivery/destinations/linkedin";
import { metaDestination } from "@/lib/delivery/destinations/meta";
import type { DestinationModule, DestinationSettings } from "@/lib/delivery/destinations/types";
import { webhookDestination } from "@/lib/delivery/destinations/webhook";
import { OutboundRefused, overrideRefusal } from "@/lib/delivery/outbound";
import { urlOverrides } from "@/lib/env";
import type { DestinationType } from "@/lib/generated/prisma/enums";

export const destinationModules: Record<DestinationType, DestinationModule> = {
  meta: metaDestination,
  google_ads: googleAdsDestination,
  ga4: ga4Destination,
  linkedin: linkedinDestination,
  hubspot: hubspotDestination,
  webhook: webhookDestination,
  heap: heapDestination,
};

const DEFAULT_BASE_URLS: Record<Exclude<DestinationType, "webhook">, string> = {
  meta: "https://graph.facebook.com",
  google_ads: "https://datamanager.googleapis.com",
  ga4: "https://www.google-analytics.com",
  linkedin: "https://api.linkedin.com",
  hubspot: "https://api.hubapi.com",
  heap: "https://heapanalytics.com",
};

/** The platform's real base URL; webhooks have none (their config url is the base). */
export function defaultBaseUrl(type: DestinationType): string | undefined {
  return type === "webhook" ? undefined : DEFAULT_BASE_URLS[type];
}

export function baseUrlEnvName(type: DestinationType): string {
  return `TRACKLAYER_${type.toUpperCase()}_BASE_URL`;
}

function checkedUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${source} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`${source} must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, "");
}

/**
 * Where a destination sends: the destination's own override (config.base_url, or config.url for webhooks),
 * else TRACKLAYER_<TYPE>_BASE_URL (e.g. TRACKLAYER_GOOGLE_ADS_BASE_URL), else the platform's real URL.
 * In production a base_url away from the platform's host must be in TRACKLAYER_ALLOWED_DESTINATION_HOSTS
 * (else OutboundRefused).
 */
export function resolveBaseUrl(
  type: DestinationType,
  configOverride?: string,
  env: Record<string, string | undefined> = urlOverrides(),
): string {
  const name = baseUrlEnvName(type);
  const fromEnv = env[name]?.trim();
  if (configOverride?.trim()) {
    if (type === "webhook") return checkedUrl(configOverride.trim(), "config.url");
    const url = checkedUrl(configOverride.trim(), "config.base_url");
    const refusal = overrideRefusal(url, officialBaseUrls(type, env), "config.base_url");
    if (refusal) throw new OutboundRefused(refusal);
    return url;
  }
  if (fromEnv) return checkedUrl(fromEnv, name);
  const real = defaultBaseUrl(type);
  if (!real) throw new Error("webhook destinations need config.url");
  return real;
}

/** Where a destination of this type sends without an override: the platform, and TRACKLAYER_<TYPE>_BASE_URL. */
export function officialBaseUrls(
  type: DestinationType,
  env: Record<string, string | undefined> = urlOverrides(),
): string[] {
  return [defaultBaseUrl(type), env[baseUrlEnvName(type)]?.trim()].filter((u): u is string => Boolean(u));
}

/** A destination's own base URL from its settings: `base_url`, or `url` for webhooks. */
export function baseUrlOverride(config: Record<string, unknown>): string | undefined {
  return typeof config.base_url === "string"
    ? config.base_url
    : typeof config.url === "string"
      ? config.url
      : undefined;
}

export interface SettingsInput {
  config: unknown;
  secrets: unknown;
  testMode: boolean;
  now?: Date;
  env?: Record<string, string | undefined>;
}

/** Validates a stored destination's config and secrets with its module's schemas (throws ZodError) and resolves its base URL. */
export function destinationSettings(type: DestinationType, input: SettingsInput): DestinationSettings {
  const module = destinationModules[type];
  const config = module.configSchema.parse(input.config);
  const secrets = module.secretsSchema.parse(input.secrets);
  return {
    config,
    secrets,
    testMode: input.testMode,
    baseUrl: resolveBaseUrl(type, baseUrlOverride(config), input.env),
    now: input.now,
  };
}
