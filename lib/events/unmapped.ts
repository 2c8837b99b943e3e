// Unmapped source events: capture / track calls no mapping matched, grouped by (source, source
// event) with count, first and last seen and a sample — the candidates analysts promote.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { loadEventLookups } from "@/lib/events/serialize";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { MappingStatus } from "@/lib/generated/prisma/enums";
import type { UnmappedQuery } from "@/lib/validations/events";

export const PROMOTABLE_KINDS = ["capture", "track"];

export interface UnmappedGroup {
  id: string;
  source: string | null;
  source_event: string;
  count: number;
  first_seen: string;
  last_seen: string;
  sample: { id: string; event_id: string; payload: Prisma.JsonValue } | null;
  /** A non-deprecated mapping for this (source, source event) created since. */
  live_mapping: { id: string; status: MappingStatus } | null;
}

const groupId = (sourceId: string | null, sourceEvent: string) => JSON.stringify([sourceId, sourceEvent]);

export async function listUnmapped(actor: Actor, query: UnmappedQuery) {
  assertCan(actor, "workspace.read");
  const { sources } = await loadEventLookups(actor.workspaceId);
  const sourceId = query.source ? [...sources].find(([, key]) => key === query.source)?.[0] : undefined;
  if (query.source && !sourceId)
    return { rows: [] as UnmappedGroup[], total: 0, page: query.page, per_page: query.per_page };
  const where: Prisma.EventWhereInput = {
    workspaceId: actor.workspaceId,
    status: "unmapped",
    kind: { in: PROMOTABLE_KINDS },
    ...(sourceId ? { sourceId } : {}),
    ...(query.q ? { sourceEvent: { contains: query.q, mode: "insensitive" } } : {}),
  };
  const [groups, allGroups] = await Promise.all([
    db().event.groupBy({
      by: ["sourceId", "sourceEvent"],
      where,
      _count: { _all: true },
      _min: { receivedAt: true },
      _max: { receivedAt: true },
      orderBy: [{ _max: { receivedAt: "desc" } }, { sourceEvent: "asc" }],
      skip: (query.page - 1) * query.per_page,
      take: query.per_page,
    }),
    db().event.groupBy({ by: ["sourceId", "sourceEvent"], where }),
  ]);
  const [samples, mappings] = groups.length
    ? await Promise.all([
        db().event.findMany({
          where: { ...where, OR: groups.map((g) => ({ sourceId: g.sourceId, sourceEvent: g.sourceEvent })) },
          distinct: ["sourceId", "sourceEvent"],
          orderBy: [{ sourceId: "asc" }, { sourceEvent: "asc" }, { receivedAt: "desc" }, { id: "desc" }],
          select: { id: true, eventId: true, sourceId: true, sourceEvent: true, payload: true },
        }),
        db().mapping.findMany({
          where: {
            workspaceId: actor.workspaceId,
            sourceId: { in: groups.flatMap((g) => (g.sourceId ? [g.sourceId] : [])) },
            liveKey: { in: groups.map((g) => g.sourceEvent) },
          },
          select: { id: true, sourceId: true, liveKey: true, status: true },
        }),
      ])
    : [[], []];
  const sampleOf = new Map(samples.map((s) => [groupId(s.sourceId, s.sourceEvent), s]));
  const mappingOf = new Map(mappings.map((m) => [groupId(m.sourceId, m.liveKey ?? ""), m]));
  const rows = groups.map((g): UnmappedGroup => {
    const id = groupId(g.sourceId, g.sourceEvent);
    const sample = sampleOf.get(id);
    const mapping = mappingOf.get(id);
    return {
      id,
      source: g.sourceId ? (sources.get(g.sourceId) ?? null) : null,
      source_event: g.sourceEvent,
      count: g._count._all,
      first_seen: g._min.receivedAt!.toISOString(),
      last_seen: g._max.receivedAt!.toISOString(),
      sample: sample ? { id: sample.id, event_id: sample.eventId, payload: sample.payload } : null,
      live_mapping: mapping ? { id: mapping.id, status: mapping.status } : null,
    };
  });
  return { rows, total: allGroups.length, page: query.page, per_page: query.per_page };
}
