// Loads what a batch of claimed deliveries needs: events as destinations see them, their
// profiles' traits, each destination's settings (secrets decrypted) and the mapping toggles.
import { database, db } from "@/lib/db";
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
  /** Why the secrets could not be decrypted (another TRACKLAYER_ENCRYPTION_KEY); its deliveries wait instead of failing the batch. */
  secretsError?: string;
}

function openedSecrets(sealed: string | null): Pick<LoadedDestination, "secrets" | "secretsError"> {
  try {
    return { secrets: openSecrets(sealed) };
  } catch {
    return { secrets: {}, secretsError: "the destination's secrets cannot be decrypted: was TRACKLAYER_ENCRYPTION_KEY changed? Re-enter them" };
  }
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

interface EventRow {
  id: string;
  eventId: string;
  sourceEvent: string;
  canonical: string | null;
  occurredAt: Date;
  storedAt: Date;
  userId: string | null;
  anonymousId: string | null;
  properties: Record<string, unknown>;
  context: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  mappingId: string | null;
}

/** Stored events as destinations see them (canonical name, the profile's traits), keyed by row id: one query. */
export async function loadDeliveryEvents(eventRowIds: string[]): Promise<Map<string, LoadedEvent>> {
  const rows = await database().raw.query<EventRow>(
    `SELECT e."id", e."eventId", e."sourceEvent", c."name" AS canonical, e."occurredAt" AT TIME ZONE 'UTC' AS "occurredAt",
       e."receivedAt" AT TIME ZONE 'UTC' AS "storedAt", e."resolvedUserId" AS "userId", e."anonymousId", e."properties", e."context", p."traits", e."mappingId"
     FROM "Event" e
     LEFT JOIN "CanonicalEvent" c ON c."id" = e."canonicalEventId"
     LEFT JOIN "Profile" p ON p."id" = e."profileId"
     WHERE e."id" = ANY($1::text[])`,
    [eventRowIds],
  );
  return new Map(
    rows.map((e) => [
      e.id,
      {
        eventId: e.eventId,
        canonicalEvent: e.canonical || e.sourceEvent,
        occurredAt: new Date(e.occurredAt),
        userId: e.userId,
        anonymousId: e.anonymousId,
        properties: e.properties,
        context: e.context ?? {},
        traits: e.traits ?? {},
        storedAt: new Date(e.storedAt),
        mappingId: e.mappingId,
      },
    ]),
  );
}

/** Everything a batch needs in one round of three parallel queries: events, destinations, toggles. */
export async function loadBatch(claimed: ClaimedDelivery[]): Promise<LoadedBatch> {
  const eventIds = [...new Set(claimed.map((c) => c.eventRowId))];
  const destinationIds = [...new Set(claimed.map((c) => c.destinationId))];
  const [events, destinations, toggles] = await Promise.all([
    loadDeliveryEvents(eventIds),
    db().destination.findMany({ where: { id: { in: destinationIds } }, omit: { secretsEncrypted: false } }),
    database().raw.query<{ mappingId: string; destinationId: string; eventName: string | null }>(
      `SELECT md."mappingId", md."destinationId", md."eventName" FROM "MappingDestination" md
       WHERE md."enabled" AND md."destinationId" = ANY($1::text[])
         AND md."mappingId" IN (SELECT DISTINCT e."mappingId" FROM "Event" e WHERE e."id" = ANY($2::text[]))`,
      [destinationIds, eventIds],
    ),
  ]);
  return {
    events,
    destinations: new Map(
      destinations.map((d) => [
        d.id,
        { id: d.id, type: d.type, name: d.name, enabled: d.enabled, testMode: d.testMode, config: d.config as Record<string, unknown>, ...openedSecrets(d.secretsEncrypted) },
      ]),
    ),
    togglesOn: new Set(toggles.map((t) => `${t.mappingId}:${t.destinationId}`)),
    eventNames: new Map(toggles.filter((t) => t.eventName).map((t) => [`${t.mappingId}:${t.destinationId}`, t.eventName!])),
  };
}
