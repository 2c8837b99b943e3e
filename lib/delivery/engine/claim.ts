// Claiming due outbox rows: FOR UPDATE SKIP LOCKED so any number of workers share the queue
// without taking the same row; a claim is a lease, so a dead worker's rows come back.
import type { RawSql } from "@/lib/db/connection";

export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  eventRowId: string;
  destinationId: string;
  attempts: number;
  createdAt: Date;
}

export async function claimDue(raw: RawSql, workerId: string, limit: number, leaseMs: number, now = new Date()): Promise<ClaimedDelivery[]> {
  const nowIso = now.toISOString();
  return raw.query<ClaimedDelivery>(
    `UPDATE "Delivery" d SET "leaseUntil" = $1::timestamp, "leasedBy" = $2
     FROM (SELECT "id" FROM "Delivery"
           WHERE "status" IN ('pending', 'retrying') AND "nextAttemptAt" <= $3::timestamp AND ("leaseUntil" IS NULL OR "leaseUntil" < $3::timestamp)
           ORDER BY "nextAttemptAt" LIMIT $4 FOR UPDATE SKIP LOCKED) due
     WHERE d."id" = due."id"
     RETURNING d."id", d."workspaceId", d."eventRowId", d."destinationId", d."attempts", d."createdAt"`,
    [new Date(now.getTime() + leaseMs).toISOString(), workerId, nowIso, limit],
  );
}
