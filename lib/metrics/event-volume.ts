// Event volume from the rollups (never a scan of Event): per chart point and status, per canonical
// event (EventStatusRollup: no label dimension, so thousands of unmapped labels cost nothing here),
// and the unmapped labels first seen this week (promotion candidates, from EventLabel).
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { type PeriodWindow, pointSql } from "@/lib/metrics/period";
import { EVENT_STATUSES } from "@/lib/validations/events";

export type EventStatusName = (typeof EVENT_STATUSES)[number];
export type StatusCounts = Record<EventStatusName, number>;

export interface VolumePoint extends StatusCounts {
  /** Start of the point, epoch ms. */
  t: number;
  /** Rejected among the events a mapping covered (accepted + held + rejected), 0..1; null when none. */
  violationRate: number | null;
}

export interface CanonicalEventVolume extends StatusCounts {
  id: string;
  name: string;
  total: number;
  violationRate: number | null;
}

export interface NewLabel {
  source: string | null;
  sourceEvent: string;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

const zeros = (): StatusCounts => Object.fromEntries(EVENT_STATUSES.map((s) => [s, 0])) as StatusCounts;

/** rejected / (accepted + held + rejected): how often events a mapping covers break its schema. */
export function violationRate(c: StatusCounts): number | null {
  const covered = c.accepted + c.held + c.rejected;
  return covered === 0 ? null : c.rejected / covered;
}

const isStatus = (s: string): s is EventStatusName => (EVENT_STATUSES as readonly string[]).includes(s);

/** Volume per point and status over the window, of one canonical event or of all events. */
export async function volumeSeries(
  actor: Actor,
  window: PeriodWindow,
  canonicalEventId?: string,
): Promise<{ points: VolumePoint[]; totals: StatusCounts }> {
  const rows = await database().raw.query<{ t: string; status: string; n: string }>(
    `SELECT ${pointSql(window.stepHours)} AS "t", "status", sum("count")::text AS "n" FROM "EventStatusRollup"
     WHERE "workspaceId" = $1 AND "bucket" >= $2::timestamp AND ($3::text IS NULL OR "canonicalEventId" = $3)
     GROUP BY 1, 2`,
    [actor.workspaceId, window.since.toISOString(), canonicalEventId ?? null],
  );
  const byPoint = new Map(window.points.map((p) => [p.getTime(), zeros()]));
  const totals = zeros();
  for (const r of rows) {
    const counts = byPoint.get(Number(r.t));
    if (!counts || !isStatus(r.status)) continue;
    counts[r.status] += Number(r.n);
    totals[r.status] += Number(r.n);
  }
  const points = [...byPoint.entries()].map(([t, c]) => ({ t, ...c, violationRate: violationRate(c) }));
  return { points, totals };
}

/** Each canonical event's counts over the window, busiest first. */
export async function volumeByCanonicalEvent(actor: Actor, window: PeriodWindow): Promise<CanonicalEventVolume[]> {
  const [rows, events] = await Promise.all([
    database().raw.query<{ ce: string; status: string; n: string }>(
      `SELECT "canonicalEventId" AS "ce", "status", sum("count")::text AS "n" FROM "EventStatusRollup"
       WHERE "workspaceId" = $1 AND "bucket" >= $2::timestamp AND "canonicalEventId" <> '' GROUP BY 1, 2`,
      [actor.workspaceId, window.since.toISOString()],
    ),
    db().canonicalEvent.findMany({ where: { workspaceId: actor.workspaceId }, select: { id: true, name: true } }),
  ]);
  const byId = new Map(events.map((e) => [e.id, { id: e.id, name: e.name, counts: zeros() }]));
  for (const r of rows) {
    const entry = byId.get(r.ce);
    if (entry && isStatus(r.status)) entry.counts[r.status] += Number(r.n);
  }
  return [...byId.values()]
    .map(({ id, name, counts }) => ({
      id,
      name,
      ...counts,
      total: EVENT_STATUSES.reduce((sum, s) => sum + counts[s], 0),
      violationRate: violationRate(counts),
    }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
}

/** Unmapped labels first seen since `since` (under any status), with their volume since then: the busiest `limit`. */
export async function newUnmappedLabels(actor: Actor, since: Date, limit = 10): Promise<NewLabel[]> {
  const rows = await database().raw.query<{ src: string; sev: string; n: string; first: string; last: string }>(
    `SELECT g."sourceId" AS "src", g."sourceEvent" AS "sev", sum(g."count")::text AS "n",
       (extract(epoch FROM min(g."firstSeenAt")) * 1000)::bigint::text AS "first",
       (extract(epoch FROM max(g."lastSeenAt")) * 1000)::bigint::text AS "last"
     FROM "EventLabel" g
     WHERE g."workspaceId" = $1 AND g."status" = 'unmapped' AND g."lastSeenAt" >= $2::timestamp AND g."firstSeenAt" >= $2::timestamp
       AND NOT EXISTS (SELECT 1 FROM "EventLabel" o WHERE o."workspaceId" = $1 AND o."sourceId" = g."sourceId"
         AND o."sourceEvent" = g."sourceEvent" AND o."firstSeenAt" < $2::timestamp)
     GROUP BY 1, 2 ORDER BY sum(g."count") DESC, 2 LIMIT $3`,
    [actor.workspaceId, since.toISOString(), limit],
  );
  const sources = await db().source.findMany({
    where: { workspaceId: actor.workspaceId, id: { in: [...new Set(rows.map((r) => r.src).filter(Boolean))] } },
    select: { id: true, key: true },
  });
  const keyOf = new Map(sources.map((s) => [s.id, s.key]));
  return rows.map((r) => ({
    source: keyOf.get(r.src) ?? null,
    sourceEvent: r.sev,
    count: Number(r.n),
    firstSeenAt: new Date(Number(r.first)),
    lastSeenAt: new Date(Number(r.last)),
  }));
}
