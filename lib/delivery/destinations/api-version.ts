// Live API versions: Meta's Graph API version and LinkedIn's LinkedIn-Version are destination settings
// (config.api_version) with defaults the platforms serve today, shown on the destination; an answer that
// says the version is unknown, unsupported or sunset becomes a dead-letter reason that says what to change.
import type { DestinationType } from "@/lib/generated/prisma/enums";

/** The Graph API version the newest official Node business SDK (facebook-nodejs-business-sdk 24.x) targets. */
export const META_GRAPH_VERSION = "v24.0";
/** A LinkedIn Marketing version LinkedIn has released (July 2026); each is served about a year. */
export const LINKEDIN_VERSION = "202607";

const DEFAULTS: Partial<Record<DestinationType, string>> = { meta: META_GRAPH_VERSION, linkedin: LINKEDIN_VERSION };

/** The version a destination calls (its api_version setting, else the default), or null for unversioned platforms. */
export function apiVersionOf(
  type: DestinationType,
  config: Record<string, unknown>,
): { version: string; isDefault: boolean } | null {
  const fallback = DEFAULTS[type];
  if (!fallback) return null;
  const set = typeof config.api_version === "string" ? config.api_version.trim() : "";
  if (!set) return { version: fallback, isDefault: true };
  return { version: type === "meta" && !set.startsWith("v") ? `v${set}` : set, isDefault: false };
}

const REFUSED = /\bversion\b/i;
const WHY =
  /deprecat|sunset|no longer|not (active|supported|available|exist|valid)|unsupported|invalid|unknown|does not exist/i;

/** Meta: error 2635 ("deprecated version"), or a message about the version being unknown or retired. */
export function metaVersionRefusal(version: string, code: number, message: string): string | null {
  if (code !== 2635 && !(REFUSED.test(message) && WHY.test(message))) return null;
  return `Meta refused Graph API version ${version} (${message}): set the destination's config.api_version to a version Meta serves, e.g. "${META_GRAPH_VERSION}"`;
}

/** LinkedIn: 426 (a sunset version header) or a message about the LinkedIn-Version being inactive or unknown. */
export function linkedinVersionRefusal(version: string, status: number, message: string): string | null {
  if (status !== 426 && !(REFUSED.test(message) && WHY.test(message))) return null;
  return `LinkedIn refused LinkedIn-Version ${version} (${message || `HTTP ${status}`}): set the destination's config.api_version to a released month LinkedIn still serves, e.g. "${LINKEDIN_VERSION}"`;
}
