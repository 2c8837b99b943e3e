// POST /api/registry/plan: what a bundle would change in the workspace — canonical events and
// mappings added, changed (per-field diff) or removed / deprecated — with breaking changes
// flagged. Reads only: nothing is written. Rules in the bundle are checked like a save would
// (a bad rule is a 400 with its path); references to unknown sources, canonical events or
// destinations are a 422 with the path.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { can } from "@/lib/auth/permissions";
import { checkReferences, normalizedEvents } from "@/lib/registry/plan/check-bundle";
import { diffEventDocuments, type FieldDiff } from "@/lib/registry/plan/diff-event";
import { diffMappings } from "@/lib/registry/plan/diff-mapping";
import { workspaceBundle } from "@/lib/registry/plan/export";
import { byText } from "@/lib/registry/plan/json-schema";
import type { BundleMapping, RegistryBundle } from "@/lib/validations/registry-bundle";

export type ChangeAction = "added" | "changed" | "removed" | "deprecated";

export interface PlannedChange {
  kind: "canonical_event" | "mapping";
  /** The canonical event's name, or "<source>/<source_event>" for a mapping. */
  key: string;
  action: ChangeAction;
  breaking: boolean;
  /** Per-field differences of a changed item (empty for an added or removed one). */
  fields: FieldDiff[];
  /** The whole item as the bundle has it (added) or the workspace has it (removed / deprecated). */
  content?: unknown;
}

const mappingKey = (m: BundleMapping) => `${m.source}/${m.source_event}`;

function normalizedMapping(m: BundleMapping): BundleMapping {
  return {
    ...m,
    required_properties: [...m.required_properties].sort(byText),
    destinations: [...m.destinations].sort((a, b) => byText(a.name, b.name)),
  };
}

function compare<T>(
  kind: PlannedChange["kind"],
  current: T[],
  wanted: T[],
  keyOf: (item: T) => string,
  diff: (before: T, after: T) => FieldDiff[],
  gone: ChangeAction,
): { changes: PlannedChange[]; unchanged: number } {
  const before = new Map(current.map((item) => [keyOf(item), item]));
  const after = new Map(wanted.map((item) => [keyOf(item), item]));
  const changes: PlannedChange[] = [];
  let unchanged = 0;
  for (const [key, item] of after) {
    const was = before.get(key);
    if (!was) {
      changes.push({ kind, key, action: "added", breaking: false, fields: [], content: item });
      continue;
    }
    const fields = diff(was, item);
    if (fields.length === 0) unchanged++;
    else changes.push({ kind, key, action: "changed", breaking: fields.some((f) => f.breaking), fields });
  }
  for (const [key, item] of before) {
    if (!after.has(key)) changes.push({ kind, key, action: gone, breaking: true, fields: [], content: item });
  }
  changes.sort((a, b) => byText(a.key, b.key));
  return { changes, unchanged };
}

/** Needs mapping.edit or canonicalEvent.manage: those who could make the changes may plan them. */
export function assertCanPlan(actor: Actor) {
  if (!can(actor.role, "mapping.edit")) assertCan(actor, "canonicalEvent.manage");
}

export async function planRegistry(actor: Actor, bundle: RegistryBundle) {
  assertCanPlan(actor);
  const events = normalizedEvents(bundle);
  await checkReferences(actor.workspaceId, bundle);
  const current = await workspaceBundle(actor.workspaceId);
  const eventPlan = compare(
    "canonical_event",
    current.canonical_events,
    events,
    (e) => e.title,
    diffEventDocuments,
    "removed",
  );
  const mappingPlan = compare(
    "mapping",
    current.mappings,
    bundle.mappings.map(normalizedMapping),
    mappingKey,
    diffMappings,
    "deprecated",
  );
  const changes = [...eventPlan.changes, ...mappingPlan.changes];
  const count = (action: ChangeAction) => changes.filter((c) => c.action === action).length;
  return {
    version: bundle.version,
    breaking: changes.some((c) => c.breaking),
    summary: {
      added: count("added"),
      changed: count("changed"),
      removed: count("removed"),
      deprecated: count("deprecated"),
      unchanged: eventPlan.unchanged + mappingPlan.unchanged,
      breaking: changes.filter((c) => c.breaking).length,
    },
    changes,
  };
}

export type RegistryPlan = Awaited<ReturnType<typeof planRegistry>>;
