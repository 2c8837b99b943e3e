// Reconciliation: per day × canonical event × destination, how many events arrived, how many were
// accepted, queued, sent, acknowledged by the platform or dead — and each difference named with
// its count (held, unmapped, violations, duplicates, suppressed, unmatchable, dead-letter reasons,
// platform rejections). Read from the rollups alone (EventStatusRollup by hour, DeliveryDayRollup), never
// from Event or DeliveryAttempt; days are UTC.
import type { Actor } from "@/lib/auth/actor";
import { assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { DEAD_REASONS, type DeadReason, isDeadReason } from "@/lib/metrics/reasons";
import { RECONCILIATION_MAX_DAYS, type ReconciliationQuery } from "@/lib/validations/metrics";

const DAY_MS = 86_400_000;

export interface EventSide {
  /** Every call that arrived: the statuses below plus exact repeats. */
  received: number;
  accepted: number;
  /** The mapping's revision is not approved: stored, not delivered. */
  held: number;
  /** Rejected: the event broke its canonical event's schema. */
  violations: number;
  /** Exact repeats of a stored event_id, answered `200 duplicate` (nothing stored). */
  duplicates: number;
  /** A stored event_id reused with a different payload (kept as duplicate_conflict, not delivered). */
  conflicts: number;
  /** A suppressed (erased or opted-out) person's calls: stored without personal data, never delivered. */
  suppressed: number;
  /** No mapping for the label (only on the rows of events mapped to no canonical event). */
  unmapped: number;
}

export interface DestinationFunnel {
  destination: { id: string; name: string; type: string };
  /** Outbox rows created for accepted events (at their arrival day). */
  queued: number;
  /** Requests that carried the event: acknowledged + rejected by the platform. */
  sent: number;
  /** The platform answered success for the event. */
  acknowledged: number;
  /** Dead letters, all reasons. */
  dead: number;
  deadReasons: Record<DeadReason, number>;
  /** Not sent: the mapping's toggle or the destination was off by then (or the person was erased). */
  skipped: number;
  /** Failed attempts that will be tried again (each attempt counts). */
  retrying: number;
  /** queued − acknowledged − dead − skipped: still in the outbox, or settled on another day. */
  unsettled: number;
}

export interface ReconciliationRow extends EventSide {
  /** The mappings whose held events are counted here (held events carry no canonical event of their own). */
  heldMappings: string[];
  /** YYYY-MM-DD (UTC), or "total" for the whole range. */
  day: string;
  /** null: events mapped to no canonical event (unmapped labels, page/screen calls, …). */
  canonicalEvent: { id: string; name: string } | null;
  destinations: DestinationFunnel[];
}

export interface Reconciliation {
  from: string;
  to: string;
  canonicalEvent: string | null;
  destination: string | null;
  /** Newest day first; within a day, by canonical event name (events mapped to none last). */
  days: ReconciliationRow[];
  /** The whole range per canonical event. */
  totals: ReconciliationRow[];
}

const dayOf = (d: Date) => d.toISOString().slice(0, 10);

/** The days read: `to` defaults to today, `from` to six days before it. */
export function reconciliationRange(query: ReconciliationQuery, now = new Date()) {
  const to = query.to ?? dayOf(now);
  const from = query.from ?? dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS));
  const start = Date.parse(`${from}T00:00:00Z`);
  const end = Date.parse(`${to}T00:00:00Z`) + DAY_MS;
  if (start >= end)
    throw new AppError("invalid_request", "from must not be after to", [
      { path: "from", message: "must not be after to" },
    ]);
  if ((end - start) / DAY_MS > RECONCILIATION_MAX_DAYS)
    throw new AppError("invalid_request", `A reconciliation reads at most ${RECONCILIATION_MAX_DAYS} days`, [
      { path: "from", message: `reads at most ${RECONCILIATION_MAX_DAYS} days` },
    ]);
  return { from, to, start: new Date(start), end: new Date(end) };
}

