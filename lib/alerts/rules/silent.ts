// An approved mapping silent for N hours: events used to arrive through it, none have since.
// The last arrival is read off each mapping's newest rollup bucket (by index, never the events).
import type { RuleParams } from "@/lib/validations/alerts";
import { approvedMappings, mappingDetails } from "./mappings";
import { HOUR_MS, type RuleDefinition } from "./types";

export const mappingSilent: RuleDefinition<RuleParams<"mapping_silent">> = {
  label: "Mapping silent",
  description: "An approved mapping that has received events before has received none for `hours` hours.",
  async evaluate(ctx, p) {
    const mappings = await approvedMappings(ctx.workspaceId);
    if (mappings.length === 0) return [];
    const rows = await ctx.raw.query<{ m: string; last: string | null }>(
      `SELECT m."id" AS "m", (SELECT (extract(epoch FROM max(r."lastSeenAt")) * 1000)::bigint::text FROM "EventRollup" r
         WHERE r."workspaceId" = $1 AND r."mappingId" = m."id"
           AND r."bucket" = (SELECT max(b."bucket") FROM "EventRollup" b WHERE b."workspaceId" = $1 AND b."mappingId" = m."id")) AS "last"
       FROM unnest($2::text[]) AS m("id")`,
      [ctx.workspaceId, mappings.map((m) => m.id)],
    );
    const lastOf = new Map(rows.map((r) => [r.m, r.last === null ? null : Number(r.last)]));
    return mappings.flatMap((m) => {
      const last = lastOf.get(m.id);
      if (!last || ctx.now.getTime() - last < p.hours * HOUR_MS) return [];
      const silentHours = Math.floor((ctx.now.getTime() - last) / HOUR_MS);
      return [
        {
          subjectKey: m.id,
          title: `${m.sourceEvent} (${m.source}) silent for ${silentHours} h`,
          message: `No ${m.sourceEvent} event from ${m.source} since ${new Date(last).toISOString().replace("T", " ").slice(0, 16)} UTC (${silentHours} hours; the rule allows ${p.hours}).`,
          details: { ...mappingDetails(m), last_seen_at: new Date(last).toISOString() },
        },
      ];
    });
  },
};
