// Loads what a batch of claimed deliveries needs: events as destinations see them, their
// profiles' traits, each destination's settings (secrets decrypted) and the mapping toggles.
import { db } from "@/lib/db";
import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { openSecrets } from "@/lib/delivery/secret-box";
import type { ClaimedDelivery } from "@/lib/delivery/engine/claim";

export interface LoadedDestination {
  id: string;
  type: DestinationType;
  name: string;
  enabled: boolean;
  testMode: boolean;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

export type LoadedEvent = DeliveryEvent & { storedAt: Date; mappingId: string | null };

export interface LoadedBatch {
  events: Map<string, LoadedEvent>;
  destinations: Map<string, LoadedDestination>;
  /** "<mappingId>:<destinationId>" pairs whose toggle is on. */
  togglesOn: Set<string>;
  /** "<mappingId>:<destinationId>" → the platform event name set on that toggle. */
  eventNames: Map<string, string>;
}

type EventRow = Awaited<ReturnType<ReturnType<typeof db>["event"]["findMany"]>>[number];

const ids = (values: (string | null)[]) => [...new Set(values.filter((x): x is string => Boolean(x)))];

/** Stored events as destinations see them: canonical name and the profile's traits, keyed by row id. */
export async function toDeliveryEvents(events: EventRow[]): Promise<Map<string, LoadedEvent>> {
  const [canonical, profiles] = await Promise.all([
    db().canonicalEvent.findMany({ where: { id: { in: ids(events.map((e) => e.canonicalEventId)) } }, select: { id: true, name: true } }),
    db().profile.findMany({ where: { id: { in: ids(events.map((e) => e.profileId)) } }, select: { id: true, traits: true } }),
  ]);
  const canonicalName = new Map(canonical.map((c) => [c.id, c.name]));
  const traitsOf = new Map(profiles.map((p) => [p.id, p.traits as Record<string, unknown>]));
  return new Map(
    events.map((e) => [
      e.id,
      {
        eventId: e.eventId,
        canonicalEvent: (e.canonicalEventId && canonicalName.get(e.canonicalEventId)) || e.sourceEvent,
        occurredAt: e.occurredAt,
        userId: e.resolvedUserId,
        anonymousId: e.anonymousId,
        properties: e.properties as Record<string, unknown>,
        context: (e.context as Record<string, unknown> | null) ?? {},
        traits: (e.profileId && traitsOf.get(e.profileId)) || {},
        storedAt: e.receivedAt,
        mappingId: e.mappingId,
      },
    ]),
  );
}

export async function loadBatch(claimed: ClaimedDelivery[]): Promise<LoadedBatch> {
  const eventIds = [...new Set(claimed.map((c) => c.eventRowId))];
  const destinationIds = [...new Set(claimed.map((c) => c.destinationId))];
  const [events, destinations] = await Promise.all([
    db().event.findMany({ where: { id: { in: eventIds } } }),
    db().destination.findMany({ where: { id: { in: destinationIds } }, omit: { secretsEncrypted: false } }),
  ]);
  const [loaded, toggles] = await Promise.all([
    toDeliveryEvents(events),
    db().mappingDestination.findMany({
      where: { enabled: true, destinationId: { in: destinationIds }, mappingId: { in: ids(events.map((e) => e.mappingId)) } },
      select: { mappingId: true, destinationId: true, eventName: true },
    }),
  ]);
  return {
    events: loaded,
    destinations: new Map(
      destinations.map((d) => [
        d.id,
        { id: d.id, type: d.type, name: d.name, enabled: d.enabled, testMode: d.testMode, config: d.config as Record<string, unknown>, secrets: openSecrets(d.secretsEncrypted) },
      ]),
    ),
    togglesOn: new Set(toggles.map((t) => `${t.mappingId}:${t.destinationId}`)),
    eventNames: new Map(toggles.filter((t) => t.eventName).map((t) => [`${t.mappingId}:${t.destinationId}`, t.eventName!])),
  };
}
