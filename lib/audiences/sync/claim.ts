// Claiming due audience outbox rows (leased, SKIP LOCKED like the event outbox, read in order from
// the (status, nextAttemptAt) index: lib/db/ordered-claim.ts). Rows of one (audience, destination)
// go strictly in order: a row waits while an older one is unsent.
import type { DbHandle } from "@/lib/db/connection";
import { claimInOrder, dueCte } from "@/lib/db/ordered-claim";

export interface ClaimedAudienceSync {
  id: string;
  workspaceId: string;
  audienceId: string;
  destinationId: string;
  syncId: string | null;
  full: boolean;
  attempts: number;
  createdAt: Date;
}

/** $1 lease until, $2 worker id, $3 now, $4 limit: each row the oldest unsent of its (audience, destination). */
const CLAIM_DUE_AUDIENCE_SYNCS_SQL = `WITH ${dueCte(
  "AudienceDelivery",
  "x",
  `NOT EXISTS (SELECT 1 FROM "AudienceDelivery" o WHERE o."audienceId" = x."audienceId" AND o."destinationId" = x."destinationId"
     AND o."status" IN ('pending', 'retrying') AND o."seq" < x."seq")`,
)}
     UPDATE "AudienceDelivery" d SET "leaseUntil" = $1::timestamp, "leasedBy" = $2
     WHERE d."id" = ANY(ARRAY(SELECT "id" FROM due))
     RETURNING d."id", d."workspaceId", d."audienceId", d."destinationId", d."syncId", d."full", d."attempts", d."createdAt"`;

export function claimDueAudienceSyncs(
  db: Pick<DbHandle, "transaction">,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = new Date(),
): Promise<ClaimedAudienceSync[]> {
  return claimInOrder<ClaimedAudienceSync>(db, CLAIM_DUE_AUDIENCE_SYNCS_SQL, { workerId, limit, leaseMs, now });
}
