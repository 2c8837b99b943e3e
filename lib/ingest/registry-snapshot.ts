// What ingestion needs from the schema registry, per workspace, in memory: sources, live
// (non-deprecated) mappings with their live revision and enabled destinations. Registry
// writes invalidate it; the TTL bounds staleness on other instances.
import { db } from "@/lib/db";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { sharedCache } from "@/lib/ingest/ttl-cache";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import type { UnhashedPiiPolicy } from "@/lib/validations/workspace";

export interface LiveRevision {
  revisionId: string;
  canonicalEventId: string;
  canonicalName: string;
  required: string[];
  renames: Record<string, string>;
  properties: PropertyDefinition[];
}

export interface MappingEntry {
  mappingId: string;
  /** Present only when an approved revision is in force: the one thing that is delivered. */
  live: LiveRevision | null;
  /** The head revision while it is a draft or in review: what test keys validate. */
  candidate: LiveRevision | null;
  headCanonicalName: string | null;
  destinationIds: string[];
  /** The enabled destinations that are in test mode: the only ones test keys reach. */
  testDestinationIds: string[];
}

export interface RegistrySnapshot {
  sourceIdByKey: Map<string, string>;
  sourceKeyById: Map<string, string>;
  canonicalNames: Set<string>;
  canonicalNameById: Map<string, string>;
  destinationNames: Map<string, string>;
  destinationTypes: Map<string, DestinationType>;
  mappings: Map<string, MappingEntry>;
  /** The workspace's rule for raw e-mails / phones in forwarded properties (lib/privacy/unhashed-pii.ts). */
  unhashedPiiPolicy: UnhashedPiiPolicy;
}

export const mappingKey = (sourceId: string, sourceEvent: string) => `${sourceId}\u0000${sourceEvent}`;

async function loadSnapshot(workspaceId: string): Promise<RegistrySnapshot> {
  const [sources, canonicalEvents, destinations, mappings, workspace] = await Promise.all([
    db().source.findMany({ where: { workspaceId }, select: { id: true, key: true } }),
    db().canonicalEvent.findMany({ where: { workspaceId }, select: { id: true, name: true, properties: true } }),
    db().destination.findMany({
      where: { workspaceId },
      select: { id: true, name: true, type: true, enabled: true, testMode: true },
    }),
    db().mapping.findMany({
      where: { workspaceId, liveKey: { not: null } },
      select: {
        id: true,
        sourceId: true,
        sourceEvent: true,
        liveRevision: { select: { id: true, canonicalEventId: true, requiredProperties: true, propertyRenames: true } },
        headRevision: {
          select: { id: true, status: true, canonicalEventId: true, requiredProperties: true, propertyRenames: true },
        },
        destinations: { where: { enabled: true }, select: { destinationId: true } },
      },
    }),
    db().workspace.findUnique({ where: { id: workspaceId }, select: { unhashedPiiPolicy: true } }),
  ]);
  const canonicalById = new Map(canonicalEvents.map((c) => [c.id, c]));
  const enabledDestinations = new Set(destinations.filter((d) => d.enabled).map((d) => d.id));
  const testDestinations = new Set(destinations.filter((d) => d.enabled && d.testMode).map((d) => d.id));
  const revisionOf = (
    r: { id: string; canonicalEventId: string; requiredProperties: string[]; propertyRenames: unknown } | null,
  ): LiveRevision | null => {
    const canonical = r ? canonicalById.get(r.canonicalEventId) : undefined;
    if (!r || !canonical) return null;
    return {
      revisionId: r.id,
      canonicalEventId: canonical.id,
      canonicalName: canonical.name,
      required: r.requiredProperties,
      renames: r.propertyRenames as Record<string, string>,
      properties: canonical.properties as PropertyDefinition[],
    };
  };
  const entries = new Map<string, MappingEntry>();
  for (const m of mappings) {
    const head = m.headRevision;
    const enabledOnMapping = m.destinations.map((d) => d.destinationId);
    entries.set(mappingKey(m.sourceId, m.sourceEvent), {
      mappingId: m.id,
      live: revisionOf(m.liveRevision),
      candidate: head && (head.status === "draft" || head.status === "in_review") ? revisionOf(head) : null,
      headCanonicalName: head ? (canonicalById.get(head.canonicalEventId)?.name ?? null) : null,
      destinationIds: enabledOnMapping.filter((id) => enabledDestinations.has(id)),
      testDestinationIds: enabledOnMapping.filter((id) => testDestinations.has(id)),
    });
  }
  return {
    sourceIdByKey: new Map(sources.map((s) => [s.key, s.id])),
    sourceKeyById: new Map(sources.map((s) => [s.id, s.key])),
    canonicalNames: new Set(canonicalEvents.map((c) => c.name)),
    canonicalNameById: new Map(canonicalEvents.map((c) => [c.id, c.name])),
    destinationNames: new Map(destinations.map((d) => [d.id, d.name])),
    destinationTypes: new Map(destinations.map((d) => [d.id, d.type])),
    mappings: entries,
    unhashedPiiPolicy: workspace?.unhashedPiiPolicy === "hash" ? "hash" : "block",
  };
}

const cache = sharedCache("registry", 5_000, loadSnapshot);

export function registrySnapshot(workspaceId: string): Promise<RegistrySnapshot> {
  return cache.get(workspaceId);
}

/** Called by every registry write (mappings, canonical events, sources, destinations). */
export function invalidateRegistry(workspaceId?: string): void {
  cache.invalidate(workspaceId);
}
