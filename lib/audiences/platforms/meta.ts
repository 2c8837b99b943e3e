// Meta custom audiences: POST (add) / DELETE (remove, parameters in the query string) /{audience_id}/users
// with a schema list and rows of hashed identifiers (EXTERN_ID hashed exactly as the Conversions API's
// external_id); ≤ 10,000 rows per add request, larger uploads share a session. Credentials: the Meta
// destination's access_token.
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
import { META_GRAPH_VERSION } from "@/lib/delivery/destinations/api-version";
import { metaDestination } from "@/lib/delivery/destinations/meta";
import { joinUrl, jsonRequest, redactUrl } from "@/lib/delivery/destinations/shared";
import type { HttpRequestSpec, Outcome } from "@/lib/delivery/destinations/types";
import type { Answer } from "@/lib/delivery/http-retry";
import { metaKeys } from "@/lib/delivery/identity/match-keys";
import { redactBody } from "@/lib/delivery/normalize";

export const META_AUDIENCE_SCHEMA = ["EMAIL", "PHONE", "EXTERN_ID"] as const;
export const META_MAX_ROWS = 10_000;
/** Removals travel in the URL (as the SDK sends them): smaller parts keep the query string a sane length. */
export const META_MAX_REMOVE_ROWS = 50;

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
  const v = text(config.api_version) ?? META_GRAPH_VERSION;
  return v.startsWith("v") ? v : `v${v}`;
}

function requests(
  action: "add" | "remove",
  rows: string[][],
  target: AudienceTarget,
  s: PlatformSettings,
): HttpRequestSpec[] {
  const parts = chunk(rows, action === "remove" ? META_MAX_REMOVE_ROWS : META_MAX_ROWS);
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
    if (action === "remove") return removeRequest(url, payload, s.secrets.access_token ?? "");
    return jsonRequest({
      url,
      payload,
      body: JSON.stringify({ ...payload, access_token: s.secrets.access_token }),
    });
  });
}

/**
 * Removal as the official SDK sends it (CustomAudience.deleteUsers → DELETE with every parameter in the query
 * string, objects as JSON, access_token too; no body). The log keeps the parameters as a body, without the token.
 */
function removeRequest(url: string, params: Record<string, unknown>, accessToken: string): HttpRequestSpec {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) query.set(key, JSON.stringify(value));
  query.set("access_token", accessToken);
  return {
    method: "DELETE",
    url: `${url}?${query.toString()}`,
    headers: {},
    body: "",
    log: { url: redactUrl(url), headers: {}, body: redactBody(params) },
  };
}

interface MetaAudienceAck {
  num_received?: number;
  num_invalid_entries?: number;
  invalid_entry_samples?: unknown;
}

/**
 * Meta's rules as for CAPI (throttling codes and is_transient retry, 100 / 190 never), then per row: the
 * answer counts invalid rows and samples them. Some invalid: accepted, the count and samples kept in the ack
 * and the attempt's reason; all invalid: nothing was matched, a permanent failure that says so.
 */
export function classifyMetaAudience(answer: Answer): Outcome {
  const outcome = metaDestination.classify(answer, []) as Outcome;
  if (outcome.outcome !== "success" || !("status" in answer)) return outcome;
  const b = (answer.body && typeof answer.body === "object" ? answer.body : {}) as MetaAudienceAck;
  const invalid = b.num_invalid_entries ?? 0;
  const received = b.num_received ?? 0;
  if (invalid <= 0) return outcome;
  const samples = JSON.stringify(b.invalid_entry_samples ?? {}).slice(0, 300);
  const ack = { num_received: received, num_invalid_entries: invalid, invalid_entry_samples: b.invalid_entry_samples };
  if (invalid >= received)
    return { outcome: "permanent", reason: `Meta found all ${received} rows invalid: ${samples}`, ack };
  return { outcome: "success", ack: { ...ack, reason: `${invalid} of ${received} rows invalid: ${samples}` } };
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
  classify: classifyMetaAudience,
};
