// One stored event with everything the explorer's detail view shows: payload, canonical
// properties, problems, the original of a conflict, its mapping, profile and deliveries.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { withPayload } from "@/lib/events/payloads";
import { asProblemList, loadEventLookups, serializeEventRow } from "@/lib/events/serialize";
import { maskEventFields, personalOfEvent, seesPersonal } from "@/lib/privacy/personal-properties";

export async function getEvent(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  const workspaceId = actor.workspaceId;
  const row = await db().event.findFirst({ where: { id, workspaceId } });
  if (!row) throw notFound("Event");
  // Loaded apart: Event is partitioned, so no foreign key (and no Prisma relation) joins them.
  const [withRaw, deliveries] = await Promise.all([
    withPayload(row),
    db().delivery.findMany({
      where: { workspaceId, eventRowId: row.id },
      include: { destination: { select: { name: true, type: true } } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  const event = { ...withRaw, deliveries };
  const [lookups, mapping, original, conflicts, profile] = await Promise.all([
    loadEventLookups(workspaceId),
    event.mappingId
      ? db().mapping.findFirst({
          where: { id: event.mappingId, workspaceId },
          select: { id: true, sourceEvent: true, status: true },
        })
      : null,
    event.originalId
      ? db().event.findFirst({
          where: { id: event.originalId, workspaceId },
          select: { id: true, eventId: true, receivedAt: true },
        })
      : null,
    db().event.findMany({
      // Conflicts reuse the original's event_id: found through the (workspace, event_id) index.
      where: { workspaceId, eventId: event.eventId, originalId: event.id },
      select: { id: true, receivedAt: true },
      orderBy: { receivedAt: "desc" },
      take: 20,
    }),
    event.profileId
      ? db().profile.findFirst({ where: { id: event.profileId, workspaceId }, select: { id: true, userId: true } })
      : null,
  ]);
  // Viewers see personal properties masked, by name in the properties and by value in payload and context.
  const personal = seesPersonal(actor.role, "event") ? null : await personalOfEvent(workspaceId, event);
  const shown = maskEventFields(
    { payload: event.payload, properties: event.properties, context: event.context },
    personal,
  );
  return {
    ...serializeEventRow(event, lookups),
    mapping_revision_id: event.mappingRevisionId,
    write_key_id: event.writeKeyId,
    payload_hash: event.payloadHash,
    ...shown,
    personal_masked: personal !== null && personal.names.size > 0,
    problems: event.problems,
    problem_list: asProblemList(event.problems),
    original_id: event.originalId,
    original: original
      ? { id: original.id, event_id: original.eventId, received_at: original.receivedAt.toISOString() }
      : null,
    conflicting_calls: conflicts.map((c) => ({ id: c.id, received_at: c.receivedAt.toISOString() })),
    mapping: mapping ? { id: mapping.id, source_event: mapping.sourceEvent, status: mapping.status } : null,
    profile: profile ? { id: profile.id, user_id: profile.userId } : null,
    deliveries: event.deliveries.map((d) => ({
      id: d.id,
      destination_id: d.destinationId,
      destination: d.destination.name,
      destination_type: d.destination.type,
      status: d.status,
      attempts: d.attempts,
      last_error: d.lastError,
      next_attempt_at: d.nextAttemptAt.toISOString(),
      updated_at: d.updatedAt.toISOString(),
    })),
  };
}

export type EventDetailJson = Awaited<ReturnType<typeof getEvent>>;
