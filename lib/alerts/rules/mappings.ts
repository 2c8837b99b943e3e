// The approved mappings rules watch, with their source key for messages and links.
import { db } from "@/lib/db";

export interface WatchedMapping {
  id: string;
  sourceId: string;
  source: string;
  sourceEvent: string;
}

export async function approvedMappings(workspaceId: string): Promise<WatchedMapping[]> {
  const rows = await db().mapping.findMany({
    // Live: an approved revision is in force (a newer draft or review does not stop it).
    where: { workspaceId, liveRevisionId: { not: null }, status: { not: "deprecated" } },
    select: { id: true, sourceId: true, sourceEvent: true, source: { select: { key: true } } },
    orderBy: { sourceEvent: "asc" },
  });
  return rows.map((m) => ({ id: m.id, sourceId: m.sourceId, source: m.source.key, sourceEvent: m.sourceEvent }));
}

export const mappingDetails = (m: WatchedMapping) => ({
  mapping_id: m.id,
  source: m.source,
  source_event: m.sourceEvent,
  link: `/mappings/${m.id}`,
});
