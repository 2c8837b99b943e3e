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
  /** Why the secrets could not be read (e.g. the encryption key changed); its deliveries wait. */
  secretsError?: string;
}

function readSecrets(sealed: string | null): Pick<LoadedDestination, "secrets" | "secretsError"> {
  try {
    return { secrets: openSecrets(sealed) };
  } catch (error) {
    return { secrets: {}, secretsError: `credentials cannot be decrypted (${error instanceof Error ? error.message : String(error)}); was TRACKLAYER_ENCRYPTION_KEY changed?` };
  }
}

export interface LoadedBatch {
  events: Map<string, DeliveryEvent & { storedAt: Date; mappingId: string | null }>;
  destinations: Map<string, LoadedDestination>;
  /** "<mappingId>:<destinationId>" pairs whose toggle is on. */
  togglesOn: Set<string>;
}

export async function loadBatch(claimed: ClaimedDelivery[]): Promise<LoadedBatch> {
  const eventIds = [...new Set(claimed.map((c) => c.eventRowId))];
  const destinationIds = [...new Set(claimed.map((c) => c.destinationId))];
  const [events, destinations] = await Promise.all([
    db().event.findMany({ where: { id: { in: eventIds } } }),
    db().destination.findMany({ where: { id: { in: destinationIds } }, omit: { secretsEncrypted: false } }),
  ]);
  const [canonical, profiles, toggles] = await Promise.all([
    db().canonicalEvent.findMany({ where: { id: { in: [...new Set(events.map((e) => e.canonicalEventId).filter((x): x is string => Boolean(x)))] } }, select: { id: true, name: true } }),
    db().profile.findMany({ where: { id: { in: [...new Set(events.map((e) => e.profileId).filter((x): x is string => Boolean(x)))] } }, select: { id: true, traits: true } }),
    db().mappingDestination.findMany({
      where: { enabled: true, destinationId: { in: destinationIds }, mappingId: { in: [...new Set(events.map((e) => e.mappingId).filter((x): x is string => Boolean(x)))] } },
      select: { mappingId: true, destinationId: true },
    }),
  ]);
  const canonicalName = new Map(canonical.map((c) => [c.id, c.name]));
  const traitsOf = new Map(profiles.map((p) => [p.id, p.traits as Record<string, unknown>]));
  return {
    events: new Map(
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
    ),
    destinations: new Map(
      destinations.map((d) => [
        d.id,
        { id: d.id, type: d.type, name: d.name, enabled: d.enabled, testMode: d.testMode, config: d.config as Record<string, unknown>, ...readSecrets(d.secretsEncrypted) },
      ]),
    ),
    togglesOn: new Set(toggles.map((t) => `${t.mappingId}:${t.destinationId}`)),
  };
}
