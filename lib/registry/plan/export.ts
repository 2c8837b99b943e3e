// The workspace's registry as one versioned bundle: each canonical event as a JSON Schema
// document, each mapping that is not deprecated with its current content (the head revision,
// or the live one when the head was rejected) and its destinations by name. Sorted throughout
// (events by name, mappings by source then source event, keys, required lists, destinations),
// so the same registry always exports the same text and a Git diff shows only real changes.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { byText, sortKeys, toJsonSchema } from "@/lib/registry/plan/json-schema";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import { BUNDLE_VERSION, type BundleMapping, type RegistryBundle } from "@/lib/validations/registry-bundle";

async function loadMappings(workspaceId: string): Promise<BundleMapping[]> {
  const revision = {
    select: {
      status: true,
      requiredProperties: true,
      propertyRenames: true,
      canonicalEvent: { select: { name: true } },
    },
  };
  const rows = await db().mapping.findMany({
    where: { workspaceId, status: { not: "deprecated" } },
    select: {
      sourceEvent: true,
      source: { select: { key: true } },
      headRevision: revision,
      liveRevision: revision,
      destinations: { select: { enabled: true, eventName: true, destination: { select: { name: true } } } },
    },
  });
  return rows.flatMap((m) => {
    const content = m.headRevision?.status === "rejected" && m.liveRevision ? m.liveRevision : m.headRevision;
    if (!content) return [];
    return [
      {
        source: m.source.key,
        source_event: m.sourceEvent,
        canonical_event: content.canonicalEvent.name,
        required_properties: [...content.requiredProperties].sort(byText),
        property_renames: content.propertyRenames as Record<string, string>,
        destinations: m.destinations
          .map((d) => ({
            name: d.destination.name,
            enabled: d.enabled,
            ...(d.eventName ? { event_name: d.eventName } : {}),
          }))
          .sort((a, b) => byText(a.name, b.name)),
      },
    ];
  });
}

/** The bundle of one workspace (no permission check: callers check). */
export async function workspaceBundle(workspaceId: string): Promise<RegistryBundle> {
  const [events, mappings] = await Promise.all([
    db().canonicalEvent.findMany({
      where: { workspaceId },
      select: { name: true, description: true, properties: true },
    }),
    loadMappings(workspaceId),
  ]);
  return sortKeys({
    version: BUNDLE_VERSION,
    canonical_events: events
      .map((e) => toJsonSchema({ ...e, properties: e.properties as PropertyDefinition[] }))
      .sort((a, b) => byText(a.title, b.title)),
    mappings: mappings.sort((a, b) => byText(a.source, b.source) || byText(a.source_event, b.source_event)),
  });
}

export async function exportRegistry(actor: Actor): Promise<RegistryBundle> {
  assertCan(actor, "workspace.read");
  return workspaceBundle(actor.workspaceId);
}
