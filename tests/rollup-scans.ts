// Every rollup of a workspace beside the same numbers from a full scan of what was stored: the
// exactness check of tests/rollups.test.ts (a rollup added to the aggregator gets its scan here).
import assert from "node:assert/strict";
import { database, db } from "@/lib/db";
import { withExchanges } from "@/lib/delivery/attempt-log";
import { latencyBucketOf } from "@/lib/metrics/latency";

/** Every event counter of the workspace, from the rollups and from a full scan of Event. */
export async function eventCounts(workspaceId: string) {
  const [rollup, scan] = await Promise.all([
    database().raw.query<{ k: string; n: string }>(
      `SELECT concat_ws('|', to_char("bucket", 'YYYY-MM-DD HH24'), "sourceId", "sourceEvent", "mappingId", "canonicalEventId", "status") AS k, "count"::text AS n
       FROM "EventRollup" WHERE "workspaceId" = $1`,
      [workspaceId],
    ),
    // Stored events by status, and exact repeats (no Event row) from their DuplicateCall rows.
    database().raw.query<{ k: string; n: string }>(
      `SELECT concat_ws('|', to_char(date_trunc('hour', "receivedAt"), 'YYYY-MM-DD HH24'), coalesce("sourceId", ''), "sourceEvent",
         coalesce("mappingId", ''), coalesce("canonicalEventId", ''), "status"::text) AS k, count(*)::text AS n
       FROM "Event" WHERE "workspaceId" = $1 GROUP BY 1
       UNION ALL
       SELECT concat_ws('|', to_char(date_trunc('hour', "receivedAt"), 'YYYY-MM-DD HH24'), coalesce("sourceId", ''), "sourceEvent",
         coalesce("mappingId", ''), coalesce("canonicalEventId", ''), 'duplicate') AS k, count(*)::text AS n
       FROM "DuplicateCall" WHERE "workspaceId" = $1 GROUP BY 1`,
      [workspaceId],
    ),
  ]);
  const asMap = (rows: { k: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]).sort());
  return { rollup: asMap(rollup), scan: asMap(scan) };
}

/** Every delivery counter of the workspace, from the rollups and from the attempt log read in full. */
export async function deliveryCounts(workspaceId: string) {
  const rollup = await database().raw.query<{ k: string; n: string; ms: string }>(
    `SELECT concat_ws('|', to_char("bucket", 'YYYY-MM-DD HH24'), "destinationId", "canonicalEventId", "outcome", "reason", "latencyBucket") AS k,
       "count"::text AS n, "latencySumMs"::text AS ms FROM "DeliveryRollup" WHERE "workspaceId" = $1`,
    [workspaceId],
  );
  const deliveries = new Map((await db().delivery.findMany({ where: { workspaceId } })).map((d) => [d.id, d]));
  const attempts = (
    await withExchanges(await db().deliveryAttempt.findMany({ where: { deliveryId: { in: [...deliveries.keys()] } } }))
  ).map((a) => ({ ...a, delivery: deliveries.get(a.deliveryId)! }));
  // Each delivery's event, loaded apart (Event is partitioned: no relation).
  const eventOf = new Map(
    (
      await db().event.findMany({
        where: { workspaceId },
        select: { id: true, canonicalEventId: true, receivedAt: true },
      })
    ).map((e) => [e.id, e]),
  );
  const scan: Record<string, { n: number; ms: number }> = {};
  for (const a of attempts) {
    const reason =
      a.outcome === "success"
        ? ""
        : a.outcome === "skipped"
          ? "skipped"
          : a.outcome === "permanent"
            ? a.exchange
              ? "platform_rejected"
              : a.code || "not_sent"
            : a.nextAttemptAt === null
              ? "retries_exhausted"
              : "";
    const outcome =
      a.outcome === "success"
        ? "sent"
        : a.outcome === "skipped"
          ? "skipped"
          : a.outcome === "permanent" || a.nextAttemptAt === null
            ? "dead"
            : "retrying";
    const hour = a.createdAt.toISOString().slice(0, 13).replace("T", " ");
    const bucket = a.exchange ? latencyBucketOf(a.exchange.latencyMs) : -1;
    const k = [
      hour,
      a.delivery.destinationId,
      eventOf.get(a.delivery.eventRowId)?.canonicalEventId ?? "",
      outcome,
      reason,
      bucket,
    ].join("|");
    scan[k] ??= { n: 0, ms: 0 };
    scan[k].n++;
    scan[k].ms += a.exchange?.latencyMs ?? 0;
  }
  // Queued: every outbox row, at its event's arrival hour (ingest's and backfill's alike).
  const outbox = await db().delivery.findMany({
    where: { workspaceId },
    select: { destinationId: true, eventRowId: true },
  });
  for (const d of outbox) {
    const event = eventOf.get(d.eventRowId)!;
    const hour = event.receivedAt.toISOString().slice(0, 13).replace("T", " ");
    const k = [hour, d.destinationId, event.canonicalEventId ?? "", "queued", "", -1].join("|");
    scan[k] ??= { n: 0, ms: 0 };
    scan[k].n++;
  }
  const fromRollup = Object.fromEntries(rollup.map((r) => [r.k, { n: Number(r.n), ms: Number(r.ms) }]));
  return { rollup: fromRollup, scan, outcomes: new Set(Object.keys(scan).map((k) => k.split("|")[3])) };
}

