// One event end to end: as received → mapping revision applied → canonical event → identity →
// dedup verdict → one lane per destination with every attempt — and the four checks over it.
// The checks read the stored values; what is answered is masked like the event page and the
// delivery log (lib/privacy/personal-properties.ts): the event's own values for viewers, what was
// sent and answered below admin.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { serializeAttempt } from "@/lib/delivery/deliveries";
import { notFound } from "@/lib/errors";
import { asProblemList, serializeEventRow } from "@/lib/events/serialize";
import { businessKeyOf } from "@/lib/inspector/business-key";
import { type CheckInput, evaluateChecks, overallOutcome } from "@/lib/inspector/checks";
import { payloadKeys } from "@/lib/inspector/payload-keys";
import {
  asObject,
  findTracedEvent,
  loadTraceContext,
  siblingEventIds,
  type TracedEvent,
} from "@/lib/inspector/trace-load";
import { maskByValue, maskEventFields, type PersonalMask, personalMasksFor } from "@/lib/privacy/personal-properties";

export async function getTrace(actor: Actor, id: string) {
  assertCan(actor, "workspace.read");
  const workspaceId = actor.workspaceId;
  const event = await findTracedEvent(workspaceId, id);
  if (!event) throw notFound("Event");
  const properties = asObject(event.properties);
  const { lookups, revision, mapping, link, conflicts, reuses, original, writeKey } = await loadTraceContext(
    workspaceId,
    event,
  );
  const required = revision?.requiredProperties ?? [];
  const canonicalEvent = event.canonicalEventId ? (lookups.canonicalEvents.get(event.canonicalEventId) ?? null) : null;
  const siblings = await siblingEventIds(
    workspaceId,
    event,
    businessKeyOf({ requiredProperties: required, canonicalEvent, properties }),
  );
  const eventRef = {
    eventId: event.eventId,
    userId: event.resolvedUserId ?? event.userId,
    properties,
    occurredAt: event.occurredAt,
  };

  const lanes = destinationLanes(event, eventRef);

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
    mappingDestinations: (mapping?.destinations ?? []).map((d) => ({
      destination: d.destination.name,
      switchedOn: d.destination.enabled,
    })),
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
  const masks = await personalMasksFor(actor, event);
  const values = <T>(json: T, mask: PersonalMask | null): T => (mask ? maskByValue(json, mask.values) : json);
  const shown = maskEventFields({ payload: event.payload, properties, context: event.context }, masks.event);

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
        payload: shown.payload,
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
            renames_applied: renames.map(([from, to]) => ({
              from,
              to: String(to),
              value: values(received[from], masks.event),
            })),
          }
        : null,
      canonical: {
        name: canonicalEvent,
        properties: shown.properties,
        context: shown.context,
        problems: values(asProblemList(event.problems), masks.event),
      },
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
      destinations: lanes.map((lane) => ({
        ...lane,
        last_error: values(lane.last_error, masks.deliveryLog),
        ack: values(lane.ack, masks.deliveryLog),
        keys: values(lane.keys, masks.deliveryLog),
        log: values(lane.log, masks.deliveryLog),
      })),
    },
    checks: values(checks, masks.event),
    outcome: overallOutcome(checks),
    personal_masked: masks.event !== null && masks.event.names.size > 0,
  };
}

export type TraceJson = Awaited<ReturnType<typeof getTrace>>;

/** One lane per destination: its delivery's state, every attempt, and the keys the sent payload carried. */
function destinationLanes(event: TracedEvent, eventRef: Parameters<typeof payloadKeys>[2]) {
  return event.deliveries.map((d) => {
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
}
