// What the inspector's trace reads for one event: the stored event with its deliveries and their
// attempts, and everything around it (revision, mapping, identity link and conflicts, reuses of its
// event_id, the original of a conflict, the write key, events sharing its business id).
import { db } from "@/lib/db";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import { text } from "@/lib/delivery/normalize";
import { withPayload } from "@/lib/events/payloads";
import { loadEventLookups } from "@/lib/events/serialize";

type Json = Record<string, unknown>;
export const asObject = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** The stored event an id names: the event_id's stored event, else the row id, else the latest row with that event_id (rejected calls). */
export async function findTracedEvent(workspaceId: string, id: string) {
  const event =
    (await db().event.findFirst({ where: { workspaceId, eventId: id, dedupKey: { not: null } } })) ??
    (await db().event.findFirst({ where: { workspaceId, id } })) ??
    (await db().event.findFirst({ where: { workspaceId, eventId: id }, orderBy: { receivedAt: "desc" } }));
  if (!event) return null;
  // Loaded apart: Event is partitioned, so no foreign key (and no Prisma relation) joins them.
  const [withRaw, deliveries] = await Promise.all([
    withPayload(event),
    db()
      .delivery.findMany({
        where: { workspaceId, eventRowId: event.id },
        include: { destination: { select: { name: true, type: true, testMode: true } } },
        orderBy: { createdAt: "asc" },
      })
      .then(withDeliveryLog),
  ]);
  return { ...withRaw, deliveries };
}

export type TracedEvent = NonNullable<Awaited<ReturnType<typeof findTracedEvent>>>;

/** Everything around the event the trace shows, read in parallel. */
export async function loadTraceContext(workspaceId: string, event: TracedEvent) {
  const [lookups, revision, mapping, link, conflicts, reuses, original, writeKey] = await Promise.all([
    loadEventLookups(workspaceId),
    event.mappingRevisionId
      ? db().mappingRevision.findUnique({
          where: { id: event.mappingRevisionId },
          include: { canonicalEvent: { select: { name: true } } },
        })
      : null,
    event.mappingId
      ? db().mapping.findFirst({
          where: { id: event.mappingId, workspaceId },
          select: {
            id: true,
            sourceEvent: true,
            status: true,
            destinations: {
              where: { enabled: true },
              select: { destination: { select: { name: true, enabled: true } } },
              orderBy: { destination: { name: "asc" } },
            },
          },
        })
      : null,
    event.anonymousId
      ? db().profileIdentity.findUnique({
          where: { workspaceId_anonymousId: { workspaceId, anonymousId: event.anonymousId } },
          include: { profile: { select: { userId: true } } },
        })
      : null,
    event.anonymousId
      ? db().identityConflict.findMany({
          where: { workspaceId, anonymousId: event.anonymousId },
          orderBy: { createdAt: "desc" },
          take: 10,
        })
      : [],
    db().event.findMany({
      // Conflicts reuse the original's event_id: found through the (workspace, event_id) index.
      where: { workspaceId, eventId: event.eventId, originalId: event.id },
      select: { id: true, receivedAt: true },
      orderBy: { receivedAt: "desc" },
      take: 20,
    }),
    event.originalId
      ? db().event.findFirst({
          where: { id: event.originalId, workspaceId },
          select: { id: true, eventId: true, receivedAt: true },
        })
      : null,
    event.writeKeyId
      ? db().writeKey.findUnique({ where: { id: event.writeKeyId }, select: { name: true, prefix: true, test: true } })
      : null,
  ]);
  return { lookups, revision, mapping, link, conflicts, reuses, original, writeKey };
}

/** Other event_ids the same order_id / lead_id arrived under, for the same canonical event (by the orderKey index). */
export async function siblingEventIds(
  workspaceId: string,
  event: { id: string; eventId: string; canonicalEventId: string | null; properties: unknown },
  key: "order_id" | "lead_id" | null,
): Promise<string[]> {
  const value = key ? text(asObject(event.properties)[key]) : undefined;
  if (!key || value === undefined || !event.canonicalEventId) return [];
  const rows = await db().event.findMany({
    where: {
      workspaceId,
      canonicalEventId: event.canonicalEventId,
      status: { in: ["accepted", "held"] },
      eventId: { not: event.eventId },
      orderKey: value,
    },
    select: { eventId: true },
    distinct: ["eventId"],
    take: 10,
  });
  return rows.map((r) => r.eventId);
}
