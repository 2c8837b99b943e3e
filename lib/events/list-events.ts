// The events explorer: stored events of the workspace, filtered, searched, newest or oldest first,
// paged by keyset on (receivedAt, id) — O(page) at any depth. The total is an estimate from the
// labels / rollups, never a count over the events.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { type KeysetPage, keysetOrderBy, keysetPage, keysetWhere } from "@/lib/db/keyset";
import { labelsContaining, labelTotal, rollupTotal } from "@/lib/events/labels";
import { type EventRowJson, eventRowSelect, loadEventLookups, serializeEventRow } from "@/lib/events/serialize";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { EventListQuery } from "@/lib/validations/events";

export interface EventList extends KeysetPage<EventRowJson> {
  per_page: number;
  /** Offset paging (deprecated: prefer the cursors); 1 when a cursor is used. */
  page: number;
  /** About how many events match, from the rollups (lags by seconds); null for a search. */
  total_estimate: number | null;
}

function keyOf(map: Map<string, string>, value: string): string | undefined {
  for (const [id, name] of map) if (name === value) return id;
  return undefined;
}

/**
 * Exact identifiers through their indexes (row id, event_id, user, anonymous id), or a part of a
 * source event name: the matching labels come from the labels table, then their events by index.
 */
async function searchFilter(workspaceId: string, q: string): Promise<Prisma.EventWhereInput> {
  const labels = await labelsContaining(workspaceId, q);
  return {
    OR: [
      { id: q },
      { eventId: q },
      { resolvedUserId: q },
      { anonymousId: q },
      ...labels.map((l) => ({ sourceId: l.sourceId, sourceEvent: l.sourceEvent })),
    ],
  };
}

async function estimate(actor: Actor, query: EventListQuery, ids: Record<string, string | undefined>) {
  if (query.q) return null;
  const filter = {
    status: query.status,
    sourceId: ids.sourceId,
    canonicalEventId: ids.canonicalEventId,
    mappingId: query.mapping,
  };
  if (!query.from && !query.to)
    return labelTotal(actor.workspaceId, { ...filter, kinds: query.kind ? [query.kind] : undefined });
  return query.kind ? null : rollupTotal(actor.workspaceId, filter, query.from, query.to);
}

export async function listEvents(actor: Actor, query: EventListQuery): Promise<EventList> {
  assertCan(actor, "workspace.read");
  const lookups = await loadEventLookups(actor.workspaceId);
  const page = query.cursor ? 1 : query.page;
  const empty = { rows: [], next_cursor: null, prev_cursor: null, total_estimate: 0, page, per_page: query.per_page };
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
  };
  const [records, total] = await Promise.all([
    (async () =>
      db().event.findMany({
        where: {
          AND: [
            where,
            query.q ? await searchFilter(actor.workspaceId, query.q) : {},
            keysetWhere("receivedAt", query.order, query.cursor),
          ],
        },
        select: eventRowSelect,
        orderBy: keysetOrderBy("receivedAt", query.order, query.cursor),
        ...(page > 1 ? { skip: (page - 1) * query.per_page } : {}),
        take: query.per_page + 1,
      }))(),
    estimate(actor, query, { sourceId, canonicalEventId }),
  ]);
  const offset = (page - 1) * query.per_page;
  const result = keysetPage(records, query.per_page, query.cursor, (e) => ({ at: e.receivedAt, id: e.id }), offset);
  return {
    ...result,
    rows: result.rows.map((e) => serializeEventRow(e, lookups)),
    page,
    per_page: query.per_page,
    total_estimate: total,
  };
}
