// Unmapped source events: capture / track calls no mapping matched, grouped by (source, source
// event) with count, first and last seen and a sample — the candidates analysts promote. Counts
// come from the labels table the aggregator keeps (seconds behind the events).
import { type Actor, assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
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

/**
 * The most recent unmapped call of each group, in one statement: an index probe (source, label, time)
 * per group. One statement, not one per group: planning a query over every month partition and its
 * indexes costs more than running it (5 ms against 0.4 ms at 10M events), so 25 separate lookups made
 * the page 4 times slower than an empty workspace's.
 */
async function latestUnmapped(workspaceId: string, groups: { sourceId: string | null; sourceEvent: string }[]) {
  const latest = (sourceMatch: string) => `SELECT "id", "eventId", "receivedAt" FROM "Event"
      WHERE "workspaceId" = $1 AND ${sourceMatch} AND "sourceEvent" = g.sev AND "status" = 'unmapped'
        AND "kind" = ANY($4::text[])
      ORDER BY "receivedAt" DESC, "id" DESC LIMIT 1`;
  const rows = await database().raw.query<{ i: number; id: string; eventId: string; receivedAt: Date }>(
    `SELECT g.i::int AS "i", e."id", e."eventId", e."receivedAt" AT TIME ZONE 'UTC' AS "receivedAt"
     FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS g(src, sev, i)
     CROSS JOIN LATERAL (
       SELECT * FROM (${latest(`"sourceId" = g.src`)}) bySource
       UNION ALL
       SELECT * FROM (${latest(`g.src IS NULL AND "sourceId" IS NULL`)}) noSource
     ) e`,
    [workspaceId, groups.map((g) => g.sourceId), groups.map((g) => g.sourceEvent), PROMOTABLE_KINDS],
  );
  const byGroup = new Map(rows.map((r) => [r.i - 1, { id: r.id, eventId: r.eventId, receivedAt: r.receivedAt }]));
  return groups.map((_, i) => byGroup.get(i) ?? null);
}

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
        latestUnmapped(actor.workspaceId, groups),
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
