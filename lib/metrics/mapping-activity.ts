// Each mapping's last 7 days from the rollups: events per day (a sparkline), violation rate and
// when an event last arrived through it (all time, read off the newest bucket by index).
import type { Actor } from "@/lib/auth/actor";
import { database } from "@/lib/db";

const DAY = 86_400_000;
const DAYS = 7;

export interface MappingActivity {
  /** Events per UTC day, oldest first (7 values, today last). */
  daily: number[];
  total: number;
  /** Rejected among accepted + held + rejected over the 7 days; null when none. */
  violationRate: number | null;
  lastSeenAt: string | null;
}

export async function mappingActivity(
  actor: Actor,
  mappingIds: string[],
  now = new Date(),
): Promise<Map<string, MappingActivity>> {
  if (mappingIds.length === 0) return new Map();
  const today = Math.floor(now.getTime() / DAY) * DAY;
  const since = new Date(today - (DAYS - 1) * DAY);
  const [rows, last] = await Promise.all([
    database().raw.query<{ m: string; day: string; status: string; n: string }>(
      `SELECT "mappingId" AS "m", (extract(epoch FROM date_trunc('day', "bucket")) * 1000)::bigint::text AS "day", "status", sum("count")::text AS "n"
       FROM "EventRollup" WHERE "workspaceId" = $1 AND "mappingId" = ANY($2::text[]) AND "bucket" >= $3::timestamp
       GROUP BY 1, 2, 3`,
      [actor.workspaceId, mappingIds, since.toISOString()],
    ),
    database().raw.query<{ m: string; last: string | null }>(
      `SELECT m."id" AS "m", (SELECT (extract(epoch FROM max(r."lastSeenAt")) * 1000)::bigint::text FROM "EventRollup" r
         WHERE r."workspaceId" = $1 AND r."mappingId" = m."id"
           AND r."bucket" = (SELECT max(b."bucket") FROM "EventRollup" b WHERE b."workspaceId" = $1 AND b."mappingId" = m."id")) AS "last"
       FROM unnest($2::text[]) AS m("id")`,
      [actor.workspaceId, mappingIds],
    ),
  ]);
  const out = new Map<string, MappingActivity & { covered: number; rejected: number }>();
  for (const id of mappingIds)
    out.set(id, {
      daily: Array(DAYS).fill(0),
      total: 0,
      violationRate: null,
      lastSeenAt: null,
      covered: 0,
      rejected: 0,
    });
  for (const r of rows) {
    const entry = out.get(r.m);
    const i = Math.round((Number(r.day) - since.getTime()) / DAY);
    if (!entry || i < 0 || i >= DAYS) continue;
    const n = Number(r.n);
    entry.daily[i] = (entry.daily[i] ?? 0) + n;
    entry.total += n;
    if (["accepted", "held", "rejected"].includes(r.status)) entry.covered += n;
    if (r.status === "rejected") entry.rejected += n;
  }
  for (const l of last) {
    const entry = out.get(l.m);
    if (entry && l.last) entry.lastSeenAt = new Date(Number(l.last)).toISOString();
  }
  return new Map(
    [...out].map(([id, { covered, rejected, ...a }]) => [
      id,
      { ...a, violationRate: covered === 0 ? null : rejected / covered },
    ]),
  );
}
