// The Heap sync outbox: changed computed values wait in TraitSync until the worker sends them with
// add_user_properties (bulk), through the engine's send / classify / retry policy / attempt log.
// Rows of one (destination, profile) go oldest first, and a waiting row absorbs newer changes,
// so Heap ends with the latest values whatever the retries; a Heap outage only delays them.
import { randomUUID } from "node:crypto";
import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { claimInOrder, dueCte } from "@/lib/db/ordered-claim";
import {
  buildHeapRequest,
  classifyHeapAnswer,
  type HeapValue,
  heapConfigSchema,
  heapDestination,
  heapIdentityProblem,
} from "@/lib/delivery/destinations/heap";
import type { Outcome } from "@/lib/delivery/destinations/types";
import { type DeliverOptions, settle } from "@/lib/delivery/engine/deliver";
import type { LoadedDestination } from "@/lib/delivery/engine/load";
import { type OutboxTables, recordOutcomes, type Settled } from "@/lib/delivery/engine/record";
import { refusedOutcome, send } from "@/lib/delivery/engine/send";
import { OutboundRefused } from "@/lib/delivery/outbound";

export const TRAIT_SYNC_TABLES: OutboxTables = { outbox: "TraitSync", attempts: "TraitSyncAttempt", key: "syncId" };

/** What the Heap outbox needs of the worker's options: how to send, and how much to claim for how long. */
export interface HeapSyncOptions extends DeliverOptions {
  batchSize: number;
  leaseMs: number;
}

export interface HeapSyncRequest {
  workspaceId: string;
  destinationId: string;
  profileId: string;
  identity: string;
  properties: Record<string, HeapValue>;
}

/** Queues changed properties: merged into a row still waiting (not in flight), else a new row. Two statements. */
export async function enqueueHeapSyncs(raw: RawSql, syncs: HeapSyncRequest[], now: Date): Promise<void> {
  if (syncs.length === 0) return;
  const at = now.toISOString();
  const merged = await raw.query<{ destinationId: string; profileId: string }>(
    `UPDATE "TraitSync" s SET "properties" = s."properties" || t.props::jsonb, "updatedAt" = $4::timestamp
     FROM unnest($1::text[], $2::text[], $3::text[]) AS t(did, pid, props)
     WHERE s."destinationId" = t.did AND s."profileId" = t.pid AND s."status" IN ('pending', 'retrying')
       AND (s."leaseUntil" IS NULL OR s."leaseUntil" < $4::timestamp)
     RETURNING s."destinationId", s."profileId"`,
    [
      syncs.map((s) => s.destinationId),
      syncs.map((s) => s.profileId),
      syncs.map((s) => JSON.stringify(s.properties)),
      at,
    ],
  );
  const done = new Set(merged.map((m) => `${m.destinationId}:${m.profileId}`));
  const fresh = syncs.filter((s) => !done.has(`${s.destinationId}:${s.profileId}`));
  if (fresh.length === 0) return;
  await raw.query(
    `INSERT INTO "TraitSync" ("id","workspaceId","destinationId","profileId","identity","properties","status","nextAttemptAt","createdAt","updatedAt")
     SELECT t.id, t.ws, t.did, t.pid, t.identity, t.props::jsonb, 'pending', $7::timestamp, $7::timestamp, $7::timestamp
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, ws, did, pid, identity, props)`,
    [
      fresh.map(() => randomUUID()),
      fresh.map((s) => s.workspaceId),
      fresh.map((s) => s.destinationId),
      fresh.map((s) => s.profileId),
      fresh.map((s) => s.identity),
      fresh.map((s) => JSON.stringify(s.properties)),
      at,
    ],
  );
}

interface ClaimedSync {
  id: string;
  destinationId: string;
  identity: string;
  properties: Record<string, HeapValue>;
  attempts: number;
  createdAt: Date;
}

/** $1 lease until, $2 worker id, $3 now, $4 limit: only the oldest waiting row of each (destination, profile). */
export const CLAIM_DUE_SYNCS_SQL = `WITH ${dueCte(
  "TraitSync",
  "t",
  `NOT EXISTS (SELECT 1 FROM "TraitSync" o WHERE o."destinationId" = t."destinationId" AND o."profileId" = t."profileId"
     AND o."status" IN ('pending', 'retrying') AND (o."createdAt", o."id") < (t."createdAt", t."id"))`,
)}
     UPDATE "TraitSync" s SET "leaseUntil" = $1::timestamp, "leasedBy" = $2
     WHERE s."id" = ANY(ARRAY(SELECT "id" FROM due))
     RETURNING s."id", s."destinationId", s."identity", s."properties", s."attempts", s."createdAt"`;

