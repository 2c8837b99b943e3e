// Checks a mapping's content against the workspace's registry: the canonical event exists,
// required properties and rename targets are declared on it, toggled destinations exist and
// per-destination event names follow that platform's rules.

import { destinationModules } from "@/lib/delivery/destinations";
import { AppError, type FieldIssue } from "@/lib/errors";
import type { Tx } from "@/lib/registry/audit";
import type { PropertyDefinition } from "@/lib/validations/canonical-events";
import type { DestinationToggle } from "@/lib/validations/mappings";

export interface MappingContent {
  canonicalEvent: string;
  requiredProperties?: string[];
  propertyRenames: Record<string, string>;
}

export async function resolveContent(tx: Tx, workspaceId: string, content: MappingContent) {
  const canonical = await tx.canonicalEvent.findUnique({
    where: { workspaceId_name: { workspaceId, name: content.canonicalEvent } },
  });
  if (!canonical) {
    throw new AppError("unprocessable", "Unknown canonical event", [
      { path: "canonical_event", message: `no canonical event named "${content.canonicalEvent}" in this workspace` },
    ]);
  }
  const declared = canonical.properties as PropertyDefinition[];
  const names = new Set(declared.map((p) => p.name));
  const required = content.requiredProperties ?? declared.filter((p) => p.required).map((p) => p.name);
  const issues: FieldIssue[] = [];
  required.forEach((name, i) => {
    if (!names.has(name))
      issues.push({ path: `required_properties.${i}`, message: `"${name}" is not a property of ${canonical.name}` });
  });
  const targets = new Map<string, string>();
  for (const [from, to] of Object.entries(content.propertyRenames)) {
    if (!names.has(to))
      issues.push({ path: `property_renames.${from}`, message: `"${to}" is not a property of ${canonical.name}` });
    const other = targets.get(to);
    if (other) issues.push({ path: `property_renames.${from}`, message: `"${other}" is already renamed to "${to}"` });
    targets.set(to, from);
  }
  if (issues.length) throw new AppError("unprocessable", "The mapping does not fit its canonical event", issues);
  return { canonical, requiredProperties: [...new Set(required)] };
}

/** A toggle as stored: enabled (undefined keeps it) and the event name override (null clears, undefined keeps). */
export function normalizeToggle(toggle: DestinationToggle): { enabled?: boolean; eventName?: string | null } {
  return typeof toggle === "boolean" ? { enabled: toggle } : { enabled: toggle.enabled, eventName: toggle.event_name };
}

export function describeToggle(name: string, toggle: DestinationToggle): string {
  const { enabled, eventName } = normalizeToggle(toggle);
  const parts = [enabled === undefined ? null : `${enabled ? "enabled" : "disabled"} ${name}`];
  if (eventName !== undefined)
    parts.push(
      eventName === null ? `cleared the event name for ${name}` : `named the event "${eventName}" for ${name}`,
    );
  return parts.filter(Boolean).join(", ");
}

export async function applyDestinationToggles(
  tx: Tx,
  workspaceId: string,
  mappingId: string,
  toggles: Record<string, DestinationToggle>,
) {
  const ids = Object.keys(toggles);
  if (ids.length === 0) return;
  const found = await tx.destination.findMany({
    where: { workspaceId, id: { in: ids } },
    select: { id: true, type: true },
  });
  const typeOf = new Map(found.map((d) => [d.id, d.type]));
  const issues: FieldIssue[] = ids
    .filter((id) => !typeOf.has(id))
    .map((id) => ({ path: `destinations.${id}`, message: "no such destination in this workspace" }));
  if (issues.length) throw new AppError("unprocessable", "Unknown destination", issues);
  for (const [id, toggle] of Object.entries(toggles)) {
    const { eventName } = normalizeToggle(toggle);
    if (!eventName) continue;
    const module = destinationModules[typeOf.get(id)!];
    const problem = module.eventNameProblem
      ? module.eventNameProblem(eventName)
      : `${module.label} sends no event names (its conversion ids are set on the destination)`;
    if (problem) issues.push({ path: `destinations.${id}.event_name`, message: problem });
  }
  if (issues.length) throw new AppError("unprocessable", "Invalid event name for the destination", issues);
  for (const [destinationId, toggle] of Object.entries(toggles)) {
    const { enabled, eventName } = normalizeToggle(toggle);
    const data = { ...(enabled === undefined ? {} : { enabled }), ...(eventName === undefined ? {} : { eventName }) };
    await tx.mappingDestination.upsert({
      where: { mappingId_destinationId: { mappingId, destinationId } },
      // Naming an event does not start sending it: a new toggle is off unless enabled says otherwise.
      create: { mappingId, destinationId, enabled: enabled ?? false, eventName: eventName ?? null },
      update: data,
    });
  }
}
