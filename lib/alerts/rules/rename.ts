// Suspected rename: a new unmapped label from a source rises while an approved mapping of the
// same source falls (a Heap virtual event renamed or redefined). The pair is judged from the
// moment the new label first appeared (`split`): the mapping's rate over the window before it
// against its rate since. The hour holding the split counts as "before" only when the mapping's
// last event in that hour came before the split (it fell silent as the new label began).
// It resolves once the new label is mapped (promoted), stops being new, or the mapping recovers.
import type { RuleParams } from "@/lib/validations/alerts";
import { approvedMappings, mappingDetails, type WatchedMapping } from "./mappings";
import { EPOCH_MS_SQL, type EvalContext, type Finding, HOUR_MS, hourOf, type RuleDefinition } from "./types";

interface NewLabel {
  sourceId: string;
  label: string;
  count: number;
  firstSeen: number;
}

/** Unmapped labels first seen within the lookback (no older rollup row), still without any mapping. */
async function newUnmappedLabels(ctx: EvalContext, since: Date, minVolume: number): Promise<NewLabel[]> {
  const rows = await ctx.raw.query<{ src: string; sev: string; n: string; first: string }>(
    `SELECT g."sourceId" AS "src", g."sourceEvent" AS "sev", sum(g."count")::text AS "n",
       (extract(epoch FROM min(g."firstSeenAt")) * 1000)::bigint::text AS "first"
     FROM "EventRollup" g
     WHERE g."workspaceId" = $1 AND g."status" = 'unmapped' AND g."bucket" >= $2::timestamp AND g."sourceId" <> ''
       AND NOT EXISTS (SELECT 1 FROM "EventRollup" o WHERE o."workspaceId" = $1 AND o."sourceEvent" = g."sourceEvent"
         AND o."sourceId" = g."sourceId" AND o."bucket" < $2::timestamp)
       AND NOT EXISTS (SELECT 1 FROM "Mapping" m WHERE m."workspaceId" = $1 AND m."sourceId" = g."sourceId"
         AND m."sourceEvent" = g."sourceEvent")
     GROUP BY 1, 2 HAVING sum(g."count") >= $3`,
    [ctx.workspaceId, since.toISOString(), minVolume],
  );
  return rows.map((r) => ({ sourceId: r.src, label: r.sev, count: Number(r.n), firstSeen: Number(r.first) }));
}

type Bucket = { t: number; n: number; last: number };

/** Each candidate mapping's hourly buckets since `from`. */
async function mappingBuckets(ctx: EvalContext, ids: string[], from: Date) {
  const rows = await ctx.raw.query<{ m: string; t: string; n: string; last: string }>(
    `SELECT "mappingId" AS "m", ${EPOCH_MS_SQL} AS "t", sum("count")::text AS "n",
       (extract(epoch FROM max("lastSeenAt")) * 1000)::bigint::text AS "last"
     FROM "EventRollup" WHERE "workspaceId" = $1 AND "mappingId" = ANY($2::text[]) AND "bucket" >= $3::timestamp GROUP BY 1, 2`,
    [ctx.workspaceId, ids, from.toISOString()],
  );
  const out = new Map<string, Bucket[]>();
  for (const r of rows)
    out.set(r.m, [...(out.get(r.m) ?? []), { t: Number(r.t), n: Number(r.n), last: Number(r.last) }]);
  return out;
}

/** The mapping's events per hour before the split (over the window) and since it, or null when too quiet. */
function ratesAround(buckets: Bucket[], split: number, now: number, windowHours: number, minVolume: number) {
  const splitHour = hourOf(split).getTime();
  const from = splitHour - windowHours * HOUR_MS;
  let before = 0;
  let after = 0;
  let afterFrom = split;
  for (const b of buckets) {
    if (b.t < from) continue;
    if (b.t < splitHour) before += b.n;
    else if (b.t === splitHour && b.last <= split) before += b.n;
    else {
      after += b.n;
      if (b.t === splitHour) afterFrom = splitHour;
    }
  }
  if (before < minVolume) return null;
  const beforeHours = windowHours + (split - splitHour) / HOUR_MS;
  const afterHours = Math.max((now - afterFrom) / HOUR_MS, 1 / 60);
  return { before, after, beforeRate: before / beforeHours, afterRate: after / afterHours };
}

export const suspectedRename: RuleDefinition<RuleParams<"suspected_rename">> = {
  label: "Suspected rename",
  description:
    "A new unmapped label of a source (min_volume events, first seen within lookback_hours) rises while an approved mapping of the same source falls drop_pct against its window_hours before.",
  async evaluate(ctx, p) {
    const labels = await newUnmappedLabels(ctx, new Date(ctx.now.getTime() - p.lookback_hours * HOUR_MS), p.min_volume);
    if (labels.length === 0) return [];
    const sources = new Set(labels.map((l) => l.sourceId));
    const mappings = (await approvedMappings(ctx.workspaceId)).filter((m) => sources.has(m.sourceId));
    if (mappings.length === 0) return [];
    const earliest = Math.min(...labels.map((l) => l.firstSeen));
    const buckets = await mappingBuckets(
      ctx,
      mappings.map((m) => m.id),
      new Date(hourOf(earliest).getTime() - p.window_hours * HOUR_MS),
    );
    // Per mapping, the new label whose first event came closest after the mapping's last one.
    const best = new Map<
      string,
      { m: WatchedMapping; l: NewLabel; r: NonNullable<ReturnType<typeof ratesAround>>; gap: number }
    >();
    for (const l of labels)
      for (const m of mappings) {
        if (m.sourceId !== l.sourceId) continue;
        const bs = buckets.get(m.id) ?? [];
        const r = ratesAround(bs, l.firstSeen, ctx.now.getTime(), p.window_hours, p.min_volume);
        if (!r || r.afterRate > r.beforeRate * (1 - p.drop_pct / 100)) continue;
        const lastSeen = Math.max(0, ...bs.filter((b) => b.t <= l.firstSeen).map((b) => Math.min(b.last, l.firstSeen)));
        const gap = Math.abs(l.firstSeen - lastSeen);
        const current = best.get(m.id);
        if (!current || gap < current.gap || (gap === current.gap && l.count > current.l.count))
          best.set(m.id, { m, l, r, gap });
      }
    return [...best.values()].map(({ m, l, r }): Finding => {
      const promote = `/mappings/new?${new URLSearchParams({ source: m.source, source_event: l.label })}`;
      return {
        subjectKey: `${m.id}:${l.label}`,
        title: `Suspected rename: ${m.sourceEvent} → ${l.label} (${m.source})`,
        message: `${m.sourceEvent} from ${m.source} fell from ${r.before} events in the ${p.window_hours} h before ${l.label} first appeared to ${r.after} since, while the unmapped ${l.label} rose to ${l.count}. Promote ${l.label} if it replaces ${m.sourceEvent}.`,
        details: {
          ...mappingDetails(m),
          new_label: l.label,
          new_label_count: l.count,
          new_label_first_seen_at: new Date(l.firstSeen).toISOString(),
          before: r.before,
          after: r.after,
          promote,
        },
      };
    });
  },
};
