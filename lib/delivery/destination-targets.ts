// Where a destination's settings send: the origin of every URL setting (base_url, token_url, a webhook's url,
// any other URL in its config), so changing one can be told apart from changing anything else, and the
// production rule for a destination's own URL overrides (the platform's host, or one the operator allowed).
import { destinationModules, officialBaseUrls } from "@/lib/delivery/destinations";
import { officialTokenUrls } from "@/lib/delivery/oauth";
import { overrideRefusal } from "@/lib/delivery/outbound";
import type { FieldIssue } from "@/lib/errors";
import type { DestinationType } from "@/lib/generated/prisma/enums";

/** Every http(s) URL in a config, anywhere in it, as `config.<path>` → origin. */
export function urlSettings(config: unknown, path = "config", found = new Map<string, string>()): Map<string, string> {
  if (typeof config === "string") {
    if (/^\s*https?:\/\//i.test(config)) {
      try {
        found.set(path, new URL(config.trim()).origin);
      } catch {
        found.set(path, config.trim()); // not a URL the schema accepts; compared as written
      }
    }
  } else if (config && typeof config === "object") {
    for (const [key, value] of Object.entries(config)) urlSettings(value, `${path}.${key}`, found);
  }
  return found;
}

/** The URL settings whose origin differs between two configs (added, removed or pointed elsewhere). */
export function changedTargets(before: unknown, after: unknown): string[] {
  const a = urlSettings(before);
  const b = urlSettings(after);
  return [...new Set([...a.keys(), ...b.keys()])].filter((path) => a.get(path) !== b.get(path)).sort();
}

/**
 * The destination's own URL overrides that production refuses (422 field issues): base_url away from the
 * platform's host, token_url away from the provider's, unless in TRACKLAYER_ALLOWED_DESTINATION_HOSTS.
 * A webhook's url is its receiver, not an override: the guarded fetch still keeps it off private networks.
 */
export function overrideIssues(type: DestinationType, config: Record<string, unknown>): FieldIssue[] {
  if (type === "webhook") return [];
  const oauth = destinationModules[type].oauth;
  const checks: [string, unknown, string[]][] = [
    ["config.base_url", config.base_url, officialBaseUrls(type)],
    ...(oauth ? [["config.token_url", config.token_url, officialTokenUrls(oauth)] as [string, unknown, string[]]] : []),
  ];
  return checks.flatMap(([path, value, official]) => {
    const refusal = typeof value === "string" && value.trim() ? overrideRefusal(value.trim(), official, path) : null;
    return refusal ? [{ path, message: refusal, code: "host_not_allowed" }] : [];
  });
}
