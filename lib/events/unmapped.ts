// Unmapped source events: capture / track calls no mapping matched, grouped by (source, source
// event) with count, first and last seen and a sample — the candidates analysts promote. Counts
// come from the labels table the aggregator keeps (seconds behind the events).
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { labelGroups } from "@/lib/events/labels";
import { loadPayloads, payloadIn } from "@/lib/events/payloads";
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

/** The most recent unmapped call of one group: one index probe (source, label, time) per group. */
const latestUnmapped = (workspaceId: string, sourceId: string | null, sourceEvent: string) =>
  db().event.findFirst({
    where: { workspaceId, sourceId, sourceEvent, status: "unmapped", kind: { in: PROMOTABLE_KINDS } },
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    select: { id: true, eventId: true, receivedAt: true },
  });

/** Groups from the labels table (counted by the aggregator): O(distinct labels), never the events. */
export async function listUnmapped(actor: Actor, query: UnmappedQuery) {
  assertCan(actor, "workspace.read");
  const { sources } = await loadEventLookups(actor.workspaceId);
  const sourceId = query.source ? [...sources].find(([, key]) => key === query.source)?.[0] : undefined;
  if (query.source && !sourceId)
    return { rows: [] as UnmappedGroup[], total: 0, page: query.page, per_page: query.per_page };
  const { groups, total } = await labelGroups(
    actor.workspaceId,
    { status: "unmapped", kinds: PROMOTABLE_KINDS, sourceId, q: query.q },
    { offset: (query.page - 1) * query.per_page, limit: query.per_page },
  );
  const [samples, mappings] = groups.length
    ? await Promise.all([
        Promise.all(groups.map((g) => latestUnmapped(actor.workspaceId, g.sourceId, g.sourceEvent))),
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
  const payloads = await loadPayloads(
    actor.workspaceId,
    samples.flatMap((s) => (s ? [s] : [])),
  );
  const mappingOf = new Map(mappings.map((m) => [groupId(m.sourceId, m.liveKey ?? ""), m]));
  const rows = groups.map((g, i): UnmappedGroup => {
    const id = groupId(g.sourceId, g.sourceEvent);
    const sample = samples[i];
    const mapping = mappingOf.get(id);
    return {
      id,
      source: g.sourceId ? (sources.get(g.sourceId) ?? null) : null,
      source_event: g.sourceEvent,
      count: g.count,
      first_seen: g.firstSeenAt.toISOString(),
      last_seen: g.lastSeenAt.toISOString(),
      sample: sample ? { id: sample.id, event_id: sample.eventId, payload: payloadIn(payloads, sample.id) } : null,
      live_mapping: mapping ? { id: mapping.id, status: mapping.status } : null,
    };
  });
  return { rows, total, page: query.page, per_page: query.per_page };
}
