// Pure: what the registry says about one incoming event — unmapped, held, rejected (with
// each schema problem) or accepted with its canonical properties and destinations.

import type { FieldIssue } from "@/lib/errors";
import { checkValue } from "@/lib/ingest/check-value";
import {
  type LiveRevision,
  type MappingEntry,
  mappingKey,
  type RegistrySnapshot,
} from "@/lib/ingest/registry-snapshot";
import { guardUnhashedPii } from "@/lib/privacy/unhashed-pii";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";

export type Resolution =
  | { status: "unmapped"; hint?: string }
  | { status: "held"; mapping: MappingEntry; canonicalName: string | null }
  | {
      status: "rejected";
      mapping: MappingEntry;
      revision: LiveRevision;
      canonicalName: string;
      problems: FieldIssue[];
      properties: Record<string, unknown>;
    }
  | {
      status: "accepted";
      mapping: MappingEntry;
      revision: LiveRevision;
      canonicalName: string;
      properties: Record<string, unknown>;
    };

/** Renames source properties to canonical names; an explicit canonical value wins. */
export function applyRenames(
  properties: Record<string, unknown>,
  renames: Record<string, string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...properties };
  for (const [from, to] of Object.entries(renames)) {
    if (!(from in out)) continue;
    if (!(to in out)) out[to] = out[from];
    delete out[from];
  }
  return out;
}

export function checkProperties(
  properties: Record<string, unknown>,
  required: string[],
  definitions: PropertyDefinition[],
  canonicalName: string,
): FieldIssue[] {
  const problems: FieldIssue[] = [];
  for (const name of required) {
    const value = properties[name];
    if (value === undefined || value === null || value === "") {
      problems.push({ path: `properties.${name}`, message: `is required by ${canonicalName}`, code: "missing" });
    }
  }
  for (const def of definitions) {
    const value = properties[def.name];
    if (value === undefined || value === null) continue;
    problems.push(...checkValue(`properties.${def.name}`, value, def));
  }
  return problems;
}

/** Test keys resolve through the revision under review when there is one, else the live one. */
export function resolveEvent(
  snapshot: RegistrySnapshot,
  sourceId: string,
  sourceEvent: string,
  properties: Record<string, unknown>,
  test = false,
): Resolution {
  const mapping = snapshot.mappings.get(mappingKey(sourceId, sourceEvent));
  if (!mapping) {
    return snapshot.canonicalNames.has(sourceEvent)
      ? {
          status: "unmapped",
          hint: `"${sourceEvent}" is a canonical event name, but this source has no mapping for it; canonical events are only accepted through a mapping`,
        }
      : { status: "unmapped" };
  }
  const revision = test ? (mapping.candidate ?? mapping.live) : mapping.live;
  if (!revision) return { status: "held", mapping, canonicalName: mapping.headCanonicalName };
  const canonical = applyRenames(properties, revision.renames);
  const problems = checkProperties(canonical, revision.required, revision.properties, revision.canonicalName);
  return problems.length
    ? { status: "rejected", mapping, revision, canonicalName: revision.canonicalName, problems, properties: canonical }
    : { status: "accepted", mapping, revision, canonicalName: revision.canonicalName, properties: canonical };
}

/**
 * An accepted event bound for a destination that forwards properties as they are: a raw e-mail or
 * phone in them is a violation (block) or is hashed (hash) — lib/privacy/unhashed-pii.ts.
 */
export function guardPii(resolution: Resolution, snapshot: RegistrySnapshot, test = false): Resolution {
  if (resolution.status !== "accepted") return resolution;
  const ids = test ? resolution.mapping.testDestinationIds : resolution.mapping.destinationIds;
  const types = ids.flatMap((id) => snapshot.destinationTypes.get(id) ?? []);
  const guard = guardUnhashedPii(resolution.properties, types, snapshot.unhashedPiiPolicy);
  if (guard.outcome === "clean") return resolution;
  if (guard.outcome === "hashed") return { ...resolution, properties: guard.properties };
  return { ...resolution, status: "rejected", problems: guard.problems };
}
