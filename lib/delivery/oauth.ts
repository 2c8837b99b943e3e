// OAuth2 refresh tokens for destinations whose access tokens expire (Google: one hour, LinkedIn:
// 60 days). With client_id, client_secret and refresh_token stored (encrypted), access tokens are
// minted on demand, cached per destination until shortly before they expire, shared by concurrent
// sends, and forgotten when the platform answers 401 so the next attempt mints a fresh one.

import { createHash } from "node:crypto";
import { z } from "zod";
import type { DestinationModule, DestinationSettings, OAuthProvider, Outcome } from "@/lib/delivery/destinations/types";
import { guardedFetch, overrideRefusal, refusalOf } from "@/lib/delivery/outbound";
import { urlOverrides } from "@/lib/env";
import { processGlobal } from "@/lib/process-global";

export const GOOGLE_OAUTH: OAuthProvider = {
  label: "Google",
  tokenUrl: "https://oauth2.googleapis.com/token",
  env: "TRACKLAYER_GOOGLE_TOKEN_URL",
};
export const LINKEDIN_OAUTH: OAuthProvider = {
  label: "LinkedIn",
  tokenUrl: "https://www.linkedin.com/oauth/v2/accessToken",
  env: "TRACKLAYER_LINKEDIN_TOKEN_URL",
};

/** Per-destination token endpoint (`token_url` in its settings). */
export const tokenUrlField = z.url({ protocol: /^https?$/, error: "token_url must be an http(s) URL" }).optional();

const REFRESH_FIELDS = ["client_id", "client_secret", "refresh_token"] as const;

/** Secrets: an access_token, or the refresh credentials that mint them (these win when both are set). */
export function oauthSecretsSchema(accessTokenHelp: string) {
  const field = z.string().trim().min(1, "must not be empty").optional();
  return z
    .object({ access_token: field, client_id: field, client_secret: field, refresh_token: field })
    .superRefine((s, ctx) => {
      const missing = REFRESH_FIELDS.filter((k) => !s[k]);
      if (missing.length > 0 && missing.length < REFRESH_FIELDS.length) {
        for (const path of missing)
          ctx.addIssue({
            code: "custom",
            path: [path],
            message: "client_id, client_secret and refresh_token go together",
          });
      } else if (missing.length === REFRESH_FIELDS.length && !s.access_token) {
        ctx.addIssue({
          code: "custom",
          path: ["access_token"],
          message: `access_token is required: ${accessTokenHelp} (or client_id, client_secret and refresh_token to mint them)`,
        });
      }
    });
}
export type OAuthSecrets = z.infer<ReturnType<typeof oauthSecretsSchema>>;

export const usesRefreshToken = (secrets: Partial<OAuthSecrets>) => REFRESH_FIELDS.every((k) => Boolean(secrets[k]));

/** The token endpoint could not mint an access token; the reason says why and what to do. */
export class TokenError extends Error {
  /**
   * Permanent: the token endpoint is refused (a setting to fix), so retrying cannot help.
   * Refused: the endpoint answered 4xx (a revoked or wrong refresh token): the "OAuth refresh refused" alert.
   */
  constructor(
    message: string,
    readonly permanent = false,
    readonly refused = false,
  ) {
    super(message);
  }
}

const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_S = 3_600;
const cache = processGlobal(
  "__tracklayerTokens",
  () => new Map<string, Promise<{ token: string; expiresAt: number }>>(),
);

const cacheKey = (destinationId: string, secrets: OAuthSecrets) =>
  `${destinationId}:${createHash("sha256").update(`${secrets.client_id}\u0000${secrets.refresh_token}`).digest("hex")}`;

