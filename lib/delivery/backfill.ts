// Backfill: send a mapping's past accepted events to a destination toggled on later. Never
// automatic; a dry run counts first. Events already queued there are left alone.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { AppError, notFound } from "@/lib/errors";
import { DELIVERY_DAY_UPSERT_SQL } from "@/lib/metrics/aggregate";
import { recordAudit } from "@/lib/registry/audit";
import type { BackfillInput } from "@/lib/validations/delivery";

export async function backfillMapping(actor: Actor, mappingId: string, input: BackfillInput) {
  assertCan(actor, "mapping.toggleDestination");
  const mapping = await db().mapping.findFirst({
    where: { id: mappingId, workspaceId: actor.workspaceId },
    include: { destinations: true },
  });
  if (!mapping) throw notFound("Mapping");
  const toggle = mapping.destinations.find((d) => d.destinationId === input.destination_id);
  if (!toggle?.enabled) {
    throw new AppError("unprocessable", "Turn this destination on for the mapping before backfilling it", [
      { path: "destination_id", message: "not enabled on this mapping" },
    ]);
  }
  const params = [
    actor.workspaceId,
    mappingId,
    input.destination_id,
    input.from?.toISOString() ?? null,
    input.to?.toISOString() ?? null,
  ];
  const scope = `FROM "Event" e WHERE e."workspaceId" = $1 AND e."mappingId" = $2 AND e."status" = 'accepted'
    AND ($4::timestamp IS NULL OR e."receivedAt" >= $4::timestamp) AND ($5::timestamp IS NULL OR e."receivedAt" <= $5::timestamp)
    AND NOT EXISTS (SELECT 1 FROM "Delivery" d WHERE d."eventRowId" = e."id" AND d."destinationId" = $3)`;
  const [{ count }] = (await database().raw.query<{ count: number }>(
    `SELECT count(*)::int AS count ${scope}`,
    params,
  )) as [{ count: number }];
  if (input.dry_run) return { dry_run: true, matching: count };
  const queued = await database().transaction(async (raw) => {
    // The rows count themselves as queued (at their event's hour) in the same statement: the
    // aggregator counts only the outbox rows ingest wrote with their events (lib/metrics/aggregate.ts).
    const rows = await raw.query<{ id: string }>(
      `WITH ins AS (
         INSERT INTO "Delivery" ("id","workspaceId","eventRowId","eventReceivedAt","canonicalEventId","destinationId","status","attempts","nextAttemptAt","createdAt","updatedAt")
         SELECT gen_random_uuid()::text, e."workspaceId", e."id", e."receivedAt", e."canonicalEventId", $3, 'pending', 0, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' ${scope}
         ON CONFLICT ("eventRowId","destinationId") DO NOTHING RETURNING "id", "eventRowId", "eventReceivedAt"
       ), delta AS (
         SELECT e."workspaceId" AS ws, date_trunc('hour', e."receivedAt") AS bucket, $3::text AS dest, coalesce(e."canonicalEventId", '') AS ce,
           'queued'::text AS outcome, ''::text AS reason, count(*) AS n
         FROM ins JOIN "Event" e ON e."id" = ins."eventRowId" AND e."receivedAt" = ins."eventReceivedAt" GROUP BY 1, 2, 3, 4
       ), counted AS (
         INSERT INTO "DeliveryRollup" AS r ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket","count","latencySumMs")
         SELECT ws, bucket, dest, ce, outcome, reason, -1, n, 0 FROM delta
         ON CONFLICT ("workspaceId","bucket","destinationId","canonicalEventId","outcome","reason","latencyBucket") DO UPDATE
         SET "count" = r."count" + EXCLUDED."count"
       ), daily AS (${DELIVERY_DAY_UPSERT_SQL})
       SELECT "id" FROM ins`,
      params,
    );
    return rows.length;
  });
  await db().$transaction((tx) =>
    recordAudit(tx, actor, {
      action: "mapping.backfill",
      entityType: "mapping",
      entityId: mappingId,
      summary: `backfilled ${queued} events to destination ${input.destination_id}`,
      after: { ...input, queued },
    }),
  );
  return { dry_run: false, matching: count, queued };
}
