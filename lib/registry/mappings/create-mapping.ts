// Creating a mapping: source + source_event → canonical event, as a first draft revision.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError, isUniqueViolation } from "@/lib/errors";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { recordAudit } from "@/lib/registry/audit";
import { loadMapping, toMappingJson } from "@/lib/registry/mappings/get-mapping";
import { applyDestinationToggles, resolveContent } from "@/lib/registry/mappings/validate-content";
import type { MappingCreateInput } from "@/lib/validations/mappings";

export function liveMappingConflict(source: string, sourceEvent: string) {
  return new AppError(
    "conflict",
    `A live mapping for ${source} "${sourceEvent}" already exists; edit it or deprecate it first`,
    [{ path: "source_event", message: "already mapped for this source" }],
  );
}

export async function createMapping(actor: Actor, input: MappingCreateInput) {
  assertCan(actor, "mapping.edit");
  if (input.destinations) assertCan(actor, "mapping.toggleDestination");
  try {
    const mapping = await db().$transaction(async (tx) => {
      const source = await tx.source.findUnique({
        where: { workspaceId_key: { workspaceId: actor.workspaceId, key: input.source } },
      });
      if (!source) {
        throw new AppError("unprocessable", "Unknown source", [
          { path: "source", message: `no source "${input.source}" in this workspace` },
        ]);
      }
      const { canonical, requiredProperties } = await resolveContent(tx, actor.workspaceId, {
        canonicalEvent: input.canonical_event,
        requiredProperties: input.required_properties,
        propertyRenames: input.property_renames,
      });
      const created = await tx.mapping.create({
        data: {
          workspaceId: actor.workspaceId,
          sourceId: source.id,
          sourceEvent: input.source_event,
          liveKey: input.source_event,
          status: "draft",
        },
      });
      const revision = await tx.mappingRevision.create({
        data: {
          mappingId: created.id,
          number: 1,
          canonicalEventId: canonical.id,
          requiredProperties,
          propertyRenames: input.property_renames,
          note: input.note,
          createdById: actor.userId,
        },
      });
      await tx.mapping.update({ where: { id: created.id }, data: { headRevisionId: revision.id } });
      await applyDestinationToggles(tx, actor.workspaceId, created.id, input.destinations ?? {});
      const full = await loadMapping(tx, actor.workspaceId, created.id);
      await recordAudit(tx, actor, {
        action: "mapping.create",
        entityType: "mapping",
        entityId: created.id,
        summary: `${source.key} "${input.source_event}" → ${canonical.name} (draft)`,
        after: {
          source: source.key,
          source_event: input.source_event,
          canonical_event: canonical.name,
          required_properties: requiredProperties,
          property_renames: input.property_renames,
        },
      });
      return full;
    });
    invalidateRegistry(actor.workspaceId);
    return toMappingJson(mapping);
  } catch (error) {
    if (isUniqueViolation(error)) throw liveMappingConflict(input.source, input.source_event);
    throw error;
  }
}
