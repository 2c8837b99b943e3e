// The worker step that keeps computed traits current: claims due rows of the recompute queue
// (dirty profiles), recomputes just those profiles, stores changed values with their history,
// schedules the next window expiry and queues changed values for every enabled Heap destination.
import { randomUUID } from "node:crypto";
import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { enqueueHeapSyncs, type HeapSyncRequest } from "@/lib/traits/heap-outbox";
import { type LoadedProfile, loadBatch } from "@/lib/traits/load-inputs";
import { changedHeapProperties, changedTraits, computeTraits, type TraitChangeRow } from "@/lib/traits/profile-values";

/** Queue kinds: why a profile is due. */
export type RecomputeKind = "input" | "window" | "rule";

const REASONS: Record<RecomputeKind, string> = {
  input: "new data for this profile",
  window: "a counted event left its time window",
  rule: "a rule or destination changed",
};

const FAILED_BATCH_DELAY_MS = 5 * 60_000;

interface Claimed {
  profileId: string;
  kind: RecomputeKind;
  detail: string;
}

// Claims lock their rows in a subquery and touch them by key list (`= ANY(ARRAY(...))`), never by
// joining that subquery: these tables swing between empty and 100k rows, so their statistics are
// often stale, and a join planned for an "empty" table rescans the locking subquery once per row
// of the whole table (a minute per claim, measured under load). A key list is one index probe each.
// The queue's key has two columns: its rows are touched by ctid (stable while we hold the lock).

/** Due queue rows, oldest first ($1 now, $2 limit): deleted, returned. */
export const CLAIM_QUEUE_SQL = `DELETE FROM "ComputedTraitQueue" WHERE ctid = ANY(ARRAY(
     SELECT ctid FROM "ComputedTraitQueue" WHERE "dueAt" <= $1::timestamp ORDER BY "dueAt" LIMIT $2 FOR UPDATE SKIP LOCKED))
   RETURNING "profileId", "kind", "detail"`;

/** Due input marks, oldest first ($1 now, $2 limit): deleted, their profiles returned. */
export const CLAIM_INPUTS_SQL = `DELETE FROM "ComputedTraitInput" WHERE "id" = ANY(ARRAY(
     SELECT "id" FROM "ComputedTraitInput" WHERE "dueAt" <= $1::timestamp ORDER BY "dueAt" LIMIT $2 FOR UPDATE SKIP LOCKED))
   RETURNING "profileId"`;

/** Every other input mark of the claimed profiles ($1). */
export const CLAIM_PROFILE_INPUTS_SQL = `DELETE FROM "ComputedTraitInput" WHERE "id" = ANY(ARRAY(
     SELECT "id" FROM "ComputedTraitInput" WHERE "profileId" = ANY($1::text[]) FOR UPDATE SKIP LOCKED))`;

/**
 * Claims (deletes) due queue rows and input marks inside the recompute transaction (SKIP LOCKED:
 * concurrent workers take different rows). A claimed profile's other input marks go too: the
 * recompute reads every event they stand for. Ingestion never waits on this: input marks are
 * append-only.
 */
async function claimDue(raw: RawSql, now: Date, limit: number): Promise<Claimed[]> {
  const queued = await raw.query<Claimed>(CLAIM_QUEUE_SQL, [now.toISOString(), limit]);
  const inputs = await raw.query<{ profileId: string }>(CLAIM_INPUTS_SQL, [now.toISOString(), limit]);
  const profiles = [...new Set(inputs.map((i) => i.profileId))];
  if (profiles.length) await raw.query(CLAIM_PROFILE_INPUTS_SQL, [profiles]);
  return [...queued, ...profiles.map((profileId) => ({ profileId, kind: "input" as const, detail: "" }))];
}