/** Every label counter of the workspace (EventLabel), and the same from a full scan of Event. */
export async function labelCounts(workspaceId: string) {
  const key = `concat_ws('|', "sourceId", "sourceEvent", "kind", "status", "mappingId", "canonicalEventId", to_char("firstSeenAt", 'YYYY-MM-DD HH24:MI:SS.MS'), to_char("lastSeenAt", 'YYYY-MM-DD HH24:MI:SS.MS'))`;
  const [labels, scan] = await Promise.all([
    database().raw.query<{ k: string; n: string }>(
      `SELECT ${key} AS k, "count"::text AS n FROM "EventLabel" WHERE "workspaceId" = $1`,
      [workspaceId],
    ),
    database().raw.query<{ k: string; n: string }>(
      `SELECT ${key} AS k, "n" FROM (SELECT coalesce("sourceId", '') AS "sourceId", "sourceEvent", "kind", "status"::text AS "status",
         coalesce("mappingId", '') AS "mappingId", coalesce("canonicalEventId", '') AS "canonicalEventId",
         min("receivedAt") AS "firstSeenAt", max("receivedAt") AS "lastSeenAt", count(*)::text AS "n"
       FROM "Event" WHERE "workspaceId" = $1 GROUP BY 1, 2, 3, 4, 5, 6) g`,
      [workspaceId],
    ),
  ]);
  const asMap = (rows: { k: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]).sort());
  return { labels: asMap(labels), scan: asMap(scan) };
}

/** Every label-free counter (EventStatusRollup), and the same from a full scan of Event and DuplicateCall. */
export async function statusCounts(workspaceId: string) {
  const key = (status: string) =>
    `concat_ws('|', to_char(date_trunc('hour', "receivedAt"), 'YYYY-MM-DD HH24'), coalesce("canonicalEventId", ''),
       CASE WHEN "canonicalEventId" IS NULL THEN coalesce("mappingId", '') ELSE '' END, ${status})`;
  const [rollup, scan] = await Promise.all([
    database().raw.query<{ k: string; n: string }>(
      `SELECT concat_ws('|', to_char("bucket", 'YYYY-MM-DD HH24'), "canonicalEventId", "mappingId", "status") AS k, "count"::text AS n
       FROM "EventStatusRollup" WHERE "workspaceId" = $1`,
      [workspaceId],
    ),
    database().raw.query<{ k: string; n: string }>(
      `SELECT ${key(`"status"::text`)} AS k, count(*)::text AS n FROM "Event" WHERE "workspaceId" = $1 GROUP BY 1
       UNION ALL
       SELECT ${key(`'duplicate'`)} AS k, count(*)::text AS n FROM "DuplicateCall" WHERE "workspaceId" = $1 GROUP BY 1`,
      [workspaceId],
    ),
  ]);
  const asMap = (rows: { k: string; n: string }[]) => Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]).sort());
  return { rollup: asMap(rollup), scan: asMap(scan) };
}

/** Every DeliveryHealthRollup counter: hour|destination|outcome|latency bucket. */
async function healthCounts(workspaceId: string) {
  const rows = await database().raw.query<{ k: string; n: string; ms: string }>(
    `SELECT concat_ws('|', to_char("bucket", 'YYYY-MM-DD HH24'), "destinationId", "outcome", "latencyBucket") AS k,
       "count"::text AS n, "latencySumMs"::text AS ms FROM "DeliveryHealthRollup" WHERE "workspaceId" = $1`,
    [workspaceId],
  );
  return Object.fromEntries(rows.map((r) => [r.k, { n: Number(r.n), ms: Number(r.ms) }]).sort());
}

/** The attempts' scan (deliveryCounts) without canonical event and reason, and without the outbox's queued rows. */
function healthOf(scan: Record<string, { n: number; ms: number }>) {
  const out: Record<string, { n: number; ms: number }> = {};
  for (const [k, v] of Object.entries(scan)) {
    const [hour, dest, , outcome, , bucket] = k.split("|");
    if (outcome === "queued") continue;
    const key = [hour, dest, outcome, bucket].join("|");
    out[key] ??= { n: 0, ms: 0 };
    out[key].n += v.n;
    out[key].ms += v.ms;
  }
  return Object.fromEntries(Object.entries(out).sort());
}

/** Every DeliveryDayRollup counter: day|destination|canonical event|outcome|reason. */
async function dayCounts(workspaceId: string) {
  const rows = await database().raw.query<{ k: string; n: string }>(
    `SELECT concat_ws('|', to_char("day", 'YYYY-MM-DD'), "destinationId", "canonicalEventId", "outcome", "reason") AS k, "count"::text AS n
     FROM "DeliveryDayRollup" WHERE "workspaceId" = $1`,
    [workspaceId],
  );
  return Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]).sort());
}

/** The attempts' and outbox rows' scan (deliveryCounts) by UTC day, without the latency bucket. */
function daysOf(scan: Record<string, { n: number; ms: number }>) {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(scan)) {
    const [hour, dest, ce, outcome, reason] = k.split("|");
    const key = [hour!.slice(0, 10), dest, ce, outcome, reason].join("|");
    out[key] = (out[key] ?? 0) + v.n;
  }
  return Object.fromEntries(Object.entries(out).sort());
}

export async function assertExact(workspaceId: string) {
  const events = await eventCounts(workspaceId);
  assert.deepEqual(events.rollup, events.scan);
  const labels = await labelCounts(workspaceId);
  assert.deepEqual(labels.labels, labels.scan, "the labels table agrees with the events");
  const statuses = await statusCounts(workspaceId);
  assert.deepEqual(statuses.rollup, statuses.scan, "the label-free counters agree with the events");
  const deliveries = await deliveryCounts(workspaceId);
  assert.deepEqual(deliveries.rollup, deliveries.scan);
  assert.deepEqual(
    await healthCounts(workspaceId),
    healthOf(deliveries.scan),
    "the health counters agree with the attempts",
  );
  assert.deepEqual(await dayCounts(workspaceId), daysOf(deliveries.scan), "the day counters agree with the attempts");
  return { events, deliveries, statuses };
}
