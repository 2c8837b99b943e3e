// The engine wired to the real destination modules and base URLs (config base_url, then
// TRACKLAYER_<TYPE>_BASE_URL, then the platform's own).
import { baseUrlOverride, destinationModules, resolveBaseUrl } from "@/lib/delivery/destinations";
import type { WorkerOptions } from "@/lib/delivery/engine/worker";

export function defaultWorkerOptions(over: Partial<WorkerOptions> = {}): WorkerOptions {
  return {
    modules: destinationModules,
    baseUrlFor: (d) => resolveBaseUrl(d.type, baseUrlOverride(d.config)),
    ...over,
  };
}
