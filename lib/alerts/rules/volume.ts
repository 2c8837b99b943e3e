// Volume drop / spike: an approved mapping's last complete hour against its trailing baseline, the
// mean of the same hour in the weeks before (so a Monday 9:00 is compared with earlier Mondays 9:00).
// A baseline under min_volume is too quiet to judge: such mappings never flap.
import type { RuleParams } from "@/lib/validations/alerts";
import { approvedMappings, mappingDetails } from "./mappings";
import { EPOCH_MS_SQL, type EvalContext, type Finding, HOUR_MS, hourOf, type RuleDefinition } from "./types";

const WEEK_MS = 7 * 24 * HOUR_MS;

interface HourVolume {
  current: number;
  baseline: number;
  hour: Date;
}

/** Per mapping: events in the last complete hour, and the mean of the same hour over `weeks` earlier weeks. */
async function hourAgainstBaseline(ctx: EvalContext, weeks: number) {
  const hour = new Date(hourOf(ctx.now).getTime() - HOUR_MS);
  const hours = Array.from({ length: weeks + 1 }, (_, i) => new Date(hour.getTime() - i * WEEK_MS).toISOString());
  const rows = await ctx.raw.query<{ m: string; b: string; n: string }>(
    `SELECT "mappingId" AS "m", ${EPOCH_MS_SQL} AS "b", sum("count")::text AS "n" FROM "EventRollup"
     WHERE "workspaceId" = $1 AND "mappingId" <> '' AND "bucket" = ANY($2::timestamp[]) GROUP BY 1, 2`,
    [ctx.workspaceId, hours],
  );
  const out = new Map<string, HourVolume>();
  for (const r of rows) {
    const entry = out.get(r.m) ?? { current: 0, baseline: 0, hour };
    out.set(r.m, entry);
    if (Number(r.b) === hour.getTime()) entry.current += Number(r.n);
    else entry.baseline += Number(r.n) / weeks;
  }
  return { hour, volumes: out };
}

const hourLabel = (hour: Date) => `${hour.toISOString().slice(11, 16)} UTC`;

async function changes(
  ctx: EvalContext,
  weeks: number,
  minVolume: number,
  judge: (v: HourVolume) => string | null,
): Promise<Finding[]> {
  const [{ hour, volumes }, mappings] = await Promise.all([
    hourAgainstBaseline(ctx, weeks),
    approvedMappings(ctx.workspaceId),
  ]);
  const findings: Finding[] = [];
  for (const m of mappings) {
    const v = volumes.get(m.id) ?? { current: 0, baseline: 0, hour };
    if (v.baseline < minVolume) continue;
    const verdict = judge(v);
    if (!verdict) continue;
    findings.push({
      subjectKey: m.id,
      title: `${m.sourceEvent} (${m.source}) ${verdict}`,
      message: `${m.sourceEvent} from ${m.source}: ${v.current} events in the hour from ${hourLabel(hour)}, against ${Math.round(v.baseline)} on average at that hour over the last ${weeks} weeks.`,
      details: { ...mappingDetails(m), current: v.current, baseline: Math.round(v.baseline * 10) / 10 },
    });
  }
  return findings;
}

export const volumeDrop: RuleDefinition<RuleParams<"volume_drop">> = {
  label: "Volume drop",
  description:
    "An approved mapping's last complete hour falls drop_pct below the same hour's mean over earlier weeks (baselines under min_volume are ignored).",
  evaluate: (ctx, p) =>
    changes(ctx, p.weeks, p.min_volume, (v) => (v.current <= v.baseline * (1 - p.drop_pct / 100) ? "dropped" : null)),
};

export const volumeSpike: RuleDefinition<RuleParams<"volume_spike">> = {
  label: "Volume spike",
  description:
    "An approved mapping's last complete hour rises spike_pct above the same hour's mean over earlier weeks (baselines under min_volume are ignored).",
  evaluate: (ctx, p) =>
    changes(ctx, p.weeks, p.min_volume, (v) => (v.current >= v.baseline * (1 + p.spike_pct / 100) ? "spiked" : null)),
};
