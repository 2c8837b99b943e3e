// The overview page's data in one call: the period's event volume and violation trend (one
// canonical event or all), each canonical event's counts, each destination's health, and the
// unmapped labels new this week — all from the rollups.
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { destinationHealth } from "@/lib/metrics/delivery-health";
import { newUnmappedLabels, volumeByCanonicalEvent, volumeSeries } from "@/lib/metrics/event-volume";
import { periodWindow } from "@/lib/metrics/period";
import type { OverviewQuery } from "@/lib/validations/metrics";

const WEEK_MS = 7 * 86_400_000;

export type Overview = Awaited<ReturnType<typeof readOverview>>;

export async function readOverview(actor: Actor, query: OverviewQuery, now = new Date()) {
  const window = periodWindow(query.period, now);
  const focus = query.canonical_event
    ? await db().canonicalEvent.findFirst({
        where: { workspaceId: actor.workspaceId, name: query.canonical_event },
        select: { id: true, name: true },
      })
    : null;
  const [volume, events, destinations, newLabels] = await Promise.all([
    // An unknown name shows nothing rather than everything.
    volumeSeries(actor, window, query.canonical_event ? (focus?.id ?? "-") : undefined),
    volumeByCanonicalEvent(actor, window),
    destinationHealth(actor, window),
    newUnmappedLabels(actor, new Date(now.getTime() - WEEK_MS)),
  ]);
  return { period: query.period, stepHours: window.stepHours, focus, volume, events, destinations, newLabels };
}
