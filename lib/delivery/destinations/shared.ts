// Request-building pieces shared by destination modules: URLs, JSON requests with log copies, config fields.
import { z } from "zod";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import { redactBody } from "@/lib/delivery/normalize";

export const baseUrlField = z.url({ protocol: /^https?$/, error: "base_url must be an http(s) URL" }).optional();

export const eventNamesField = z
  .record(z.string(), z.string().trim().min(1, "event names must not be empty"), {
    error: 'event_names maps a canonical event to a platform name, e.g. { "purchase": "Purchase" }',
  })
  .optional();

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}${path}`;
}

const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|token|secret|api-key/i;
const CREDENTIAL_PARAM = /secret|token|key|password|^sig(nature)?$|^auth/i;

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, CREDENTIAL_HEADER.test(k) ? "[redacted]" : v]));
}

/** The URL without user info and with credential-like query parameters masked. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.username = "";
  parsed.password = "";
  for (const key of [...parsed.searchParams.keys()])
    if (CREDENTIAL_PARAM.test(key)) parsed.searchParams.set(key, "redacted");
  return parsed.toString();
}

export interface JsonRequestOptions {
  url: string;
  /** The URL as logged when `url` carries a credential. */
  logUrl?: string;
  headers?: Record<string, string>;
  payload: unknown;
  /** Exact body text when it must match a signature; defaults to JSON of `payload`. */
  body?: string;
}

/** A JSON POST whose log copy has no credentials and no raw PII. */
export function jsonRequest({ url, logUrl, headers = {}, payload, body }: JsonRequestOptions): HttpRequestSpec {
  const allHeaders = { "Content-Type": "application/json", ...headers };
  return {
    method: "POST",
    url,
    headers: allHeaders,
    body: body ?? JSON.stringify(payload),
    log: { url: redactUrl(logUrl ?? url), headers: redactHeaders(allHeaders), body: redactBody(payload) },
  };
}

/** Drops undefined values (and empty arrays / objects) so payloads carry only what is known. */
export function compact<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => {
      if (v === undefined || v === null) return false;
      if (Array.isArray(v)) return v.length > 0;
      if (typeof v === "object") return Object.keys(v).length > 0;
      return true;
    }),
  ) as Partial<T>;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** ISO 4217 code in upper case, else undefined. */
export function currencyOf(value: unknown): string | undefined {
  const code = typeof value === "string" ? value.trim().toUpperCase() : "";
  return /^[A-Z]{3}$/.test(code) ? code : undefined;
}
