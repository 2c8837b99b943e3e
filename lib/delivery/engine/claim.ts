// Claiming due outbox rows: FOR UPDATE SKIP LOCKED so any number of workers share the queue
// without taking the same row; a claim is a lease, so a dead worker's rows come back. The same
// statement returns what delivering them needs: the event, the destination, the mapping's toggle.
// Due rows are taken per status, each named as a constant, from the due-queue index (status,
// nextAttemptAt; partial on the two due statuses, whose predicate the constant proves), oldest first
// and no more than the batch: lib/db/ordered-claim.ts says why the claim runs with sorting disabled.
// The claimed rows are updated through their id list alone: one probe per id, whatever the
// statistics say (joined to the due rows as well, a plan made while the table looked empty probed
// the key per due row and sorted the whole id list again for each probe), so neither step depends
// on fresh table statistics. Each event is read by its full key (see EVENT_ROW). The lease changes no
// indexed column: on the table's spare page room it is a HOT update, no index written.
import type { DbHandle, RawSql } from "@/lib/db/connection";
import { claimInOrder, dueCte } from "@/lib/db/ordered-claim";
import {
  type DestinationRow,
  EVENT_COLUMNS,
  type EventRow,
  type LoadedEvent,
  loadedEvent,
} from "@/lib/delivery/engine/load";

export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  destinationId: string;
  attempts: number;
  createdAt: Date;
  /** Null when the destination was deleted meanwhile (its rows cascade) or the event expired (retention deletes its rows first). */
  event: LoadedEvent | null;
  destination: DestinationRow | null;
  /** Whether the event's mapping still sends to this destination, and the platform event name set on that toggle. */
  toggleOn: boolean;
  eventName: string | null;
}

// The event's columns delivery needs. Looked up by its full key (id, receivedAt), so only its
// month's partition is read (pruned per row at run time); a legacy row without receivedAt falls
// back to the id alone (the second branch runs only for such rows).
const EVENT_ROW = `"id", "eventId", "sourceEvent", "canonicalEventId", "occurredAt", "receivedAt", "resolvedUserId", "anonymousId",
  "properties", "context", "profileId", "mappingId"`;

type Row = Omit<EventRow, "eventRowId"> &
  Omit<DestinationRow, "id"> &
  Pick<
    ClaimedDelivery,
    "id" | "workspaceId" | "destinationId" | "attempts" | "createdAt" | "toggleOn" | "eventName"
  > & { eventRowId: string | null; destinationFound: boolean };

/** $1 lease until, $2 worker id, $3 now, $4 limit, $5 destinations to skip. */
export const CLAIM_DUE_SQL = `WITH ${dueCte("Delivery", "x", `NOT (x."destinationId" = ANY($5::text[]))`)}, claimed AS (
       UPDATE "Delivery" d SET "leaseUntil" = $1::timestamp, "leasedBy" = $2
       WHERE d."id" = ANY(ARRAY(SELECT "id" FROM due))
       RETURNING d."id", d."workspaceId", d."eventRowId", d."eventReceivedAt", d."destinationId", d."attempts", d."createdAt"
     )
     SELECT c."id", c."workspaceId", c."destinationId", c."attempts", c."createdAt", ${EVENT_COLUMNS},
       md."id" IS NOT NULL AS "toggleOn", md."eventName",
       ds."id" IS NOT NULL AS "destinationFound", ds."type", ds."name", ds."enabled", ds."testMode", ds."config", ds."secretsEncrypted"
     FROM claimed c
     LEFT JOIN LATERAL (
       SELECT ${EVENT_ROW} FROM "Event" WHERE "id" = c."eventRowId" AND "receivedAt" = c."eventReceivedAt"
       UNION ALL
       SELECT ${EVENT_ROW} FROM "Event" WHERE c."eventReceivedAt" IS NULL AND "id" = c."eventRowId"
     ) e ON true
     LEFT JOIN "Destination" ds ON ds."id" = c."destinationId"
     LEFT JOIN "MappingDestination" md ON md."mappingId" = e."mappingId" AND md."destinationId" = c."destinationId" AND md."enabled"`;

/** `skipDestinations`: destinations this worker is still sending to (their rows wait for it). */
export async function claimDue(
  db: Pick<DbHandle, "transaction">,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = new Date(),
  skipDestinations: string[] = [],
): Promise<ClaimedDelivery[]> {
  const rows = await claimInOrder<Row>(db, CLAIM_DUE_SQL, { workerId, limit, leaseMs, now }, [skipDestinations]);
  return rows.map((r) => ({
    id: r.id,
    workspaceId: r.workspaceId,
    destinationId: r.destinationId,
    attempts: r.attempts,
    createdAt: r.createdAt,
    event: r.eventRowId ? loadedEvent(r) : null,
    destination: r.destinationFound
      ? {
          id: r.destinationId,
          type: r.type,
          name: r.name,
          enabled: r.enabled,
          testMode: r.testMode,
          config: r.config,
          secretsEncrypted: r.secretsEncrypted,
        }
      : null,
    toggleOn: r.toggleOn,
    eventName: r.eventName,
  }));
}

/** Gives back rows a worker claimed but will not deliver (it is stopping): due again at once for any worker. */
export async function releaseClaims(raw: RawSql, workerId: string, ids: string[]): Promise<void> {
  await raw.query(
    `UPDATE "Delivery" SET "leaseUntil" = NULL, "leasedBy" = NULL WHERE "id" = ANY($1::text[]) AND "leasedBy" = $2 AND "status" IN ('pending', 'retrying')`,
    [ids, workerId],
  );
}