async function mint(
  provider: OAuthProvider,
  tokenUrl: string,
  secrets: OAuthSecrets,
  fetchImpl: typeof fetch,
  now: () => number,
) {
  let response: Response;
  try {
    response = await fetchImpl(tokenUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({
        grant_type: "refresh_token",
        refresh_token: secrets.refresh_token!,
        client_id: secrets.client_id!,
        client_secret: secrets.client_secret!,
      }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal) throw new TokenError(`${provider.label} token endpoint: ${refusal.message}`, true);
    throw new TokenError(`${provider.label} token endpoint unreachable: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as {
    access_token?: unknown;
    expires_in?: unknown;
    error?: unknown;
    error_description?: unknown;
  } | null;
  if (!response.ok || typeof body?.access_token !== "string") {
    const detail =
      [body?.error, body?.error_description].filter((v) => typeof v === "string").join(": ") ||
      `HTTP ${response.status}`;
    const fix =
      response.status >= 400 && response.status < 500
        ? "; reconnect the destination's client_id, client_secret and refresh_token"
        : "";
    throw new TokenError(`${provider.label} did not issue an access token (${detail})${fix}`, false, Boolean(fix));
  }
  const lifetimeS = typeof body.expires_in === "number" && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
  return { token: body.access_token, expiresAt: now() + lifetimeS * 1_000 - EXPIRY_MARGIN_MS };
}

export interface TokenOptions {
  fetchImpl?: typeof fetch;
  env?: Record<string, string | undefined>;
  now?: () => number;
}

/** The provider's token endpoint, then the operator's override (provider.env) when set. */
export function officialTokenUrls(
  provider: OAuthProvider,
  env: Record<string, string | undefined> = urlOverrides(),
): string[] {
  return [provider.tokenUrl, env[provider.env]?.trim()].filter((u): u is string => Boolean(u));
}

/**
 * The token endpoint: the destination's token_url (the provider's host, or one the operator allowed, in
 * production), else the provider's env override, else the provider's own. A refused token_url is a permanent TokenError.
 */
export function resolveTokenUrl(
  provider: OAuthProvider,
  config: { token_url?: string },
  env: Record<string, string | undefined> = urlOverrides(),
): string {
  const official = officialTokenUrls(provider, env);
  if (!config.token_url) return official.at(-1)!;
  const refusal = overrideRefusal(config.token_url, official, "config.token_url");
  if (refusal) throw new TokenError(refusal, true);
  return config.token_url;
}

/**
 * The settings a request is built with: for a destination with refresh credentials, its secrets carry
 * a current access_token (cached or freshly minted). Throws TokenError when none can be had.
 */
export async function withAccessToken<T extends Pick<DestinationSettings<unknown, unknown>, "config" | "secrets">>(
  module: Pick<DestinationModule, "oauth">,
  destinationId: string,
  settings: T,
  opts: TokenOptions = {},
): Promise<T> {
  const secrets = settings.secrets as OAuthSecrets;
  if (!module.oauth || !usesRefreshToken(secrets)) return settings;
  const now = opts.now ?? Date.now;
  const key = cacheKey(destinationId, secrets);
  const cached = cache.get(key);
  const current = cached && (await cached.catch(() => null));
  if (current && current.expiresAt > now())
    return { ...settings, secrets: { ...secrets, access_token: current.token } };
  const tokenUrl = resolveTokenUrl(module.oauth, settings.config as { token_url?: string }, opts.env);
  const minting = mint(module.oauth, tokenUrl, secrets, opts.fetchImpl ?? guardedFetch, now);
  cache.set(key, minting);
  try {
    const { token } = await minting;
    return { ...settings, secrets: { ...secrets, access_token: token } };
  } catch (error) {
    if (cache.get(key) === minting) cache.delete(key);
    throw error;
  }
}

/** What a 401 to a minted token means: retry with a new one. */
export const TOKEN_REJECTED: Outcome = {
  outcome: "retry",
  reason: "HTTP 401: the platform rejected the minted access token; the next attempt mints a new one",
};

/**
 * True when the platform rejected a minted token (401): it is forgotten, so the next attempt mints a
 * new one — a retry, not a dead letter.
 */
export function tokenRejected(
  module: Pick<DestinationModule, "oauth">,
  destinationId: string,
  secrets: unknown,
  answer: { status: number } | object,
): boolean {
  if (!module.oauth || !usesRefreshToken(secrets as OAuthSecrets) || !("status" in answer) || answer.status !== 401)
    return false;
  for (const key of cache.keys()) if (key.startsWith(`${destinationId}:`)) cache.delete(key);
  return true;
}