const emptyEventSide = (): EventSide => ({
  received: 0,
  accepted: 0,
  held: 0,
  violations: 0,
  duplicates: 0,
  conflicts: 0,
  suppressed: 0,
  unmapped: 0,
});

const STATUS_FIELD: Record<string, keyof EventSide> = {
  accepted: "accepted",
  held: "held",
  rejected: "violations",
  duplicate: "duplicates",
  duplicate_conflict: "conflicts",
  suppressed: "suppressed",
  unmapped: "unmapped",
};

const emptyFunnel = (destination: DestinationFunnel["destination"]): DestinationFunnel => ({
  destination,
  queued: 0,
  sent: 0,
  acknowledged: 0,
  dead: 0,
  deadReasons: Object.fromEntries(DEAD_REASONS.map((r) => [r, 0])) as Record<DeadReason, number>,
  skipped: 0,
  retrying: 0,
  unsettled: 0,
});

/** Adds one rollup count to a funnel. Dead rows recorded before reasons were kept count as not_sent. */
function addDelivery(f: DestinationFunnel, outcome: string, reason: string, n: number) {
  if (outcome === "queued") f.queued += n;
  else if (outcome === "sent") f.acknowledged += n;
  else if (outcome === "skipped") f.skipped += n;
  else if (outcome === "retrying") f.retrying += n;
  else if (outcome === "dead") {
    f.dead += n;
    f.deadReasons[isDeadReason(reason) ? reason : "not_sent"] += n;
  }
}

function finish(f: DestinationFunnel): DestinationFunnel {
  f.sent = f.acknowledged + f.deadReasons.platform_rejected;
  f.unsettled = f.queued - f.acknowledged - f.dead - f.skipped;
  return f;
}

