// The deliveries log for engineers: list (newest first, keyset paged on (createdAt, id), no
// count), one delivery with every attempt, retry, replay.
// Accepted (succeeded) deliveries are never re-queued. Events are loaded apart from their deliveries
// (Event is partitioned and not referenced by a foreign key): an expired one shows as "(expired)".
import { type Actor, assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { keysetOrderBy, keysetPage, keysetWhere } from "@/lib/db/keyset";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import { attemptExchange } from "@/lib/delivery/engine/exchange-log";
import { AppError, notFound } from "@/lib/errors";
import { loadEventLookups } from "@/lib/events/serialize";
import type { DeliveryAttempt, HttpExchange, Prisma } from "@/lib/generated/prisma/client";
import { maskByValue, personalOfEvent, seesPersonal } from "@/lib/privacy/personal-properties";
import { recordAudit } from "@/lib/registry/audit";
import type { DeliveryListQuery, ReplayInput } from "@/lib/validations/delivery";

async function canonicalIdsNamed(workspaceId: string, name: string) {
  const rows = await db().canonicalEvent.findMany({ where: { workspaceId, name }, select: { id: true } });
  return rows.map((r) => r.id);
}

/** At most this many events of one user / event_id are searched for their deliveries. */
const SEARCH_EVENTS = 10_000;

/** The row ids of the events a search names exactly (event_id, user or anonymous id): indexed lookups. */
async function eventRowIdsMatching(workspaceId: string, q: string) {
  const rows = await db().event.findMany({
    where: { workspaceId, OR: [{ eventId: q }, { resolvedUserId: q }, { anonymousId: q }] },
    select: { id: true },
    orderBy: { receivedAt: "desc" },
    take: SEARCH_EVENTS,
  });
  return rows.map((r) => r.id);
}

// Each delivery's event by its full key (id, receivedAt): Event is partitioned by month of
// receivedAt, so the lookup reads one partition (pruned per row at run time) instead of probing
// every month's index. A legacy row without eventReceivedAt falls back to the id alone (the
// second branch runs only for such rows). Exported for the planner test.
export const DELIVERY_EVENTS_SQL = `SELECT e."id", e."eventId", e."sourceEvent", e."canonicalEventId", e."properties"
  FROM unnest($2::text[], $3::timestamp[]) AS k("id", "receivedAt")
  CROSS JOIN LATERAL (
    SELECT "id", "eventId", "sourceEvent", "canonicalEventId", "properties" FROM "Event"
    WHERE "workspaceId" = $1 AND "id" = k."id" AND "receivedAt" = k."receivedAt"
    UNION ALL
    SELECT "id", "eventId", "sourceEvent", "canonicalEventId", "properties" FROM "Event"
    WHERE k."receivedAt" IS NULL AND "workspaceId" = $1 AND "id" = k."id"
  ) e`;

type DeliveryEvent = {
  id: string;
  eventId: string;
  sourceEvent: string;
  canonicalEventId: string | null;
  properties: unknown;
};

/** The events of some deliveries, by event row id; an id missing from the map has expired. */
async function eventsOf(workspaceId: string, deliveries: { eventRowId: string; eventReceivedAt: Date | null }[]) {
  const keys = [...new Map(deliveries.map((d) => [d.eventRowId, d.eventReceivedAt])).entries()];
  const rows = await database().raw.query<DeliveryEvent>(DELIVERY_EVENTS_SQL, [
    workspaceId,
    keys.map(([id]) => id),
    keys.map(([, at]) => at?.toISOString() ?? null),
  ]);
  return new Map(rows.map((e) => [e.id, e]));
}

export const EXPIRED = "(expired)";

export async function listDeliveries(actor: Actor, query: DeliveryListQuery) {
  assertCan(actor, "workspace.read");
  const where: Prisma.DeliveryWhereInput = {
    workspaceId: actor.workspaceId,
    ...(query.destination ? { destinationId: query.destination } : {}),
    ...(query.status ? { status: query.status } : {}),
    ...(query.from || query.to ? { createdAt: { gte: query.from, lte: query.to } } : {}),
    ...(query.canonical_event
      ? { canonicalEventId: { in: await canonicalIdsNamed(actor.workspaceId, query.canonical_event) } }
      : {}),
    ...(query.q ? { eventRowId: { in: await eventRowIdsMatching(actor.workspaceId, query.q) } } : {}),
  };
  const page = query.cursor ? 1 : query.page;
  const [read, names] = await Promise.all([
    db().delivery.findMany({
      where: { AND: [where, keysetWhere("createdAt", "desc", query.cursor)] },
      include: { destination: { select: { name: true, type: true, enabled: true } } },
      orderBy: keysetOrderBy("createdAt", "desc", query.cursor),
      ...(page > 1 ? { skip: (page - 1) * query.per_page } : {}),
      take: query.per_page + 1,
    }),
    loadEventLookups(actor.workspaceId).then((l) => l.canonicalEvents),
  ]);
  const offset = (page - 1) * query.per_page;
  const { rows, ...cursors } = keysetPage(
    read,
    query.per_page,
    query.cursor,
    (d) => ({ at: d.createdAt, id: d.id }),
    offset,
  );
  const events = await eventsOf(actor.workspaceId, rows);
  return {
    ...cursors,
    page,
    per_page: query.per_page,
    rows: rows.map((d) => ({
      id: d.id,
      status: d.status,
      destination: {
        id: d.destinationId,
        name: d.destination.name,
        type: d.destination.type,
        enabled: d.destination.enabled,
      },
      event_id: events.get(d.eventRowId)?.eventId ?? EXPIRED,
      event_row_id: d.eventRowId,
      canonical_event: d.canonicalEventId ? (names.get(d.canonicalEventId) ?? null) : null,
      attempts: d.attempts,
      last_error: d.lastError,
      next_attempt_at: d.status === "pending" || d.status === "retrying" ? d.nextAttemptAt.toISOString() : null,
      delivered_at: d.deliveredAt?.toISOString() ?? null,
      created_at: d.createdAt.toISOString(),
      updated_at: d.updatedAt.toISOString(),
    })),
  };
}

export async function getDelivery(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  const found = await db().delivery.findFirst({
    where: { id, workspaceId: actor.workspaceId },
    include: { destination: { select: { name: true, type: true, enabled: true } } },
  });
  if (!found) throw notFound("Delivery");
  const [d] = await withDeliveryLog([found]);
  if (!d) throw notFound("Delivery");
  const event = (await eventsOf(actor.workspaceId, [d])).get(d.eventRowId) ?? null;
  // Below admin, request and response bodies show personal property values masked.
  const personal =
    seesPersonal(actor.role, "delivery_log") || !event ? null : await personalOfEvent(actor.workspaceId, event);
  const log = d.log.map(serializeAttempt);
  return {
    id: d.id,
    status: d.status,
    destination: {
      id: d.destinationId,
      name: d.destination.name,
      type: d.destination.type,
      enabled: d.destination.enabled,
    },
    event: event
      ? { id: event.id, event_id: event.eventId, source_event: event.sourceEvent, expired: false }
      : { id: d.eventRowId, event_id: EXPIRED, source_event: EXPIRED, expired: true },
    attempts: d.attempts,
    last_error: d.lastError,
    ack: d.ack,
    next_attempt_at: d.status === "pending" || d.status === "retrying" ? d.nextAttemptAt.toISOString() : null,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
    created_at: d.createdAt.toISOString(),
    log: personal ? maskByValue(log, personal.values) : log,
  };
}

/** One attempt as the delivery log and the inspector's lanes show it: the exchange as it concerns this delivery. */
export function serializeAttempt(a: DeliveryAttempt & { exchange: HttpExchange | null }) {
  const x = attemptExchange(a.exchange, a.batchPosition);
  return {
    attempt: a.attempt,
    at: a.createdAt.toISOString(),
    outcome: a.outcome,
    reason: a.reason,
    request: { url: x.url, headers: x.headers, body: x.body },
    response: { status: x.status, body: x.responseBody },
    latency_ms: x.latencyMs,
    next_attempt_at: a.nextAttemptAt?.toISOString() ?? null,
  };
}

/** Puts one failed delivery back in the queue, due now. */
export async function retryDelivery(actor: Actor, id: string) {
  assertCan(actor, "delivery.retry");
  const d = await db().delivery.findFirst({ where: { id, workspaceId: actor.workspaceId } });
  if (!d) throw notFound("Delivery");
  if (d.status === "succeeded")
    throw new AppError("invalid_transition", "This delivery was accepted by the platform; it is never sent again");
  if (d.status === "pending") throw new AppError("invalid_transition", "This delivery is already queued");
  await db().$transaction(async (tx) => {
    await tx.delivery.update({
      where: { id },
      data: { status: "pending", nextAttemptAt: new Date(), leaseUntil: null, leasedBy: null },
    });
    await recordAudit(tx, actor, {
      action: "delivery.retry",
      entityType: "delivery",
      entityId: id,
      summary: `re-queued delivery ${id} (was ${d.status})`,
      before: { status: d.status },
    });
  });
  return getDelivery(actor, id);
}

/** Replay: the failed deliveries matching a filter; dry_run counts them, otherwise re-queues them. */
export async function replayDeliveries(actor: Actor, input: ReplayInput) {
  assertCan(actor, "delivery.retry");
  const where: Prisma.DeliveryWhereInput = {
    workspaceId: actor.workspaceId,
    status: { in: input.statuses },
    ...(input.destination ? { destinationId: input.destination } : {}),
    ...(input.error_contains ? { lastError: { contains: input.error_contains, mode: "insensitive" } } : {}),
    ...(input.from || input.to ? { createdAt: { gte: input.from, lte: input.to } } : {}),
  };
  const matching = await db().delivery.count({ where });
  if (input.dry_run) return { dry_run: true, matching };
  const requeued = await db().$transaction(async (tx) => {
    const result = await tx.delivery.updateMany({
      where: { ...where, status: { in: input.statuses } },
      data: { status: "pending", nextAttemptAt: new Date(), leaseUntil: null, leasedBy: null },
    });
    await recordAudit(tx, actor, {
      action: "delivery.replay",
      entityType: "delivery",
      entityId: input.destination ?? "*",
      summary: `replayed ${result.count} deliveries`,
      after: { ...input, requeued: result.count },
    });
    return result.count;
  });
  return { dry_run: false, matching, requeued };
}
