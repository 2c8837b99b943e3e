// Reading mappings: one with its full revision history, scoped to the actor's workspace.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { Tx } from "@/lib/registry/audit";
import { diffContent } from "@/lib/registry/mappings/diff";
import {
  mappingInclude,
  peopleFor,
  revisionContent,
  revisionInclude,
  serializeMapping,
  serializeRevision,
  validatorsOf,
} from "@/lib/registry/mappings/serialize";

export async function loadMapping(tx: Tx, workspaceId: string, id: string) {
  const mapping = await tx.mapping.findFirst({ where: { id, workspaceId }, include: mappingInclude });
  if (!mapping) throw notFound("Mapping");
  return mapping;
}

export async function toMappingJson(mapping: Awaited<ReturnType<typeof loadMapping>>) {
  return serializeMapping(
    mapping,
    await peopleFor([mapping.headRevision, mapping.liveRevision], validatorsOf([mapping])),
  );
}

/** The mapping plus every revision (newest first), each with its diff from the one before. */
export async function getMapping(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  const mapping = await loadMapping(db(), actor.workspaceId, id);
  const revisions = await db().mappingRevision.findMany({
    where: { mappingId: mapping.id },
    include: revisionInclude,
    orderBy: { number: "asc" },
  });
  const people = await peopleFor([...revisions, mapping.headRevision, mapping.liveRevision], validatorsOf([mapping]));
  const history = revisions.map((r, i) => {
    const previous = i > 0 ? revisions[i - 1] : undefined;
    return {
      ...serializeRevision(r, people),
      changes: diffContent(previous ? revisionContent(previous) : null, revisionContent(r)),
    };
  });
  return { ...serializeMapping(mapping, people), revisions: history.reverse() };
}
