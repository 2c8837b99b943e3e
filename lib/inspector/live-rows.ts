// The inspector's row: a stored event as the live list shows it, its business ids included so
// the list can be searched by order_id / lead_id, and the filter every row is matched against.
import { db } from "@/lib/db";
import { text } from "@/lib/delivery/normalize";
import { type EventLookups, eventRowSelect, serializeEventRow } from "@/lib/events/serialize";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { InspectorFilter } from "@/lib/validations/inspector";

export const liveRowSelect = { ...eventRowSelect, properties: true } satisfies Prisma.EventSelect;
type LiveRecord = Prisma.EventGetPayload<{ select: typeof liveRowSelect }>;

export function toLiveRow(e: LiveRecord, lookups: EventLookups) {
  const props = (e.properties ?? {}) as Record<string, unknown>;
  return {
    ...serializeEventRow(e, lookups),
    order_id: text(props.order_id) ?? null,
    lead_id: text(props.lead_id) ?? null,
  };
}
export type LiveRow = ReturnType<typeof toLiveRow>;

export function matches(row: LiveRow, filter: InspectorFilter): boolean {
  if (filter.source && row.source !== filter.source) return false;
  if (filter.canonical_event && row.canonical_event !== filter.canonical_event) return false;
  if (filter.status && row.status !== filter.status) return false;
  if (filter.q) {
    const ids = [row.event_id, row.user_id, row.anonymous_id, row.resolved_user_id, row.order_id, row.lead_id];
    if (!ids.includes(filter.q)) return false;
  }
  return true;
}

/** The most recent events matching the filter, oldest first: what the inspector shows on connect. */
export async function recentLiveRows(
  workspaceId: string,
  filter: InspectorFilter,
  lookups: EventLookups,
  take = 50,
): Promise<LiveRow[]> {
  const idOf = (map: Map<string, string>, name: string | undefined) => [...map].find(([, n]) => n === name)?.[0];
  const sourceId = filter.source ? idOf(lookups.sources, filter.source) : undefined;
  const canonicalEventId = filter.canonical_event ? idOf(lookups.canonicalEvents, filter.canonical_event) : undefined;
  if ((filter.source && !sourceId) || (filter.canonical_event && !canonicalEventId)) return [];
  const q = filter.q;
  const where: Prisma.EventWhereInput = {
    workspaceId,
    ...(sourceId ? { sourceId } : {}),
    ...(canonicalEventId ? { canonicalEventId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(q
      ? {
          OR: [
            { eventId: q },
            { userId: q },
            { anonymousId: q },
            { resolvedUserId: q },
            { properties: { path: ["order_id"], equals: q } },
            { properties: { path: ["lead_id"], equals: q } },
          ],
        }
      : {}),
  };
  const rows = await db().event.findMany({
    where,
    select: liveRowSelect,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take,
  });
  return rows.reverse().map((r) => toLiveRow(r, lookups));
}
