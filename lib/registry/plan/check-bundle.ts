// Checks of a registry bundle before planning: its value rules pass the same checks as a
// save (issue paths point into the bundle's documents), and what its mappings name exists.
import { db } from "@/lib/db";
import { AppError, type FieldIssue, zodIssues } from "@/lib/errors";
import { type CanonicalEventDocument, fromJsonSchema, toJsonSchema } from "@/lib/registry/plan/json-schema";
import {
  canonicalEventCreateSchema,
  type PropertyDefinition,
  type ValueSpec,
} from "@/lib/validations/canonical-events";
import type { RegistryBundle } from "@/lib/validations/registry-bundle";

const KEYWORD_OF: Record<string, string> = { min_length: "minLength", max_length: "maxLength" };

/** A property-definition issue path (properties.2.max_length) as a path in the document (properties.sku.maxLength). */
function bundlePath(definitions: PropertyDefinition[], segments: string[]): string[] {
  const out: string[] = [];
  let list: PropertyDefinition[] | undefined = definitions;
  let spec: ValueSpec | undefined;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment === "properties" && list && /^\d+$/.test(segments[i + 1] ?? "")) {
      const definition: PropertyDefinition | undefined = list[Number(segments[++i])];
      out.push("properties", definition?.name ?? segments[i]!);
      spec = definition;
      list = definition?.properties;
    } else if (segment === "items") {
      out.push("items");
      spec = spec?.items;
      list = spec?.properties;
    } else {
      out.push(KEYWORD_OF[segment] ?? segment);
    }
  }
  return out;
}

/** The bundle's documents through the same rule checks as a save; issue paths point into the bundle. */
export function normalizedEvents(bundle: RegistryBundle): CanonicalEventDocument[] {
  const issues: FieldIssue[] = [];
  const documents = bundle.canonical_events.map((doc, i) => {
    const event = fromJsonSchema(doc);
    const parsed = canonicalEventCreateSchema.safeParse(event);
    if (parsed.success) return toJsonSchema(parsed.data);
    for (const issue of zodIssues(parsed.error)) {
      const path = ["canonical_events", i, ...bundlePath(event.properties, issue.path.split("."))].join(".");
      issues.push({ ...issue, path });
    }
    return doc;
  });
  if (issues.length) throw new AppError("invalid_request", "Invalid value rules in the bundle", issues);
  return documents;
}

/** Sources and destinations a bundle's mappings name must exist; canonical events must be in the bundle. */
export async function checkReferences(workspaceId: string, bundle: RegistryBundle) {
  const [sources, destinations] = await Promise.all([
    db().source.findMany({ where: { workspaceId }, select: { key: true } }),
    db().destination.findMany({ where: { workspaceId }, select: { name: true } }),
  ]);
  const sourceKeys = new Set(sources.map((s) => s.key));
  const destinationNames = new Set(destinations.map((d) => d.name));
  const events = new Set(bundle.canonical_events.map((e) => e.title));
  const issues: FieldIssue[] = [];
  bundle.mappings.forEach((m, i) => {
    if (!sourceKeys.has(m.source))
      issues.push({ path: `mappings.${i}.source`, message: `no source "${m.source}" in this workspace` });
    if (!events.has(m.canonical_event))
      issues.push({
        path: `mappings.${i}.canonical_event`,
        message: `no canonical event "${m.canonical_event}" in the bundle`,
      });
    m.destinations.forEach((d, j) => {
      if (!destinationNames.has(d.name))
        issues.push({ path: `mappings.${i}.destinations.${j}.name`, message: `no destination named "${d.name}"` });
    });
  });
  if (issues.length)
    throw new AppError("unprocessable", "The bundle names things this workspace does not have", issues);
}
