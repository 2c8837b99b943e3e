// Editing a mapping. A draft is edited in place; a revision in review goes back to draft;
// an approved or rejected head gets a new draft revision while the live one stays in force.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { invalidateRegistry } from "@/lib/ingest/registry-snapshot";
import { recordAudit } from "@/lib/registry/audit";
import { loadMapping, toMappingJson } from "@/lib/registry/mappings/get-mapping";
import { mappingInclude, revisionContent } from "@/lib/registry/mappings/serialize";
import { applyDestinationToggles, describeToggle, resolveContent } from "@/lib/registry/mappings/validate-content";
import type { MappingUpdateInput } from "@/lib/validations/mappings";

export async function updateMapping(actor: Actor, id: string, input: MappingUpdateInput) {
  const { destinations, ...content } = input;
  const editsContent = Object.values(content).some((v) => v !== undefined);
  if (editsContent) assertCan(actor, "mapping.edit");
  if (destinations) assertCan(actor, "mapping.toggleDestination");

  const mapping = await db().$transaction(async (tx) => {
    const current = await loadMapping(tx, actor.workspaceId, id);
    if (editsContent) {
      const head = current.headRevision;
      if (!head) throw new AppError("internal", "Mapping has no revision");
      if (current.status === "deprecated") {
        throw new AppError("invalid_transition", "A deprecated mapping is read-only; create a new mapping instead");
      }
      const before = revisionContent(head);
      const canonicalChanged =
        content.canonical_event !== undefined && content.canonical_event !== before.canonical_event;
      const { canonical, requiredProperties } = await resolveContent(tx, actor.workspaceId, {
        canonicalEvent: content.canonical_event ?? before.canonical_event,
        // A new canonical event brings its own required properties unless the edit names them.
        requiredProperties: content.required_properties ?? (canonicalChanged ? undefined : before.required_properties),
        propertyRenames: content.property_renames ?? before.property_renames,
      });
      const data = {
        canonicalEventId: canonical.id,
        requiredProperties,
        propertyRenames: content.property_renames ?? before.property_renames,
        note: content.note ?? before.note,
      };
      let revisionId = head.id;
      if (head.status === "draft" || head.status === "in_review") {
        await tx.mappingRevision.update({
          where: { id: head.id },
          data: { ...data, status: "draft", submittedById: null, submittedAt: null },
        });
      } else {
        const created = await tx.mappingRevision.create({
          data: { ...data, mappingId: current.id, number: head.number + 1, createdById: actor.userId },
        });
        revisionId = created.id;
      }
      await tx.mapping.update({
        where: { id: current.id },
        data: { headRevisionId: revisionId, status: current.liveRevisionId ? "approved" : "draft" },
      });
      await recordAudit(tx, actor, {
        action: "mapping.edit",
        entityType: "mapping",
        entityId: current.id,
        summary:
          revisionId === head.id ? `edited draft revision ${head.number}` : `new draft revision ${head.number + 1}`,
        before,
        after: {
          canonical_event: canonical.name,
          required_properties: data.requiredProperties,
          property_renames: data.propertyRenames,
          note: data.note,
        },
      });
    }
    if (destinations) {
      const state = (list: typeof current.destinations) =>
        Object.fromEntries(list.map((d) => [d.destinationId, { enabled: d.enabled, event_name: d.eventName }]));
      await applyDestinationToggles(tx, actor.workspaceId, current.id, destinations);
      const updated = await tx.mappingDestination.findMany({
        where: { mappingId: current.id },
        include: mappingInclude.destinations.include,
      });
      await recordAudit(tx, actor, {
        action: "mapping.destinations",
        entityType: "mapping",
        entityId: current.id,
        summary: Object.entries(destinations)
          .map(([d, toggle]) =>
            describeToggle(updated.find((x) => x.destinationId === d)?.destination.name ?? d, toggle),
          )
          .join(", "),
        before: state(current.destinations),
        after: state(updated),
      });
    }
    return loadMapping(tx, actor.workspaceId, id);
  });
  invalidateRegistry(actor.workspaceId);
  return toMappingJson(mapping);
}
