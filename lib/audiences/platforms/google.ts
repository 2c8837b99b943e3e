// Google Customer Match through the Data Manager API: audienceMembers:ingest and :remove with
// SHA-256 (HEX) email, E.164 phone and address identifiers, ≤ 10,000 members per request.
// Account and consent come from the Google Ads destination; the user list id from the audience.

import {
  type AudiencePlatform,
  type AudienceTarget,
  chunk,
  memberIdentifiers,
  type PlatformSettings,
  type ResolvedMember,
  text,
} from "@/lib/audiences/platforms/types";
import { googleAdsDestination } from "@/lib/delivery/destinations/google-ads";
import { compact, joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import { googleUserIdentifiers } from "@/lib/delivery/identity/match-keys";

export const GOOGLE_MAX_MEMBERS = 10_000;

const accountId = (value: unknown) => {
  const id = text(value)?.replaceAll("-", "");
  return id && /^\d{10}$/.test(id) ? id : undefined;
};
const consentValue = (value: unknown) =>
  value === "GRANTED" ? "CONSENT_GRANTED" : value === "DENIED" ? "CONSENT_DENIED" : undefined;

export function googleAudienceMember(member: ResolvedMember) {
  const userIdentifiers = googleUserIdentifiers(memberIdentifiers(member));
  return userIdentifiers.length ? { userData: { userIdentifiers } } : null;
}

function requests(
  action: "ingest" | "remove",
  members: ResolvedMember[],
  target: AudienceTarget,
  s: PlatformSettings,
): HttpRequestSpec[] {
  const login = accountId(s.config.login_customer_id);
  const destination = compact({
    operatingAccount: { accountType: "GOOGLE_ADS", accountId: accountId(s.config.customer_id) },
    loginAccount: login ? { accountType: "GOOGLE_ADS", accountId: login } : undefined,
    productDestinationId: target.audienceId,
  });
  const rows = members.map(googleAudienceMember).filter((m) => m !== null);
  return chunk(rows, GOOGLE_MAX_MEMBERS).map((audienceMembers) =>
    jsonRequest({
      url: joinUrl(s.baseUrl, `/v1/audienceMembers:${action}`),
      headers: { Authorization: `Bearer ${s.secrets.access_token}` },
      payload: compact({
        destinations: [destination],
        audienceMembers,
        consent:
          action === "ingest"
            ? compact({
                adUserData: consentValue(s.config.ad_user_data),
                adPersonalization: consentValue(s.config.ad_personalization),
              })
            : undefined,
        encoding: "HEX",
        termsOfService: action === "ingest" ? { customerMatchTermsOfServiceStatus: "ACCEPTED" } : undefined,
        validateOnly: s.testMode ? true : undefined,
      }),
    }),
  );
}

export const googleAudiences: AudiencePlatform = {
  label: "Google Customer Match",
  maxMembers: GOOGLE_MAX_MEMBERS,
  check: (target, s) =>
    !target.audienceId
      ? "set audience_id (the Customer Match user list id) in the audience's destination settings"
      : !accountId(s.config.customer_id)
        ? "the Google Ads destination needs config.customer_id (10 digits)"
        : !s.secrets.access_token
          ? "the Google Ads destination has no access_token"
          : null,
  matchable: (m) => googleAudienceMember(m) !== null,
  build: (adds, removes, target, s) => [
    ...requests("ingest", adds, target, s),
    ...requests("remove", removes, target, s),
  ],
  classify: (answer) => googleAdsDestination.classify(answer, []) as ReturnType<AudiencePlatform["classify"]>,
};
