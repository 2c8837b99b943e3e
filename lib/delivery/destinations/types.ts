// The contract every destination module fulfils: a pure request builder and a pure response
// classifier. The delivery engine (lib/delivery/engine) does the I/O, retries and logging.
import type { z } from "zod";
import type { DestinationType } from "@/lib/generated/prisma/enums";

/** An OAuth2 token endpoint that mints access tokens from a refresh token (lib/delivery/oauth.ts). */
export interface OAuthProvider {
  label: string;
  tokenUrl: string;
  /** Overrides tokenUrl for every destination of this provider (tests, staging). */
  env: string;
}

/** One canonical event as a destination sees it (built by the engine from the stored event and profile). */
export interface DeliveryEvent {
  /** The client's event_id: always sent as the platform's dedup key where one exists. */
  eventId: string;
  /** Canonical event name, e.g. "purchase", "qualify_lead". */
  canonicalEvent: string;
  /** The platform event name chosen on the event's mapping for this destination; beats config.event_names. */
  eventName?: string;
  occurredAt: Date;
  /** The resolved user (user_id, or the user its anonymous_id resolves to). */
  userId: string | null;
  anonymousId: string | null;
  /** Canonical properties after renames (order_id, value, currency, lead_id, ...). */
  properties: Record<string, unknown>;
  /** Request context as sent by the client: ip, userAgent, page { url, referrer }, fbp, fbc, gclid, client_id, consent ... */
  context: Record<string, unknown>;
  /** Profile traits (email, phone, email_sha256, first_name, last_name, country, ...). */
  traits: Record<string, unknown>;
}

export interface DestinationSettings<C = Record<string, unknown>, S = Record<string, string>> {
  /** Non-secret, validated settings (pixel id, measurement id, event name overrides, ...). */
  config: C;
  /** Decrypted credentials; never logged, never sent to the browser. */
  secrets: S;
  testMode: boolean;
  /** Platform base URL (overridable per destination and by TRACKLAYER_<TYPE>_BASE_URL). */
  baseUrl: string;
  /** Send time, injected by the engine (webhook signature timestamp, age checks); modules never read the clock. */
  now?: Date;
}

export interface HttpRequestSpec {
  method: "POST" | "PUT" | "DELETE";
  url: string;
  headers: Record<string, string>;
  body: string;
  /** What the delivery log stores: URL without secrets, headers without credentials, body with raw PII redacted. */
  log: { url: string; headers: Record<string, string>; body: unknown };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the body was JSON, else the text. */
  body: unknown;
}

/**
 * Why a row is dead-lettered without being sent, as a code the rollups count by (reconciliation):
 * no identifier the platform matches on, too old for the platform, not valid for it (settings or
 * values), a request that could not be built or is too large, destination settings / refused URL / token.
 */
export type AttemptCode = "unmatchable" | "too_old" | "invalid" | "unbuildable" | "settings";

export type Outcome =
  | { outcome: "success"; ack?: Record<string, unknown> }
  | { outcome: "retry"; reason: string; retryAfterMs?: number }
  | { outcome: "permanent"; reason: string; ack?: Record<string, unknown>; code?: AttemptCode };

export interface DestinationModule<C = Record<string, unknown>, S = Record<string, string>> {
  type: DestinationType;
  label: string;
  configSchema: z.ZodType<C>;
  secretsSchema: z.ZodType<S>;
  /** Most events one request may carry. */
  maxBatch: number;
  /** Access tokens that expire: with refresh credentials in its secrets, the engine mints them here. */
  oauth?: OAuthProvider;
  /** Events older than this are dead-lettered before sending (the platform would reject them). */
  maxEventAgeMs?: number;
  /** Events that may share one request have the same key (e.g. GA4's client_id); default: all. */
  groupKey?(event: DeliveryEvent): string;
  buildRequest(events: DeliveryEvent[], settings: DestinationSettings<C, S>): HttpRequestSpec;
  /** Largest request body the platform accepts, in bytes; a bigger batch must be split. */
  maxBodyBytes?: number;
  /** This destination's batch cap when it is configurable; replaces maxBatch (the safe default). */
  batchLimit?(settings: DestinationSettings<C, S>): number;
  /**
   * Why `name` cannot be this platform's event name (a per-mapping override), or null. Modules without it
   * send no event names (conversion action / rule ids instead) and take no override.
   */
  eventNameProblem?(name: string): string | null;
  /** Why this event can never be delivered (no usable identifier, test mode misconfigured), or null. */
  validateEvent?(event: DeliveryEvent, settings: DestinationSettings<C, S>): string | null;
  /**
   * Why the platform has nothing to match this event's person on (no identifier it uses), or null. Its
   * reason is also one of validateEvent's; this tells reconciliation to count the row as unmatchable.
   */
  unmatchable?(event: DeliveryEvent, settings: DestinationSettings<C, S>): string | null;
  /**
   * Classifies the platform's answer (or a network error / timeout). Returns one outcome for the
   * whole request, or one per event when the platform reports per-event results. `settings` (given by the
   * engine) names what the answer may depend on: the API version called, HubSpot's mode.
   */
  classify(
    answer: HttpAnswer | { networkError: string },
    events: DeliveryEvent[],
    settings?: DestinationSettings<C, S>,
  ): Outcome | Outcome[];
}

/** A module of whichever platform: each one's config and secrets types differ. */
// biome-ignore lint/suspicious/noExplicitAny: the engine handles modules of every platform alike.
export type AnyDestinationModule = DestinationModule<any, any>;