function reasonOf(claims: Claimed[]): string {
  return [...new Set(claims.map((c) => (c.kind === "rule" && c.detail ? c.detail : (REASONS[c.kind] ?? c.kind))))].join(
    "; ",
  );
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

async function writeValues(
  raw: RawSql,
  rows: { profile: LoadedProfile; change: TraitChangeRow; reason: string }[],
  at: string,
) {
  const set = rows.filter((r) => r.change.value !== undefined);
  const removed = rows.filter((r) => r.change.value === undefined);
  if (set.length) {
    await raw.query(
      `INSERT INTO "ProfileComputedTrait" ("profileId","key","workspaceId","value","computedAt")
       SELECT t.pid, t.key, t.ws, t.val::jsonb, $5::timestamp FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(pid, key, ws, val)
       ON CONFLICT ("profileId","key") DO UPDATE SET "value" = EXCLUDED."value", "computedAt" = EXCLUDED."computedAt"`,
      [
        set.map((r) => r.profile.id),
        set.map((r) => r.change.key),
        set.map((r) => r.profile.workspaceId),
        set.map((r) => json(r.change.value)),
        at,
      ],
    );
  }
  if (removed.length) {
    await raw.query(
      `DELETE FROM "ProfileComputedTrait" c USING unnest($1::text[], $2::text[]) AS t(pid, key) WHERE c."profileId" = t.pid AND c."key" = t.key`,
      [removed.map((r) => r.profile.id), removed.map((r) => r.change.key)],
    );
  }
  if (rows.length) {
    await raw.query(
      `INSERT INTO "ComputedTraitChange" ("id","workspaceId","profileId","key","value","previous","reason","createdAt")
       SELECT t.id, t.ws, t.pid, t.key, t.val::jsonb, t.prev::jsonb, t.reason, $8::timestamp
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, ws, pid, key, val, prev, reason)`,
      [
        rows.map(() => randomUUID()),
        rows.map((r) => r.profile.workspaceId),
        rows.map((r) => r.profile.id),
        rows.map((r) => r.change.key),
        rows.map((r) => json(r.change.value)),
        rows.map((r) => json(r.change.previous)),
        rows.map((r) => r.reason),
        at,
      ],
    );
  }
}

/** The earliest time a counted event leaves a window becomes the profile's "window" queue row. */
async function scheduleExpiries(raw: RawSql, profiles: LoadedProfile[]) {
  const due = profiles.filter((p) => p.nextExpiry);
  if (due.length === 0) return;
  await raw.query(
    `INSERT INTO "ComputedTraitQueue" ("profileId","kind","workspaceId","dueAt","detail")
     SELECT t.pid, 'window', t.ws, t.due::timestamp, '' FROM unnest($1::text[], $2::text[], $3::text[]) AS t(pid, ws, due)
     ON CONFLICT ("profileId","kind") DO UPDATE SET "dueAt" = EXCLUDED."dueAt"`,
    [due.map((p) => p.id), due.map((p) => p.workspaceId), due.map((p) => p.nextExpiry!.toISOString())],
  );
}

async function recomputeInTransaction(raw: RawSql, now: Date, limit: number): Promise<number> {
  const claimed = await claimDue(raw, now, limit);
  if (claimed.length === 0) return 0;
  const claimsBy = new Map<string, Claimed[]>();
  for (const c of claimed) claimsBy.set(c.profileId, [...(claimsBy.get(c.profileId) ?? []), c]);
  const batch = await loadBatch(raw, [...claimsBy.keys()], now);
  const at = now.toISOString();
  const changes: Parameters<typeof writeValues>[1] = [];
  const syncs: HeapSyncRequest[] = [];
  for (const profile of batch.profiles) {
    const values = computeTraits(profile.inputs);
    const reason = reasonOf(claimsBy.get(profile.id) ?? []);
    for (const change of changedTraits(profile.stored, values)) changes.push({ profile, change, reason });
    const properties = changedHeapProperties(profile.stored, values);
    if (Object.keys(properties).length === 0) continue;
    for (const d of batch.heapDestinations.get(profile.workspaceId) ?? []) {
      syncs.push({
        workspaceId: profile.workspaceId,
        destinationId: d.id,
        profileId: profile.id,
        identity: profile.userId,
        properties,
      });
    }
  }
  await writeValues(raw, changes, at);
  await scheduleExpiries(raw, batch.profiles);
  await enqueueHeapSyncs(raw, syncs, now);
  return claimsBy.size;
}

/** One pass: recomputes up to `limit` due profiles. Returns how many it recomputed. */
export async function recomputeDueProfiles(opts: { now?: Date; limit?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const limit = opts.limit ?? 200;
  try {
    return await database().transaction((raw) => recomputeInTransaction(raw, now, limit));
  } catch (error) {
    // Push the failing batch back so it cannot block the queue; it is tried again later.
    const params = [now.toISOString(), new Date(now.getTime() + FAILED_BATCH_DELAY_MS).toISOString(), limit];
    await database().raw.query(
      `UPDATE "ComputedTraitQueue" SET "dueAt" = $2::timestamp WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM "ComputedTraitQueue" WHERE "dueAt" <= $1::timestamp ORDER BY "dueAt" LIMIT $3 FOR UPDATE SKIP LOCKED))`,
      params,
    );
    await database().raw.query(
      `UPDATE "ComputedTraitInput" SET "dueAt" = $2::timestamp WHERE "id" = ANY(ARRAY(
         SELECT "id" FROM "ComputedTraitInput" WHERE "dueAt" <= $1::timestamp ORDER BY "dueAt" LIMIT $3 FOR UPDATE SKIP LOCKED))`,
      params,
    );
    throw error;
  }
}

/** Marks profiles for recompute (rule changes, destination changes): set-based, idempotent. */
export async function markProfiles(
  raw: RawSql,
  select: { sql: string; params: unknown[] },
  kind: RecomputeKind,
  detail: string,
  now = new Date(),
) {
  const n = select.params.length;
  await raw.query(
    `INSERT INTO "ComputedTraitQueue" ("profileId","kind","workspaceId","dueAt","detail")
     SELECT s."id", $${n + 1}, s."workspaceId", $${n + 2}::timestamp, $${n + 3} FROM (${select.sql}) s
     ON CONFLICT ("profileId","kind") DO UPDATE SET "dueAt" = LEAST("ComputedTraitQueue"."dueAt", EXCLUDED."dueAt"), "detail" = EXCLUDED."detail"`,
    [...select.params, kind, now.toISOString(), detail],
  );
}

/** Every profile of a workspace: when something all of them read changes (a rule, the enabled destinations). */
export async function markWorkspaceProfiles(workspaceId: string, kind: RecomputeKind, detail: string) {
  await markProfiles(
    database().raw,
    { sql: `SELECT "id", "workspaceId" FROM "Profile" WHERE "workspaceId" = $1`, params: [workspaceId] },
    kind,
    detail,
  );
}
