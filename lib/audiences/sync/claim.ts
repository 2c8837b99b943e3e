// Claiming due audience outbox rows (leased, SKIP LOCKED like the event outbox). Rows of one
// (audience, destination) go strictly in order: a row waits while an older one is unsent.
import type { RawSql } from "@/lib/db/connection";

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

export async function claimDueAudienceSyncs(
  raw: RawSql,
  workerId: string,
  limit: number,
  leaseMs: number,
  now = new Date(),
): Promise<ClaimedAudienceSync[]> {
  const nowIso = now.toISOString();
  return raw.query<ClaimedAudienceSync>(
    `UPDATE "AudienceDelivery" d SET "leaseUntil" = $1::timestamp, "leasedBy" = $2
     WHERE d."id" = ANY(ARRAY(SELECT x."id" FROM "AudienceDelivery" x
           WHERE x."status" IN ('pending', 'retrying') AND x."nextAttemptAt" <= $3::timestamp AND (x."leaseUntil" IS NULL OR x."leaseUntil" < $3::timestamp)
             AND NOT EXISTS (SELECT 1 FROM "AudienceDelivery" o WHERE o."audienceId" = x."audienceId" AND o."destinationId" = x."destinationId"
                             AND o."status" IN ('pending', 'retrying') AND o."seq" < x."seq")
           ORDER BY x."nextAttemptAt" LIMIT $4 FOR UPDATE SKIP LOCKED))
     RETURNING d."id", d."workspaceId", d."audienceId", d."destinationId", d."syncId", d."full", d."attempts", d."createdAt"`,
    [new Date(now.getTime() + leaseMs).toISOString(), workerId, nowIso, limit],
  );
}
