// The contract of an audience platform: pure match keys, request builders and answer classifiers.
// lib/audiences/sync does the I/O, retries and logging (reusing the delivery engine's helpers).
import type { DeliveryEvent, HttpAnswer, HttpRequestSpec, Outcome } from "@/lib/delivery/destinations/types";
import { type Identifiers, pickIdentifiers } from "@/lib/delivery/normalize";

/** A member as resolved through the identity graph at send time. */
export interface ResolvedMember {
  kind: "user_id" | "anonymous_id";
  value: string;
  /** The profile's user_id (a user_id member is its own, even before any profile exists). */
  userId: string | null;
  /** The profile's traits (email, phone, email_sha256, ...); empty without a profile. */
  traits: Record<string, unknown>;
}

export interface AudienceTarget {
  key: string;
  name: string;
  /** The platform's audience / user list / segment id (audience destination settings). */
  audienceId?: string;
  /** Stable per outbox row: Meta session ids and webhook references derive from it. */
  ref: string;
  full: boolean;
}

export interface PlatformSettings {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  baseUrl: string;
  testMode: boolean;
  now: Date;
}

export interface AudiencePlatform {
  label: string;
  /** Members one request may carry. */
  maxMembers: number;
  /** Why these settings cannot sync (missing audience id or credential), or null. */
  check(target: AudienceTarget, settings: PlatformSettings): string | null;
  /** Whether the platform can match this member (has an identifier it takes). */
  matchable(member: ResolvedMember): boolean;
  /** The requests for these (matchable) adds and removes, each within maxMembers. */
  build(
    adds: ResolvedMember[],
    removes: ResolvedMember[],
    target: AudienceTarget,
    settings: PlatformSettings,
  ): HttpRequestSpec[];
  classify(answer: HttpAnswer | { networkError: string }): Outcome;
}

/** Every identifier of a member, with the same rules the event destinations use. */
export function memberIdentifiers(member: ResolvedMember): Identifiers {
  const asEvent: DeliveryEvent = {
    eventId: "",
    canonicalEvent: "",
    occurredAt: new Date(0),
    userId: member.userId,
    anonymousId: member.kind === "anonymous_id" ? member.value : null,
    properties: {},
    context: {},
    traits: member.traits,
  };
  return pickIdentifiers(asEvent);
}

export function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() ? value.trim() : undefined;
