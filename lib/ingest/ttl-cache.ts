// A small read-through cache with a time-to-live, single-flight loading and explicit
// invalidation. Hot ingest lookups (write keys, the registry) go through it; writers
// invalidate locally, and the TTL bounds staleness for other app instances.
import { processGlobal } from "@/lib/process-global";

export class TtlCache<V> {
  private readonly entries = new Map<string, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly load: (key: string) => Promise<V>,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    const value = this.load(key);
    if (this.entries.size >= this.maxEntries) this.entries.clear(); // bounded, even under key spraying
    this.entries.set(key, { value, expires: now + this.ttlMs });
    value.catch(() => this.entries.delete(key));
    return value;
  }

  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}

/**
 * One cache per name per process. Next bundles each route separately, so a module-level
 * instance could exist once per route; globalThis makes writers and readers share one.
 */
export function sharedCache<V>(name: string, ttlMs: number, load: (key: string) => Promise<V>): TtlCache<V> {
  const registry = processGlobal("__tracklayerCaches", () => new Map<string, unknown>());
  if (!registry.has(name)) registry.set(name, new TtlCache(ttlMs, load));
  return registry.get(name) as TtlCache<V>;
}
