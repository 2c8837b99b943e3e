// Which mappings send to each destination (the mapping's toggle is on), for the destination cards.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";

export interface MappingUse {
  id: string;
  sourceEvent: string;
  source: string;
  status: string;
}

/** Destination id → the mappings whose toggle for it is on, by source event. */
export async function listMappingsByDestination(actor: Actor): Promise<Map<string, MappingUse[]>> {
  assertCan(actor, "workspace.read");
  const rows = await db().mappingDestination.findMany({
    where: { enabled: true, mapping: { workspaceId: actor.workspaceId } },
    select: {
      destinationId: true,
      mapping: { select: { id: true, sourceEvent: true, status: true, source: { select: { key: true } } } },
    },
    orderBy: { mapping: { sourceEvent: "asc" } },
  });
  const byDestination = new Map<string, MappingUse[]>();
  for (const r of rows) {
    const list = byDestination.get(r.destinationId) ?? [];
    list.push({
      id: r.mapping.id,
      sourceEvent: r.mapping.sourceEvent,
      source: r.mapping.source.key,
      status: r.mapping.status,
    });
    byDestination.set(r.destinationId, list);
  }
  return byDestination;
}
