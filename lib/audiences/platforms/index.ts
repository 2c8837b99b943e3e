// Audience platforms by destination type, and the pure plan of one sync: matchable members
// into requests, the rest counted as unmatchable.

import { googleAudiences } from "@/lib/audiences/platforms/google";
import { linkedinAudiences } from "@/lib/audiences/platforms/linkedin";
import { metaAudiences } from "@/lib/audiences/platforms/meta";
import type {
  AudiencePlatform,
  AudienceTarget,
  PlatformSettings,
  ResolvedMember,
} from "@/lib/audiences/platforms/types";
import { webhookAudiences } from "@/lib/audiences/platforms/webhook";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import type { DestinationType } from "@/lib/generated/prisma/enums";

export const audiencePlatforms: Partial<Record<DestinationType, AudiencePlatform>> = {
  meta: metaAudiences,
  google_ads: googleAudiences,
  linkedin: linkedinAudiences,
  webhook: webhookAudiences,
};

export interface SyncPlan {
  requests: HttpRequestSpec[];
  adds: number;
  removes: number;
  /** Members of this change with no identifier the platform can match (not sent). */
  unmatchable: number;
}

export function planSync(
  platform: AudiencePlatform,
  adds: ResolvedMember[],
  removes: ResolvedMember[],
  target: AudienceTarget,
  settings: PlatformSettings,
): SyncPlan {
  const a = adds.filter(platform.matchable);
  const r = removes.filter(platform.matchable);
  return {
    requests: a.length + r.length ? platform.build(a, r, target, settings) : [],
    adds: a.length,
    removes: r.length,
    unmatchable: adds.length - a.length + removes.length - r.length,
  };
}

/** How many of these members the platform can match. */
export function countMatchable(platform: AudiencePlatform, members: ResolvedMember[]): number {
  let n = 0;
  for (const m of members) if (platform.matchable(m)) n++;
  return n;
}
