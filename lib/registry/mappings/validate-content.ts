// Checks a mapping's content against the workspace's registry: the canonical event exists,
// required properties and rename targets are declared on it, toggled destinations exist.
import { AppError, type FieldIssue } from "@/lib/errors";
import type { PropertyDefinition } from "@/lib/validations/registry";
import type { Tx } from "@/lib/registry/audit";

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
    if (!names.has(name)) issues.push({ path: `required_properties.${i}`, message: `"${name}" is not a property of ${canonical.name}` });
  });
  const targets = new Map<string, string>();
  for (const [from, to] of Object.entries(content.propertyRenames)) {
    if (!names.has(to)) issues.push({ path: `property_renames.${from}`, message: `"${to}" is not a property of ${canonical.name}` });
    const other = targets.get(to);
    if (other) issues.push({ path: `property_renames.${from}`, message: `"${other}" is already renamed to "${to}"` });
    targets.set(to, from);
  }
  if (issues.length) throw new AppError("unprocessable", "The mapping does not fit its canonical event", issues);
  return { canonical, requiredProperties: [...new Set(required)] };
}

export async function applyDestinationToggles(tx: Tx, workspaceId: string, mappingId: string, toggles: Record<string, boolean>) {
  const ids = Object.keys(toggles);
  if (ids.length === 0) return;
  const found = await tx.destination.findMany({ where: { workspaceId, id: { in: ids } }, select: { id: true } });
  const known = new Set(found.map((d) => d.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new AppError(
      "unprocessable",
      "Unknown destination",
      unknown.map((id) => ({ path: `destinations.${id}`, message: "no such destination in this workspace" })),
    );
  }
  for (const [destinationId, enabled] of Object.entries(toggles)) {
    await tx.mappingDestination.upsert({
      where: { mappingId_destinationId: { mappingId, destinationId } },
      create: { mappingId, destinationId, enabled },
      update: { enabled },
    });
  }
}
