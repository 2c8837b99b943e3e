// What delivery needs of a claimed outbox row, as destinations see it: the event (canonical name,
// the profile's traits) and the destination's settings (secrets decrypted). The claim statement
// selects them along with the rows (claim.ts); stored events can also be loaded on their own.
import { database } from "@/lib/db";
import type { DeliveryEvent } from "@/lib/delivery/destinations/types";
import { openSecrets } from "@/lib/delivery/secret-box";
import type { DestinationType } from "@/lib/generated/prisma/enums";

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

/** A Destination row as selected, secrets still sealed. */
export type DestinationRow = Omit<LoadedDestination, "secrets" | "secretsError"> & { secretsEncrypted: string | null };

export function openDestination({ secretsEncrypted, ...d }: DestinationRow): LoadedDestination {
  try {
    return { ...d, secrets: openSecrets(secretsEncrypted) };
  } catch {
    return {
      ...d,
      secrets: {},
      secretsError:
        "the destination's secrets cannot be decrypted: was TRACKLAYER_ENCRYPTION_KEY changed? Re-enter them",
    };
  }
}

export type LoadedEvent = DeliveryEvent & { storedAt: Date; mappingId: string | null };

/**
 * The event columns an EventRow needs, from "Event" e. The canonical name and the profile's traits
 * are looked up per event by primary key: joined instead, a planner expecting one event (statistics
 * taken while nothing was due) hashed the whole Profile table once per claimed row.
 */
export const EVENT_COLUMNS = `e."id" AS "eventRowId", e."eventId", e."sourceEvent",
  (SELECT ce."name" FROM "CanonicalEvent" ce WHERE ce."id" = e."canonicalEventId") AS canonical, e."occurredAt" AT TIME ZONE 'UTC' AS "occurredAt",
  e."receivedAt" AT TIME ZONE 'UTC' AS "storedAt", e."resolvedUserId" AS "userId", e."anonymousId", e."properties", e."context",
  (SELECT p."traits" FROM "Profile" p WHERE p."id" = e."profileId") AS "traits", e."mappingId"`;

export interface EventRow {
  eventRowId: string;
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

export function loadedEvent(e: Omit<EventRow, "eventRowId">): LoadedEvent {
  return {
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
  };
}

/** Stored events as destinations see them, keyed by row id: one query. */
export async function loadDeliveryEvents(eventRowIds: string[]): Promise<Map<string, LoadedEvent>> {
  const rows = await database().raw.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM "Event" e WHERE e."id" = ANY($1::text[])`,
    [eventRowIds],
  );
  return new Map(rows.map((e) => [e.eventRowId, loadedEvent(e)]));
}
