// Queues audience syncs in the audience outbox: one row per enabled destination per applied
// change. A destination's first row is `full` (the whole membership); later rows carry diffs.
import { randomUUID } from "node:crypto";
import type { RawSql } from "@/lib/db/connection";

export interface EnqueueRequest {
  workspaceId: string;
  audienceId: string;
  /** The sync whose changes to send; null queues a full sync only (a destination switched on). */
  syncId: string | null;
  destinationIds: string[];
  at: string;
}

export async function enqueueSync(raw: RawSql, r: EnqueueRequest): Promise<number> {
  if (r.destinationIds.length === 0) return 0;
  const rows = await raw.query<{ id: string }>(
    `INSERT INTO "AudienceDelivery" ("id","workspaceId","audienceId","destinationId","syncId","full","nextAttemptAt","createdAt","updatedAt")
     SELECT t.id, $1, $2, t.did, $3, $3::text IS NULL OR NOT EXISTS (SELECT 1 FROM "AudienceDelivery" x WHERE x."audienceId" = $2 AND x."destinationId" = t.did), $4::timestamp, $4::timestamp, $4::timestamp
     FROM unnest($5::text[], $6::text[]) AS t(id, did)
     JOIN "Destination" d ON d."id" = t.did AND d."workspaceId" = $1
     WHERE $3::text IS NOT NULL OR NOT EXISTS (SELECT 1 FROM "AudienceDelivery" x WHERE x."audienceId" = $2 AND x."destinationId" = t.did AND x."status" IN ('pending','retrying') AND x."full")
     RETURNING "id"`,
    [r.workspaceId, r.audienceId, r.syncId, r.at, r.destinationIds.map(() => randomUUID()), r.destinationIds],
  );
  return rows.length;
}