type SyncOutcome = Outcome | { outcome: "skipped"; reason: string };

function settleSync(row: ClaimedSync, outcome: SyncOutcome, opts: HeapSyncOptions, now: Date): Settled {
  const createdAt = new Date(row.createdAt);
  return settle(
    { claim: row, event: { occurredAt: createdAt, storedAt: createdAt } },
    outcome,
    heapDestination,
    opts,
    now,
  );
}

async function syncDestination(rows: ClaimedSync[], destination: LoadedDestination | undefined, opts: HeapSyncOptions) {
  const now = opts.now?.() ?? new Date();
  const record = (exchange: Parameters<typeof recordOutcomes>[0], settled: Settled[], at: Date) =>
    recordOutcomes(exchange, settled, at, TRAIT_SYNC_TABLES);
  if (!destination?.enabled || destination.type !== "heap") {
    await record(
      null,
      rows.map((r) => settleSync(r, { outcome: "skipped", reason: "the Heap destination is disabled" }, opts, now)),
      now,
    );
    return;
  }
  const config = heapConfigSchema.safeParse(destination.config);
  if (!config.success) {
    const reason = `destination settings are incomplete: ${config.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`;
    await record(
      null,
      rows.map((r) => settleSync(r, { outcome: "retry", reason }, opts, now)),
      now,
    );
    return;
  }
  let baseUrl: string;
  try {
    baseUrl = opts.baseUrlFor(destination);
  } catch (error) {
    if (!(error instanceof OutboundRefused)) throw error;
    const refused: Outcome = { outcome: "permanent", reason: error.message };
    await record(
      null,
      rows.map((r) => settleSync(r, refused, opts, now)),
      now,
    );
    return;
  }
  const settings = { config: config.data, secrets: {}, testMode: destination.testMode, baseUrl, now };
  const refused = rows.flatMap((r) => {
    const problem = heapIdentityProblem(r.identity);
    return problem ? [settleSync(r, { outcome: "permanent", reason: problem }, opts, now)] : [];
  });
  if (refused.length) await record(null, refused, now);
  const sendable = rows.filter((r) => !heapIdentityProblem(r.identity));
  for (let i = 0; i < sendable.length; i += config.data.max_batch) {
    const chunk = sendable.slice(i, i + config.data.max_batch);
    const request = buildHeapRequest(
      chunk.map((r) => ({ identity: r.identity, properties: r.properties })),
      settings,
    );
    const exchange = await send(request, opts.timeoutMs ?? 10_000, opts.fetchImpl);
    const outcome = refusedOutcome(exchange.answer) ?? classifyHeapAnswer(exchange.answer);
    const at = opts.now?.() ?? new Date();
    await record(
      { destinationId: destination.id, method: request.method, request: request.log, ...exchange },
      chunk.map((r) => settleSync(r, outcome, opts, at)),
      at,
    );
  }
}

/** One pass of the Heap sync outbox. Returns how many rows it claimed. */
export async function processHeapSyncs(workerId: string, opts: HeapSyncOptions): Promise<number> {
  const now = opts.now?.() ?? new Date();
  const claimed = await claimInOrder<ClaimedSync>(database(), CLAIM_DUE_SYNCS_SQL, {
    workerId,
    limit: opts.batchSize,
    leaseMs: opts.leaseMs,
    now,
  });
  if (claimed.length === 0) return 0;
  const ids = [...new Set(claimed.map((c) => c.destinationId))];
  const destinations = await database().raw.query<Omit<LoadedDestination, "secrets">>(
    `SELECT "id", "type", "name", "enabled", "testMode", "config" FROM "Destination" WHERE "id" = ANY($1::text[])`,
    [ids],
  );
  const byId = new Map(destinations.map((d) => [d.id, { ...d, secrets: {} }]));
  await Promise.all(
    ids.map((id) =>
      syncDestination(
        claimed.filter((c) => c.destinationId === id),
        byId.get(id),
        opts,
      ),
    ),
  );
  return claimed.length;
}
