// LinkedIn DMP segments: POST /rest/dmpSegments/{id}/users (BATCH_CREATE) with ADD / REMOVE
// elements of SHA-256 emails; per-element statuses in the answer.

import {
  type AudiencePlatform,
  chunk,
  memberIdentifiers,
  type ResolvedMember,
  text,
} from "@/lib/audiences/platforms/types";
import { LINKEDIN_VERSION } from "@/lib/delivery/destinations/api-version";
import { linkedinDestination } from "@/lib/delivery/destinations/linkedin";
import { joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { Outcome } from "@/lib/delivery/destinations/types";
import { emailHash } from "@/lib/delivery/normalize";

export const LINKEDIN_MAX_ELEMENTS = 5_000;

export function linkedinUserIds(member: ResolvedMember) {
  const email = emailHash(memberIdentifiers(member), "meta");
  return email ? [{ idType: "SHA256_EMAIL", idValue: email }] : null;
}

const element = (action: "ADD" | "REMOVE") => (m: ResolvedMember) => {
  const userIds = linkedinUserIds(m);
  return userIds ? { action, userIds } : null;
};

export const linkedinAudiences: AudiencePlatform = {
  label: "LinkedIn DMP segment",
  maxMembers: LINKEDIN_MAX_ELEMENTS,
  check: (target, s) =>
    !target.audienceId
      ? "set audience_id (the DMP segment id) in the audience's destination settings"
      : !s.secrets.access_token
        ? "the LinkedIn destination has no access_token"
        : null,
  matchable: (m) => linkedinUserIds(m) !== null,
  build: (adds, removes, target, s) => {
    const elements = [...adds.map(element("ADD")), ...removes.map(element("REMOVE"))].filter((e) => e !== null);
    return chunk(elements, LINKEDIN_MAX_ELEMENTS).map((part) =>
      jsonRequest({
        url: joinUrl(s.baseUrl, `/rest/dmpSegments/${target.audienceId}/users`),
        headers: {
          Authorization: `Bearer ${s.secrets.access_token}`,
          "LinkedIn-Version": text(s.config.api_version) ?? LINKEDIN_VERSION,
          "X-Restli-Protocol-Version": "2.0.0",
          "X-RestLi-Method": "BATCH_CREATE",
        },
        payload: { elements: part },
      }),
    );
  },
  /** The whole answer as for conversions; a 2xx with failed elements retries only when those are transient. */
  classify: (answer) => {
    const whole = linkedinDestination.classify(answer, []) as Outcome;
    if (whole.outcome !== "success" || !("status" in answer)) return whole;
    const elements = (answer.body as { elements?: { status?: number }[] } | null)?.elements ?? [];
    const failed = elements.filter((e) => (e?.status ?? 201) >= 300);
    if (failed.some((e) => e.status === 429 || (e.status ?? 0) >= 500))
      return { outcome: "retry", reason: `${failed.length} of ${elements.length} elements failed transiently` };
    return { outcome: "success", ack: { status: answer.status, elements: elements.length, failed: failed.length } };
  },
};
