// The built-in computed traits, pure: match_quality (0–10 from the identifiers TrackLayer holds)
// and destination_eligibility (what each enabled destination needs to match, and consent).

import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import { metaKeys } from "@/lib/delivery/identity/match-keys";
import { type Consent, type Identifiers, pickConsent, pickIdentifiers } from "@/lib/delivery/normalize";
import type { DestinationType } from "@/lib/generated/prisma/enums";

/** The profile as destinations would see its next event: traits plus the merged context of recent events. */
export type ProfileView = Pick<DeliveryEvent, "userId" | "anonymousId" | "traits" | "context" | "properties">;

export function profileIdentifiers(view: ProfileView): { ids: Identifiers; consent: Consent } {
  const event: DeliveryEvent = { ...view, eventId: "", canonicalEvent: "", occurredAt: new Date(0) };
  return { ids: pickIdentifiers(event), consent: pickConsent(event) };
}

/**
 * match_quality weights: one table, summing to 10. Email, phone and name + location count only when
 * they normalise to something a platform can match (the same match keys the destinations send).
 */
export const MATCH_QUALITY_WEIGHTS: { signal: string; weight: number; present: (ids: Identifiers) => boolean }[] = [
  { signal: "email (plain or SHA-256)", weight: 3, present: (i) => Boolean(metaKeys(i).em) },
  { signal: "phone (plain or SHA-256)", weight: 2, present: (i) => Boolean(metaKeys(i).ph) },
  { signal: "external id (user_id)", weight: 1, present: (i) => Boolean(i.externalId) },
  { signal: "browser id (fbp)", weight: 1, present: (i) => Boolean(i.fbp) },
  {
    signal: "click id (fbc, gclid, gbraid, wbraid, li_fat_id)",
    weight: 1,
    present: (i) => Boolean(i.fbc || i.gclid || i.gbraid || i.wbraid || i.liFatId),
  },
  { signal: "client ip + user agent", weight: 1, present: (i) => Boolean(i.ip && i.userAgent) },
  {
    signal: "name + location (first, last name and zip or country)",
    weight: 1,
    present: (i) => {
      const k = metaKeys(i);
      return Boolean(k.fn && k.ln && (k.zp || k.country));
    },
  },
];

export function matchQuality(ids: Identifiers): number {
  return MATCH_QUALITY_WEIGHTS.reduce((sum, w) => sum + (w.present(ids) ? w.weight : 0), 0);
}

interface Requirement {
  /** What the platform needs to match the person (mirrors the module's validateEvent). */
  needs: string;
  matches: (ids: Identifiers) => boolean;
  /** Ad platforms: an explicit ad_user_data denial forbids sending the person's data. */
  needsAdConsent: boolean;
}

const hasEmailOrPhone = (i: Identifiers) => {
  const k = metaKeys(i);
  return Boolean(k.em || k.ph);
};
const hasAddress = (i: Identifiers) => Boolean(i.firstName && i.lastName && i.country && i.zip);

export const ELIGIBILITY_REQUIREMENTS: Record<DestinationType, Requirement> = {
  meta: {
    needs: "email, phone, external id, fbp/fbc or ip",
    matches: (i) => Boolean(hasEmailOrPhone(i) || i.externalId || i.fbp || i.fbc || i.ip),
    needsAdConsent: true,
  },
  google_ads: {
    needs: "gclid / gbraid / wbraid, email, phone or full address",
    matches: (i) => Boolean(i.gclid || i.gbraid || i.wbraid || hasEmailOrPhone(i) || hasAddress(i)),
    needsAdConsent: true,
  },
  linkedin: {
    needs: "email (SHA-256), li_fat_id or first and last name",
    matches: (i) => Boolean(metaKeys(i).em || i.liFatId || (i.firstName && i.lastName)),
    needsAdConsent: true,
  },
  ga4: { needs: "a GA client_id (or anonymous_id)", matches: (i) => Boolean(i.clientId), needsAdConsent: false },
  hubspot: { needs: "a plain email", matches: (i) => Boolean(i.email), needsAdConsent: false },
  webhook: { needs: "nothing", matches: () => true, needsAdConsent: false },
  heap: { needs: "a user_id (Heap identity)", matches: (i) => Boolean(i.externalId), needsAdConsent: false },
};

export interface Eligibility {
  type: DestinationType;
  eligible: boolean;
  /** Why not, when not eligible. */
  reason?: string;
}

/** destination_eligibility: one entry per enabled destination, keyed by its name. */
export function destinationEligibility(
  ids: Identifiers,
  consent: Consent,
  destinations: { name: string; type: DestinationType }[],
): Record<string, Eligibility> {
  const out: Record<string, Eligibility> = {};
  for (const d of [...destinations].sort((a, b) => a.name.localeCompare(b.name))) {
    const req = ELIGIBILITY_REQUIREMENTS[d.type];
    if (req.needsAdConsent && consent.adUserData === false)
      out[d.name] = { type: d.type, eligible: false, reason: "ad_user_data consent denied" };
    else if (!req.matches(ids)) out[d.name] = { type: d.type, eligible: false, reason: `needs ${req.needs}` };
    else out[d.name] = { type: d.type, eligible: true };
  }
  return out;
}

/** Shallow merge of recent events' contexts, oldest first, so the newest value of each key wins. */
export function mergeContexts(newestFirst: Record<string, unknown>[]): Record<string, unknown> {
  return Object.assign({}, ...[...newestFirst].reverse());
}
