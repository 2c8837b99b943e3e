// Schema violations per mapping: its rejected events counted over the last hour, day and week
// (from the hourly rollups, never the events), with the most recent one as a sample.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { loadPayloads, payloadIn } from "@/lib/events/payloads";
import { asProblemList, type Problem } from "@/lib/events/serialize";
import type { Prisma } from "@/lib/generated/prisma/client";

const HOUR = 60 * 60 * 1000;
export const VIOLATION_WINDOWS = { last_1h: HOUR, last_24h: 24 * HOUR, last_7d: 7 * 24 * HOUR } as const;

export type ViolationCounts = Record<keyof typeof VIOLATION_WINDOWS, number>;

export interface ViolationSample {
  id: string;
  event_id: string;
  received_at: string;
  problems: Problem[];
  payload: Prisma.JsonValue;
}

export interface MappingViolations {
  counts: ViolationCounts;
  latest: ViolationSample | null;
}

const WINDOW_NAMES = Object.keys(VIOLATION_WINDOWS) as (keyof ViolationCounts)[];

/**
 * Rejected events per mapping over each window, from the hourly rollups: a window counts the whole
 * hour it starts in (so "last hour" is this hour and the one before it at most).
 */
async function countByMapping(
  workspaceId: string,
  now: Date,
  mappingIds?: string[],
): Promise<Map<string, ViolationCounts>> {
  const starts = WINDOW_NAMES.map((name) => new Date(now.getTime() - VIOLATION_WINDOWS[name]).toISOString());
  const params: unknown[] = [workspaceId, ...starts];
  const sums = WINDOW_NAMES.map(
    (name, i) =>
      `coalesce(sum(r."count") FILTER (WHERE r."bucket" >= date_trunc('hour', $${i + 2}::timestamp)), 0)::text AS "${name}"`,
  );
  if (mappingIds) params.push(mappingIds);
  const rows = await database().raw.query<Record<keyof ViolationCounts, string> & { mappingId: string }>(
    `SELECT r."mappingId", ${sums.join(", ")} FROM "EventRollup" r
     WHERE r."workspaceId" = $1 AND r."status" = 'rejected' AND r."mappingId" <> ''
       AND r."bucket" >= date_trunc('hour', $${WINDOW_NAMES.length + 1}::timestamp)
       ${mappingIds ? `AND r."mappingId" = ANY($${params.length}::text[])` : ""}
     GROUP BY 1`,
    params,
  );
  return new Map(
    rows.map((r) => [
      r.mappingId,
      { last_1h: Number(r.last_1h), last_24h: Number(r.last_24h), last_7d: Number(r.last_7d) },
    ]),
  );
}

/** Each mapping's most recent rejected event: one index probe (mapping, status, time) per mapping. */
async function latestSamples(workspaceId: string, mappingIds: string[]): Promise<Map<string, ViolationSample>> {
  const events = await Promise.all(
    mappingIds.map((mappingId) =>
      db().event.findFirst({
        where: { workspaceId, mappingId, status: "rejected" },
        orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
        select: { id: true, eventId: true, mappingId: true, receivedAt: true, problems: true },
      }),
    ),
  );
  const payloads = await loadPayloads(
    workspaceId,
    events.flatMap((e) => (e ? [e] : [])),
  );
  return new Map(
    events.flatMap((e) =>
      e
        ? [
            [
              e.mappingId!,
              {
                id: e.id,
                event_id: e.eventId,
                received_at: e.receivedAt.toISOString(),
                problems: asProblemList(e.problems) ?? [],
                payload: payloadIn(payloads, e.id),
              },
            ] as const,
          ]
        : [],
    ),
  );
}

/** Every mapping with rejected events in the last 7 days, the most violated first. */
export async function listViolations(actor: Actor, now = new Date()) {
  assertCan(actor, "workspace.read");
  const counts = await countByMapping(actor.workspaceId, now);
  const ids = [...counts.keys()];
  const [mappings, samples] = await Promise.all([
    db().mapping.findMany({
      where: { workspaceId: actor.workspaceId, id: { in: ids } },
      select: {
        id: true,
        sourceEvent: true,
        status: true,
        source: { select: { key: true } },
        headRevision: { select: { canonicalEvent: { select: { name: true } } } },
        liveRevision: { select: { canonicalEvent: { select: { name: true } } } },
      },
    }),
    latestSamples(actor.workspaceId, ids),
  ]);
  const rows = mappings.map((m) => ({
    mapping_id: m.id,
    source: m.source.key,
    source_event: m.sourceEvent,
    canonical_event: (m.liveRevision ?? m.headRevision)?.canonicalEvent.name ?? null,
    mapping_status: m.status,
    counts: counts.get(m.id)!,
    latest: samples.get(m.id) ?? null,
  }));
  rows.sort(
    (a, b) =>
      b.counts.last_24h - a.counts.last_24h ||
      b.counts.last_7d - a.counts.last_7d ||
      (b.latest?.received_at ?? "").localeCompare(a.latest?.received_at ?? ""),
  );
  return { rows, total: rows.length };
}

export type ViolationRow = Awaited<ReturnType<typeof listViolations>>["rows"][number];

/** One mapping's violation counts and latest rejected event (at any age). */
export async function getMappingViolations(
  actor: Actor,
  mappingId: string,
  now = new Date(),
): Promise<MappingViolations> {
  assertCan(actor, "workspace.read");
  const [counts, samples] = await Promise.all([
    countByMapping(actor.workspaceId, now, [mappingId]),
    latestSamples(actor.workspaceId, [mappingId]),
  ]);
  return {
    counts: counts.get(mappingId) ?? { last_1h: 0, last_24h: 0, last_7d: 0 },
    latest: samples.get(mappingId) ?? null,
  };
}
