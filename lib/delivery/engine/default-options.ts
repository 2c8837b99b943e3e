// The engine wired to the real destination modules and base URLs (config base_url, then
// TRACKLAYER_<TYPE>_BASE_URL, then the platform's own).
import { destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import type { WorkerOptions } from "@/lib/delivery/engine/worker";

/** A destination's own base URL: `base_url`, or `url` for webhooks. */
export function baseUrlOverride(config: Record<string, unknown>): string | undefined {
  return typeof config.base_url === "string" ? config.base_url : typeof config.url === "string" ? config.url : undefined;
}

export function defaultWorkerOptions(over: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    modules: destinationModules,
    baseUrlFor: (d) => resolveBaseUrl(d.type, baseUrlOverride(d.config)),
    ...over,
  };
}
