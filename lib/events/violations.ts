// Schema violations per mapping: its rejected events counted over the last hour, day and week,
// with the most recent one as a sample (problems + payload).
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
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

const rejected = (workspaceId: string, mappingIds?: string[]): Prisma.EventWhereInput => ({
  workspaceId,
  status: "rejected",
  mappingId: mappingIds ? { in: mappingIds } : { not: null },
});

async function countByMapping(
  workspaceId: string,
  now: Date,
  mappingIds?: string[],
): Promise<Map<string, ViolationCounts>> {
  const windows = Object.entries(VIOLATION_WINDOWS) as [keyof ViolationCounts, number][];
  const groups = await Promise.all(
    windows.map(([, ms]) =>
      db().event.groupBy({
        by: ["mappingId"],
        where: { ...rejected(workspaceId, mappingIds), receivedAt: { gte: new Date(now.getTime() - ms) } },
        _count: { _all: true },
      }),
    ),
  );
  const counts = new Map<string, ViolationCounts>();
  windows.forEach(([name], i) => {
    for (const group of groups[i] ?? []) {
      if (!group.mappingId) continue;
      const entry = counts.get(group.mappingId) ?? { last_1h: 0, last_24h: 0, last_7d: 0 };
      entry[name] = group._count._all;
      counts.set(group.mappingId, entry);
    }
  });
  return counts;
}

async function latestSamples(workspaceId: string, mappingIds: string[]): Promise<Map<string, ViolationSample>> {
  if (mappingIds.length === 0) return new Map();
  const events = await db().event.findMany({
    where: rejected(workspaceId, mappingIds),
    distinct: ["mappingId"],
    orderBy: [{ mappingId: "asc" }, { receivedAt: "desc" }, { id: "desc" }],
    select: { id: true, eventId: true, mappingId: true, receivedAt: true, problems: true, payload: true },
  });
  return new Map(
    events.map((e) => [
      e.mappingId!,
      {
        id: e.id,
        event_id: e.eventId,
        received_at: e.receivedAt.toISOString(),
        problems: asProblemList(e.problems) ?? [],
        payload: e.payload,
      },
    ]),
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
