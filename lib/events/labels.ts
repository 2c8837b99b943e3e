// Reads of the labels table (EventLabel: one row per distinct source event label × kind × status ×
// mapping, counted by the aggregator with the rollups): list totals ("about 1.2M"), the unmapped
// groups and substring search of label names — each over the distinct labels, never the events.
// Figures lag the events by the aggregator's step (seconds); the lists say "about".
import { database } from "@/lib/db";

export interface LabelFilter {
  status?: string;
  kinds?: readonly string[];
  sourceId?: string;
  mappingId?: string;
  canonicalEventId?: string;
}

/** WHERE conditions over EventLabel (alias l) for a filter, with their parameters after $1 = workspace. */
function conditions(filter: LabelFilter, params: unknown[]): string {
  const parts = [`l."workspaceId" = $1`];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(params.length));
  };
  if (filter.status) add((n) => `l."status" = $${n}`, filter.status);
  if (filter.kinds) add((n) => `l."kind" = ANY($${n}::text[])`, filter.kinds);
  if (filter.sourceId) add((n) => `l."sourceId" = $${n}`, filter.sourceId);
  if (filter.mappingId) add((n) => `l."mappingId" = $${n}`, filter.mappingId);
  if (filter.canonicalEventId) add((n) => `l."canonicalEventId" = $${n}`, filter.canonicalEventId);
  return parts.join(" AND ");
}

/** How many events match the filter, as counted so far (no time range: the labels have none). */
export async function labelTotal(workspaceId: string, filter: LabelFilter): Promise<number> {
  const params: unknown[] = [workspaceId];
  const [row] = await database().raw.query<{ n: string | null }>(
    `SELECT sum(l."count")::text AS "n" FROM "EventLabel" l WHERE ${conditions(filter, params)}`,
    params,
  );
  return Number(row?.n ?? 0);
}

/** Events of a time range matching the filter, from the hourly rollups (whole hours: an estimate). */
export async function rollupTotal(
  workspaceId: string,
  filter: Omit<LabelFilter, "kinds">,
  from: Date | undefined,
  to: Date | undefined,
): Promise<number> {
  const params: unknown[] = [workspaceId];
  let where = conditions(filter, params);
  if (from) {
    params.push(from.toISOString());
    where += ` AND l."bucket" >= date_trunc('hour', $${params.length}::timestamp)`;
  }
  if (to) {
    params.push(to.toISOString());
    where += ` AND l."bucket" <= $${params.length}::timestamp`;
  }
  const [row] = await database().raw.query<{ n: string | null }>(
    `SELECT sum(l."count")::text AS "n" FROM "EventRollup" l WHERE ${where}`,
    params,
  );
  return Number(row?.n ?? 0);
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The distinct (source, label) pairs whose name contains `q` (case-insensitive), the most recent first. */
export async function labelsContaining(
  workspaceId: string,
  q: string,
  limit = 100,
): Promise<{ sourceId: string | null; sourceEvent: string }[]> {
  const rows = await database().raw.query<{ src: string; sev: string }>(
    `SELECT l."sourceId" AS "src", l."sourceEvent" AS "sev" FROM "EventLabel" l
     WHERE l."workspaceId" = $1 AND l."sourceEvent" ILIKE $2
     GROUP BY 1, 2 ORDER BY max(l."lastSeenAt") DESC LIMIT $3`,
    [workspaceId, likePattern(q), limit],
  );
  return rows.map((r) => ({ sourceId: r.src || null, sourceEvent: r.sev }));
}

export interface LabelGroup {
  sourceId: string | null;
  sourceEvent: string;
  count: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/**
 * One page of labels with a status grouped by (source, label), the most recently seen first, and
 * how many groups there are in all.
 */
export async function labelGroups(
  workspaceId: string,
  filter: LabelFilter & { q?: string },
  page: { offset: number; limit: number },
): Promise<{ groups: LabelGroup[]; total: number }> {
  const params: unknown[] = [workspaceId];
  let where = conditions(filter, params);
  if (filter.q) {
    params.push(likePattern(filter.q));
    where += ` AND l."sourceEvent" ILIKE $${params.length}`;
  }
  const grouped = `SELECT l."sourceId" AS "src", l."sourceEvent" AS "sev", sum(l."count") AS "n",
      min(l."firstSeenAt") AS "first", max(l."lastSeenAt") AS "last"
    FROM "EventLabel" l WHERE ${where} GROUP BY 1, 2`;
  params.push(page.limit, page.offset);
  const rows = await database().raw.query<{
    src: string;
    sev: string;
    n: string;
    first: string;
    last: string;
    total: string;
  }>(
    `SELECT g."src", g."sev", g."n"::text AS "n",
       (extract(epoch FROM g."first") * 1000)::bigint::text AS "first",
       (extract(epoch FROM g."last") * 1000)::bigint::text AS "last",
       count(*) OVER ()::text AS "total"
     FROM (${grouped}) g ORDER BY g."last" DESC, g."sev", g."src" LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  );
  let total = Number(rows[0]?.total ?? 0);
  if (!rows.length && page.offset > 0) {
    const [row] = await database().raw.query<{ n: string }>(
      `SELECT count(*)::text AS "n" FROM (${grouped}) g`,
      params.slice(0, -2),
    );
    total = Number(row?.n ?? 0);
  }
  return {
    total,
    groups: rows.map((r) => ({
      sourceId: r.src || null,
      sourceEvent: r.sev,
      count: Number(r.n),
      firstSeenAt: new Date(Number(r.first)),
      lastSeenAt: new Date(Number(r.last)),
    })),
  };
}
