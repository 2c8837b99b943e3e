// Delivery health per destination from the rollups (DeliveryHealthRollup): attempts by outcome, success rate and
// p50/p95 latency (from the fixed latency buckets), success per chart point; and the backlog
// with the age of its oldest row, read from the outbox itself by index probes (outbox-state.ts).
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { outboxState } from "@/lib/delivery/outbox-state";
import { quantileMs } from "@/lib/metrics/latency";
import { type PeriodWindow, pointSql } from "@/lib/metrics/period";

export interface OutcomeCounts {
  sent: number;
  retrying: number;
  dead: number;
  skipped: number;
}

export interface DestinationHealth extends OutcomeCounts {
  id: string;
  name: string;
  type: string;
  /** sent / (sent + retrying + dead) over the attempts of the window; null when none. */
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Success rate per chart point (null where nothing was attempted). */
  points: { t: number; successRate: number | null; attempts: number }[];
  /** Counted up to OUTBOX_COUNT_CAP; backlogCapped: there are more. */
  backlog: number;
  backlogCapped: boolean;
  oldestPendingAt: Date | null;
}

const OUTCOMES = ["sent", "retrying", "dead", "skipped"] as const;
const isOutcome = (o: string): o is keyof OutcomeCounts => (OUTCOMES as readonly string[]).includes(o);
const zeros = (): OutcomeCounts => ({ sent: 0, retrying: 0, dead: 0, skipped: 0 });

export function successRate(c: OutcomeCounts): number | null {
  const tried = c.sent + c.retrying + c.dead;
  return tried === 0 ? null : c.sent / tried;
}

/** Success rate and p95 per destination over the hours since `since`, from the rollups alone. */
export async function deliveryRates(
  workspaceId: string,
  since: Date,
): Promise<Map<string, { successRate: number | null; p95Ms: number | null }>> {
  const rows = await database().raw.query<{ dest: string; outcome: string; lb: number; n: string }>(
    `SELECT "destinationId" AS "dest", "outcome", "latencyBucket" AS "lb", sum("count")::text AS "n" FROM "DeliveryHealthRollup"
     WHERE "workspaceId" = $1 AND "bucket" >= date_trunc('hour', $2::timestamp) GROUP BY 1, 2, 3`,
    [workspaceId, since.toISOString()],
  );
  const byDest = new Map<string, { counts: OutcomeCounts; latency: Map<number, number> }>();
  for (const r of rows) {
    if (!isOutcome(r.outcome)) continue;
    const entry = byDest.get(r.dest) ?? { counts: zeros(), latency: new Map<number, number>() };
    byDest.set(r.dest, entry);
    entry.counts[r.outcome] += Number(r.n);
    if (r.lb >= 0) entry.latency.set(r.lb, (entry.latency.get(r.lb) ?? 0) + Number(r.n));
  }
  return new Map(
    [...byDest].map(([dest, e]) => [dest, { successRate: successRate(e.counts), p95Ms: quantileMs(e.latency, 0.95) }]),
  );
}

/** Every destination of the workspace with its health over the window. */
export async function destinationHealth(actor: Actor, window: PeriodWindow): Promise<DestinationHealth[]> {
  const [destinations, rows, backlog] = await Promise.all([
    db().destination.findMany({
      where: { workspaceId: actor.workspaceId },
      select: { id: true, name: true, type: true },
      orderBy: { name: "asc" },
    }),
    database().raw.query<{ dest: string; t: string; outcome: string; lb: number; n: string }>(
      `SELECT "destinationId" AS "dest", ${pointSql(window.stepHours)} AS "t", "outcome", "latencyBucket" AS "lb", sum("count")::text AS "n"
       FROM "DeliveryHealthRollup" WHERE "workspaceId" = $1 AND "bucket" >= $2::timestamp GROUP BY 1, 2, 3, 4`,
      [actor.workspaceId, window.since.toISOString()],
    ),
    outboxState(actor.workspaceId),
  ]);
  return destinations.map((d) => {
    const totals = zeros();
    const latency = new Map<number, number>();
    const perPoint = new Map(window.points.map((p) => [p.getTime(), zeros()]));
    for (const r of rows) {
      if (r.dest !== d.id || !isOutcome(r.outcome)) continue;
      const n = Number(r.n);
      totals[r.outcome] += n;
      const point = perPoint.get(Number(r.t));
      if (point) point[r.outcome] += n;
      if (r.lb >= 0) latency.set(r.lb, (latency.get(r.lb) ?? 0) + n);
    }
    const pending = backlog.get(d.id);
    return {
      id: d.id,
      name: d.name,
      type: d.type,
      ...totals,
      successRate: successRate(totals),
      p50Ms: quantileMs(latency, 0.5),
      p95Ms: quantileMs(latency, 0.95),
      points: [...perPoint.entries()].map(([t, c]) => ({
        t,
        successRate: successRate(c),
        attempts: c.sent + c.retrying + c.dead,
      })),
      backlog: pending?.backlog ?? 0,
      backlogCapped: pending?.backlogCapped ?? false,
      oldestPendingAt: pending?.oldestPendingAt ?? null,
    };
  });
}
