// One event end to end: as received → mapping revision applied → canonical event → identity →
// dedup verdict → one lane per destination with every attempt — and the four checks over it.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { ATTEMPT_LOG, serializeAttempt } from "@/lib/delivery/deliveries";
import { text } from "@/lib/delivery/normalize";
import { notFound } from "@/lib/errors";
import { asProblemList, loadEventLookups, serializeEventRow } from "@/lib/events/serialize";
import { businessKeyOf } from "@/lib/inspector/business-key";
import { type CheckInput, evaluateChecks, overallOutcome } from "@/lib/inspector/checks";
import { payloadKeys } from "@/lib/inspector/payload-keys";

type Json = Record<string, unknown>;
const asObject = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** The stored event an id names: the event_id's stored event, else the row id, else the latest row with that event_id (rejected calls). */
async function findEvent(workspaceId: string, id: string) {
  const include = {
    deliveries: {
      include: { destination: { select: { name: true, type: true, testMode: true } }, log: ATTEMPT_LOG },
      orderBy: { createdAt: "asc" as const },
    },
  };
  return (
    (await db().event.findFirst({ where: { workspaceId, dedupKey: id }, include })) ??
    (await db().event.findFirst({ where: { workspaceId, id }, include })) ??
    (await db().event.findFirst({ where: { workspaceId, eventId: id }, include, orderBy: { receivedAt: "desc" } }))
  );
}

export async function getTrace(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  const workspaceId = actor.workspaceId;
  const event = await findEvent(workspaceId, id);
  if (!event) throw notFound("Event");
  const properties = asObject(event.properties);
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
          select: { id: true, sourceEvent: true, status: true },
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
      where: { workspaceId, originalId: event.id },
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
  const required = revision?.requiredProperties ?? [];
  const canonicalEvent = event.canonicalEventId ? (lookups.canonicalEvents.get(event.canonicalEventId) ?? null) : null;
  const siblings = await siblingEventIds(
    workspaceId,
    event,
    businessKeyOf({ requiredProperties: required, canonicalEvent, properties }),
  );
  const eventRef = { eventId: event.eventId, userId: event.resolvedUserId ?? event.userId, properties };

  const lanes = event.deliveries.map((d) => {
    const log = d.log.map(serializeAttempt);
    const sent = [...log].reverse().find((a) => a.request.body !== null);
    return {
      delivery_id: d.id,
      destination_id: d.destinationId,
      destination: d.destination.name,
      type: d.destination.type,
      test_mode: d.destination.testMode,
      status: d.status,
      attempts: d.attempts,
      last_error: d.lastError,
      ack: d.ack,
      next_attempt_at: d.status === "pending" || d.status === "retrying" ? d.nextAttemptAt.toISOString() : null,
      delivered_at: d.deliveredAt?.toISOString() ?? null,
      keys: sent ? payloadKeys(d.destination.type, sent.request.body, eventRef) : undefined,
      log,
    };
  });

  const identityConflicts = conflicts
    .filter((c) => !event.userId || c.attemptedUserId === event.userId || c.existingUserId === event.userId)
    .map((c) => ({
      existingUserId: c.existingUserId,
      attemptedUserId: c.attemptedUserId,
      at: c.createdAt.toISOString(),
    }));
  const checkInput: CheckInput = {
    eventId: event.eventId,
    status: event.status,
    canonicalEvent,
    userId: event.userId,
    anonymousId: event.anonymousId,
    resolvedUserId: event.resolvedUserId,
    properties,
    revisionStatus: revision?.status ?? null,
    testKey: writeKey?.test ?? false,
    requiredProperties: required,
    problems: asProblemList(event.problems) ?? [],
    anonymousOwner: link?.profile.userId ?? null,
    identityConflicts,
    reusedAt: reuses.map((r) => r.receivedAt.toISOString()),
    siblingEventIds: siblings,
    lanes: lanes.map((l) => ({
      destination: l.destination,
      type: l.type,
      status: l.status,
      lastError: l.last_error,
      ack: l.ack,
      testMode: l.test_mode,
      keys: l.keys,
    })),
  };
  const checks = evaluateChecks(checkInput);
  const received = asObject(asObject(event.payload).properties);
  const renames = Object.entries(asObject(revision?.propertyRenames)).filter(([from]) => from in received);

  return {
    event: serializeEventRow(event, lookups),
    stages: {
      received: {
        at: event.receivedAt.toISOString(),
        kind: event.kind,
        source_event: event.sourceEvent,
        write_key: writeKey
          ? { id: event.writeKeyId, name: writeKey.name, prefix: writeKey.prefix, test: writeKey.test }
          : null,
        payload: event.payload,
      },
      mapping: revision
        ? {
            id: event.mappingId,
            source_event: mapping?.sourceEvent ?? event.sourceEvent,
            status: mapping?.status ?? null,
            revision: {
              id: revision.id,
              number: revision.number,
              status: revision.status,
              canonical_event: revision.canonicalEvent.name,
              required_properties: required,
            },
            renames_applied: renames.map(([from, to]) => ({ from, to: String(to), value: received[from] })),
          }
        : null,
      canonical: { name: canonicalEvent, properties, context: event.context, problems: asProblemList(event.problems) },
      identity: {
        user_id: event.userId,
        anonymous_id: event.anonymousId,
        resolved_user_id: event.resolvedUserId,
        resolved_via: event.userId ? "user_id" : event.resolvedUserId ? "anonymous_id" : null,
        profile_id: event.profileId,
        anonymous_linked_to: link
          ? {
              user_id: link.profile.userId,
              via: link.linkedVia,
              ref: link.linkedByRef,
              at: link.createdAt.toISOString(),
            }
          : null,
        conflicts: identityConflicts.map((c) => ({
          existing_user_id: c.existingUserId,
          attempted_user_id: c.attemptedUserId,
          at: c.at,
        })),
      },
      dedup: {
        verdict: event.status === "duplicate_conflict" ? "conflict" : "first",
        dedup_key: event.dedupKey,
        original: original
          ? { id: original.id, event_id: original.eventId, received_at: original.receivedAt.toISOString() }
          : null,
        reused_with_different_payload: reuses.map((r) => ({ id: r.id, received_at: r.receivedAt.toISOString() })),
        business_id_event_ids: siblings,
      },
      destinations: lanes,
    },
    checks,
    outcome: overallOutcome(checks),
  };
}

export type TraceJson = Awaited<ReturnType<typeof getTrace>>;

/** Other event_ids the same order_id / lead_id arrived under, for the same canonical event. */
async function siblingEventIds(
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
      properties: { path: [key], equals: value },
    },
    select: { eventId: true },
    distinct: ["eventId"],
    take: 10,
  });
  return rows.map((r) => r.eventId);
}
