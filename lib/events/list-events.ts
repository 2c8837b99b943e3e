// The events explorer: stored events of the workspace, filtered, searched, newest or oldest first, paged.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { type EventRowJson, eventRowSelect, loadEventLookups, serializeEventRow } from "@/lib/events/serialize";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EventListQuery } from "@/lib/validations/events";

export interface EventList {
  rows: EventRowJson[];
  total: number;
  page: number;
  per_page: number;
}

function keyOf(map: Map<string, string>, value: string): string | undefined {
  for (const [id, name] of map) if (name === value) return id;
  return undefined;
}

function searchFilter(q: string): Prisma.EventWhereInput {
  return {
    OR: [
      { id: q },
      { eventId: q },
      { userId: q },
      { anonymousId: q },
      { resolvedUserId: q },
      { sourceEvent: { contains: q, mode: "insensitive" } },
    ],
  };
}

export async function listEvents(actor: Actor, query: EventListQuery): Promise<EventList> {
  assertCan(actor, "workspace.read");
  const lookups = await loadEventLookups(actor.workspaceId);
  const empty = { rows: [], total: 0, page: query.page, per_page: query.per_page };
  const sourceId = query.source ? keyOf(lookups.sources, query.source) : undefined;
  const canonicalEventId = query.canonical_event ? keyOf(lookups.canonicalEvents, query.canonical_event) : undefined;
  if ((query.source && !sourceId) || (query.canonical_event && !canonicalEventId)) return empty;

  const where: Prisma.EventWhereInput = {
    workspaceId: actor.workspaceId,
    ...(query.status ? { status: query.status } : {}),
    ...(query.kind ? { kind: query.kind } : {}),
    ...(sourceId ? { sourceId } : {}),
    ...(canonicalEventId ? { canonicalEventId } : {}),
    ...(query.mapping ? { mappingId: query.mapping } : {}),
    ...(query.from || query.to ? { receivedAt: { gte: query.from, lte: query.to } } : {}),
    ...(query.q ? searchFilter(query.q) : {}),
  };
  const [records, total] = await Promise.all([
    db().event.findMany({
      where,
      select: eventRowSelect,
      orderBy: [{ receivedAt: query.order }, { id: query.order }],
      skip: (query.page - 1) * query.per_page,
      take: query.per_page,
    }),
    db().event.count({ where }),
  ]);
  return { total, page: query.page, per_page: query.per_page, rows: records.map((e) => serializeEventRow(e, lookups)) };
}
