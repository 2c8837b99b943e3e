// Meta custom audiences: POST (add) / DELETE (remove) /{audience_id}/users with a schema list and
// rows of hashed identifiers (EXTERN_ID hashed exactly as the Conversions API's external_id); ≤ 10,000 rows per request, larger
// uploads share a session. Credentials: the Meta destination's access_token.
import { createHash } from "node:crypto";
import {
  type AudiencePlatform,
  type AudienceTarget,
  chunk,
  memberIdentifiers,
  type PlatformSettings,
  type ResolvedMember,
  text,
} from "@/lib/audiences/platforms/types";
import { metaDestination } from "@/lib/delivery/destinations/meta";
import { joinUrl, jsonRequest } from "@/lib/delivery/destinations/shared";
import type { HttpRequestSpec } from "@/lib/delivery/destinations/types";
import { metaKeys } from "@/lib/delivery/identity/match-keys";

export const META_AUDIENCE_SCHEMA = ["EMAIL", "PHONE", "EXTERN_ID"] as const;
export const META_MAX_ROWS = 10_000;

/** [EMAIL, PHONE, EXTERN_ID] (Meta's keys, as CAPI sends them) with "" for unknown values; null when the member has none. */
export function metaAudienceRow(member: ResolvedMember): string[] | null {
  const keys = metaKeys(memberIdentifiers(member));
  const row = [keys.em ?? "", keys.ph ?? "", keys.external_id ?? ""];
  return row.some(Boolean) ? row : null;
}

/** A numeric session id, stable for one outbox row and action (a retry continues the same upload). */
export function metaSessionId(ref: string, action: string): number {
  return parseInt(createHash("sha256").update(`${ref}:${action}`).digest("hex").slice(0, 13), 16);
}

function apiVersion(config: Record<string, unknown>): string {
  const v = text(config.api_version) ?? "v26.0";
  return v.startsWith("v") ? v : `v${v}`;
}

function requests(
  action: "add" | "remove",
  rows: string[][],
  target: AudienceTarget,
  s: PlatformSettings,
): HttpRequestSpec[] {
  const parts = chunk(rows, META_MAX_ROWS);
  const url = joinUrl(s.baseUrl, `/${apiVersion(s.config)}/${target.audienceId}/users`);
  return parts.map((data, i) => {
    const payload = {
      payload: { schema: [...META_AUDIENCE_SCHEMA], data },
      ...(parts.length > 1
        ? {
            session: {
              session_id: metaSessionId(target.ref, action),
              batch_seq: i + 1,
              last_batch_flag: i === parts.length - 1,
              estimated_num_total: rows.length,
            },
          }
        : {}),
    };
    const request = jsonRequest({
      url,
      payload,
      body: JSON.stringify({ ...payload, access_token: s.secrets.access_token }),
    });
    return action === "remove" ? { ...request, method: "DELETE" as const } : request;
  });
}

export const metaAudiences: AudiencePlatform = {
  label: "Meta custom audience",
  maxMembers: META_MAX_ROWS,
  check: (target, s) =>
    !target.audienceId
      ? "set audience_id (the custom audience id) in the audience's destination settings"
      : !s.secrets.access_token
        ? "the Meta destination has no access_token"
        : null,
  matchable: (m) => metaAudienceRow(m) !== null,
  build: (adds, removes, target, s) => [
    ...requests(
      "add",
      adds.map(metaAudienceRow).filter((r): r is string[] => r !== null),
      target,
      s,
    ),
    ...requests(
      "remove",
      removes.map(metaAudienceRow).filter((r): r is string[] => r !== null),
      target,
      s,
    ),
  ],
  // Meta's rules are the same as for CAPI: throttling codes and is_transient retry, 100 / 190 never.
  classify: (answer) => metaDestination.classify(answer, []) as ReturnType<AudiencePlatform["classify"]>,
};