export async function readReconciliation(
  actor: Actor,
  query: ReconciliationQuery,
  now = new Date(),
): Promise<Reconciliation> {
  assertCan(actor, "workspace.read");
  const range = reconciliationRange(query, now);
  const [canonicalEvents, destinations, mappings] = await Promise.all([
    db().canonicalEvent.findMany({ where: { workspaceId: actor.workspaceId }, select: { id: true, name: true } }),
    db().destination.findMany({
      where: { workspaceId: actor.workspaceId },
      select: { id: true, name: true, type: true },
    }),
    // Held events (and their repeats) have no canonical event (no approved revision): they count under their mapping's head's.
    db().mapping.findMany({
      where: { workspaceId: actor.workspaceId },
      select: { id: true, headRevision: { select: { canonicalEventId: true } } },
    }),
  ]);
  const headOf = new Map(mappings.map((m) => [m.id, m.headRevision?.canonicalEventId ?? ""]));
  const focus = query.canonical_event ? canonicalEvents.find((c) => c.name === query.canonical_event) : undefined;
  // An unknown name or destination shows nothing rather than everything.
  const ceFilter = query.canonical_event ? (focus?.id ?? "-") : null;
  const params = [actor.workspaceId, range.start.toISOString(), range.end.toISOString(), ceFilter];
  const heldOf = ceFilter ? mappings.filter((m) => headOf.get(m.id) === ceFilter).map((m) => m.id) : [];
  const [eventRows, deliveryRows] = await Promise.all([
    database().raw.query<{ day: string; ce: string; mapping: string; status: string; n: string }>(
      `SELECT to_char("bucket", 'YYYY-MM-DD') AS "day", "canonicalEventId" AS "ce", "mappingId" AS "mapping", "status",
         sum("count")::text AS "n"
       FROM "EventStatusRollup" WHERE "workspaceId" = $1 AND "bucket" >= $2::timestamp AND "bucket" < $3::timestamp
         AND ($4::text IS NULL OR "canonicalEventId" = $4 OR ("canonicalEventId" = '' AND "mappingId" = ANY($5::text[])))
       GROUP BY 1, 2, 3, 4`,
      [...params, heldOf],
    ),
    database().raw.query<{ day: string; ce: string; dest: string; outcome: string; reason: string; n: string }>(
      `SELECT to_char("day", 'YYYY-MM-DD') AS "day", "canonicalEventId" AS "ce", "destinationId" AS "dest", "outcome", "reason",
         sum("count")::text AS "n"
       FROM "DeliveryDayRollup" WHERE "workspaceId" = $1 AND "day" >= $2::timestamp AND "day" < $3::timestamp
         AND ($4::text IS NULL OR "canonicalEventId" = $4) AND ($5::text IS NULL OR "destinationId" = $5) GROUP BY 1, 2, 3, 4, 5`,
      [...params, query.destination ?? null],
    ),
  ]);

  const ceById = new Map(canonicalEvents.map((c) => [c.id, c]));
  const destById = new Map(destinations.map((d) => [d.id, d]));
  type Entry = { row: ReconciliationRow; funnels: Map<string, DestinationFunnel> };
  const rows = new Map<string, Entry>();
  const entry = (day: string, ce: string) => {
    const key = `${day}|${ce}`;
    let e = rows.get(key);
    if (!e) {
      const known = ceById.get(ce);
      const canonicalEvent = ce === "" ? null : { id: ce, name: known?.name ?? "(deleted canonical event)" };
      e = { row: { day, canonicalEvent, ...emptyEventSide(), heldMappings: [], destinations: [] }, funnels: new Map() };
      rows.set(key, e);
    }
    return e;
  };
  for (const r of eventRows) {
    const field = STATUS_FIELD[r.status];
    if (!field) continue;
    const ce = r.ce === "" && r.mapping ? (headOf.get(r.mapping) ?? "") : r.ce;
    for (const day of [r.day, "total"]) {
      const { row } = entry(day, ce);
      row[field] += Number(r.n);
      row.received += Number(r.n);
      if (r.status === "held" && r.mapping && !row.heldMappings.includes(r.mapping)) row.heldMappings.push(r.mapping);
    }
  }
  for (const r of deliveryRows) {
    const dest = destById.get(r.dest) ?? { id: r.dest, name: "(deleted destination)", type: "" };
    for (const day of [r.day, "total"]) {
      const { funnels } = entry(day, r.ce);
      const funnel = funnels.get(r.dest) ?? emptyFunnel(dest);
      funnels.set(r.dest, funnel);
      addDelivery(funnel, r.outcome, r.reason, Number(r.n));
    }
  }
  const ordered = [...rows.values()]
    .map(({ row, funnels }) => ({
      ...row,
      destinations: [...funnels.values()]
        .map(finish)
        .sort((a, b) => a.destination.name.localeCompare(b.destination.name)),
    }))
    .sort(
      (a, b) =>
        b.day.localeCompare(a.day) ||
        (a.canonicalEvent === null ? 1 : 0) - (b.canonicalEvent === null ? 1 : 0) ||
        (a.canonicalEvent?.name ?? "").localeCompare(b.canonicalEvent?.name ?? ""),
    );
  return {
    from: range.from,
    to: range.to,
    canonicalEvent: query.canonical_event ?? null,
    destination: query.destination ?? null,
    days: ordered.filter((r) => r.day !== "total"),
    totals: ordered.filter((r) => r.day === "total"),
  };
}

/** What the numbers cannot show: said on the page, in the API answer and the CSV's header. */
export const RECONCILIATION_BLIND_SPOTS = [
  "Attribution: a platform reports conversions against its own attribution windows (click / view, 1–28 days) and dates them by the click or the conversion time, not by the day TrackLayer received the event.",
  "Matching after acceptance: an acknowledged event may still not be matched to a person or ad interaction on the platform side (match quality); TrackLayer sees only that the platform accepted it.",
  "The platform's own deduplication: events that reach a platform from its pixel or SDK as well as from TrackLayer are deduplicated there (event_id / transaction id); its reports count them once.",
  "Platform-side processing delays, sampling, thresholds and modelled conversions (consent mode, privacy thresholds) change platform counts without any trace here.",
  "Deliveries count on the day they were attempted, outbox rows on the day their event arrived: a delivery sent after midnight shows as unsettled on one day and settled the next.",
];
