// Data quality: the violation rate of an approved mapping over the last hours, and a source's
// acceptance rate falling against its previous week.

import { db } from "@/lib/db";
import type { RuleParams } from "@/lib/validations/alerts";
import { approvedMappings, mappingDetails } from "./mappings";
import { type EvalContext, HOUR_MS, hourOf, pctText, type RuleDefinition } from "./types";

/** The first hourly bucket of a window of `hours` that ends with the current hour. */
export const windowStart = (ctx: EvalContext, hours: number) =>
  new Date(hourOf(ctx.now).getTime() - (hours - 1) * HOUR_MS);

export const violationRate: RuleDefinition<RuleParams<"violation_rate">> = {
  label: "Violation rate",
  description:
    "Among an approved mapping's events over window_hours, more than max_pct break its schema (with at least min_volume events).",
  async evaluate(ctx, p) {
    const [rows, mappings] = await Promise.all([
      ctx.raw.query<{ m: string; rejected: string; covered: string }>(
        `SELECT "mappingId" AS "m", sum("count") FILTER (WHERE "status" = 'rejected')::text AS "rejected",
           sum("count") FILTER (WHERE "status" IN ('accepted', 'held', 'rejected'))::text AS "covered"
         FROM "EventRollup" WHERE "workspaceId" = $1 AND "mappingId" <> '' AND "bucket" >= $2::timestamp GROUP BY 1`,
        [ctx.workspaceId, windowStart(ctx, p.window_hours).toISOString()],
      ),
      approvedMappings(ctx.workspaceId),
    ]);
    const byId = new Map(
      rows.map((r) => [r.m, { rejected: Number(r.rejected ?? 0), covered: Number(r.covered ?? 0) }]),
    );
    return mappings.flatMap((m) => {
      const c = byId.get(m.id);
      if (!c || c.covered < p.min_volume || c.rejected / c.covered <= p.max_pct / 100) return [];
      const rate = c.rejected / c.covered;
      return [
        {
          subjectKey: m.id,
          title: `${m.sourceEvent} (${m.source}): ${pctText(rate)} violations`,
          message: `${c.rejected} of ${c.covered} ${m.sourceEvent} events from ${m.source} broke the schema in the last ${p.window_hours} h (${pctText(rate)}; the rule allows ${p.max_pct} %).`,
          details: { ...mappingDetails(m), rejected: c.rejected, covered: c.covered, link: "/violations" },
        },
      ];
    });
  },
};

type Counts = { accepted: number; total: number };
const rateOf = (c: Counts) => c.accepted / c.total;

export const acceptanceDrop: RuleDefinition<RuleParams<"acceptance_drop">> = {
  label: "Acceptance rate drop",
  description:
    "A source's share of accepted events over window_hours falls drop_points percentage points below its previous 7 days.",
  async evaluate(ctx, p) {
    const recentFrom = windowStart(ctx, p.window_hours);
    const baselineFrom = new Date(recentFrom.getTime() - 7 * 24 * HOUR_MS);
    const rows = await ctx.raw.query<{ src: string; recent: string; accepted: string; status: string; n: string }>(
      `SELECT "sourceId" AS "src", ("bucket" >= $3::timestamp)::text AS "recent", "status", sum("count")::text AS "n"
       FROM "EventRollup" WHERE "workspaceId" = $1 AND "bucket" >= $2::timestamp
         AND "status" IN ('accepted', 'held', 'unmapped', 'rejected') GROUP BY 1, 2, 3`,
      [ctx.workspaceId, baselineFrom.toISOString(), recentFrom.toISOString()],
    );
    const per = new Map<string, { recent: Counts; baseline: Counts }>();
    for (const r of rows) {
      const entry = per.get(r.src) ?? { recent: { accepted: 0, total: 0 }, baseline: { accepted: 0, total: 0 } };
      per.set(r.src, entry);
      const side = r.recent === "true" ? entry.recent : entry.baseline;
      side.total += Number(r.n);
      if (r.status === "accepted") side.accepted += Number(r.n);
    }
    const judged = [...per].filter(
      ([, c]) =>
        c.recent.total >= p.min_volume &&
        c.baseline.total >= p.min_volume &&
        rateOf(c.baseline) - rateOf(c.recent) >= p.drop_points / 100,
    );
    if (judged.length === 0) return [];
    const sources = await db().source.findMany({
      where: { workspaceId: ctx.workspaceId, id: { in: judged.map(([id]) => id) } },
      select: { id: true, key: true },
    });
    const keyOf = new Map(sources.map((s) => [s.id, s.key]));
    return judged.map(([id, c]) => {
      const source = keyOf.get(id) ?? "(no source)";
      return {
        subjectKey: id || "-",
        title: `${source}: acceptance fell to ${pctText(rateOf(c.recent))}`,
        message: `${pctText(rateOf(c.recent))} of ${source}'s events were accepted in the last ${p.window_hours} h, against ${pctText(rateOf(c.baseline))} over the 7 days before (${c.recent.total} events).`,
        details: { source, recent_rate: rateOf(c.recent), baseline_rate: rateOf(c.baseline), link: "/events" },
      };
    });
  },
};
