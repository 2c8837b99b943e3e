// Audience membership writes, set-based: a members call (adds / removes), a full snapshot
// (mirror mode: the diff against the current membership is computed in SQL), paged uploads
// assembled in a staging table and applied when the last page arrives. Each applied change is
// one AudienceSync with its change log, queued to the audience's enabled destinations. All of
// it runs in one transaction holding the audience row lock, idempotent by request id.
import { randomUUID } from "node:crypto";
import { settingsOf } from "@/lib/audiences/manage-audiences";
import { enqueueSync } from "@/lib/audiences/sync/enqueue";
import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { AppError, notFound } from "@/lib/errors";
import type { MemberInput, MembersChangeInput, MembersSnapshotInput } from "@/lib/validations/audiences";

export type MemberKind = "user_id" | "anonymous_id";
export interface Member {
  kind: MemberKind;
  value: string;
}

/** What the members endpoints answer (stored per request id and answered again on a replay). */
export interface MembersAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface LockedAudience {
  id: string;
  key: string;
  workspaceId: string;
  destinations: unknown;
  memberCount: number;
}

export const toMembers = (list: MemberInput[]): Member[] =>
  list.map((m) =>
    m.user_id !== undefined ? { kind: "user_id", value: m.user_id } : { kind: "anonymous_id", value: m.anonymous_id! },
  );

const memberKey = (m: Member) => `${m.kind}\u0000${m.value}`;

/** A member both added and removed in one call is ambiguous: refused with the paths of the clashes. */
export function assertNoOverlap(adds: Member[], removes: Member[]): void {
  const added = new Set(adds.map(memberKey));
  const issues = removes.flatMap((m, i) =>
    added.has(memberKey(m)) ? [{ path: `remove.${i}`, message: `${m.kind} ${m.value} is also in add` }] : [],
  );
  if (issues.length)
    throw new AppError("invalid_request", "A member cannot be added and removed in the same call", issues.slice(0, 20));
}

/** Runs fn in a transaction holding the audience's row lock (membership writes of one audience are serialised). */
export function inAudience<T>(
  workspaceId: string,
  key: string,
  fn: (raw: RawSql, audience: LockedAudience) => Promise<T>,
): Promise<T> {
  return database().transaction(async (raw) => {
    const [audience] = await raw.query<LockedAudience>(
      `SELECT "id","key","workspaceId","destinations","memberCount" FROM "Audience" WHERE "workspaceId" = $1 AND "key" = $2 FOR UPDATE`,
      [workspaceId, key],
    );
    if (!audience) throw notFound(`Audience ${key}`);
    return fn(raw, audience);
  });
}

/** The stored answer when this request id was already handled, else runs fn and stores its answer. */
export async function once(
  raw: RawSql,
  audienceId: string,
  requestId: string | undefined,
  fn: () => Promise<MembersAnswer>,
): Promise<MembersAnswer & { replayed: boolean }> {
  if (!requestId) return { ...(await fn()), replayed: false };
  const fresh = await raw.query(
    `INSERT INTO "AudienceRequest" ("audienceId","requestId","createdAt") VALUES ($1, $2, now() AT TIME ZONE 'UTC') ON CONFLICT DO NOTHING RETURNING 1`,
    [audienceId, requestId],
  );
  if (fresh.length === 0) {
    const [stored] = await raw.query<{ result: MembersAnswer | null }>(
      `SELECT "result" FROM "AudienceRequest" WHERE "audienceId" = $1 AND "requestId" = $2`,
      [audienceId, requestId],
    );
    if (stored?.result) return { ...stored.result, replayed: true };
  }
  const answer = await fn();
  await raw.query(`UPDATE "AudienceRequest" SET "result" = $3::jsonb WHERE "audienceId" = $1 AND "requestId" = $2`, [
    audienceId,
    requestId,
    JSON.stringify(answer),
  ]);
  return { ...answer, replayed: false };
}

// SQL producing (kind, value) rows; $1 audience, $2 workspace, $3 time, $4 sync id, $5… the source's own.
type Source = { adds: string; removes: string; params: unknown[] } | { snapshot: string; params: unknown[] };

const unnestMembers = (from: number) =>
  `SELECT DISTINCT k AS kind, v AS value FROM unnest($${from}::text[], $${from + 1}::text[]) AS t(k, v)`;
const arrays = (members: Member[]) => [members.map((m) => m.kind), members.map((m) => m.value)];
const staged = (action: string) =>
  `SELECT "kind" AS kind, "value" AS value FROM "AudienceStagedMember" WHERE "audienceId" = $1 AND "batchKey" = $5 AND "action" = '${action}'`;

export const deltaOf = (adds: Member[], removes: Member[]): Source => ({
  adds: unnestMembers(5),
  removes: unnestMembers(7),
  params: [...arrays(adds), ...arrays(removes)],
});
export const snapshotOf = (members: Member[]): Source => ({ snapshot: unnestMembers(5), params: arrays(members) });
const stagedSnapshot = (batchKey: string): Source => ({ snapshot: staged("member"), params: [batchKey] });
export const stagedDelta = (batchKey: string): Source => ({
  adds: staged("add"),
  removes: staged("remove"),
  params: [batchKey],
});

// New members, with the profile they resolve to through the identity graph (user_id → Profile, anonymous_id → ProfileIdentity).
const insertFrom = (set: string) => `INSERT INTO "AudienceMember" ("audienceId","kind","value","profileId","addedAt")
  SELECT $1, x.kind, x.value, x.pid, $3::timestamp FROM (
    SELECT ${set}.kind, ${set}.value, COALESCE(pu."id", pi."profileId") AS pid FROM ${set}
    LEFT JOIN "Profile" pu ON ${set}.kind = 'user_id' AND pu."workspaceId" = $2 AND pu."userId" = ${set}.value
    LEFT JOIN "ProfileIdentity" pi ON ${set}.kind = 'anonymous_id' AND pi."workspaceId" = $2 AND pi."anonymousId" = ${set}.value
    WHERE NOT EXISTS (SELECT 1 FROM "AudienceMember" m WHERE m."audienceId" = $1 AND m."kind" = ${set}.kind AND m."value" = ${set}.value)) x
  ON CONFLICT DO NOTHING RETURNING "kind", "value", "profileId"`;

function changeSql(source: Source): string {
  const head =
    "snapshot" in source
      ? `WITH s AS (${source.snapshot}),
         added AS (${insertFrom("s")}),
         removed AS (DELETE FROM "AudienceMember" m WHERE m."audienceId" = $1 AND NOT EXISTS (SELECT 1 FROM s WHERE s.kind = m."kind" AND s.value = m."value") RETURNING m."kind", m."value", m."profileId")`
      : `WITH a AS (${source.adds}), r AS (${source.removes}),
         added AS (${insertFrom("a")}),
         removed AS (DELETE FROM "AudienceMember" m USING r WHERE m."audienceId" = $1 AND m."kind" = r.kind AND m."value" = r.value RETURNING m."kind", m."value", m."profileId")`;
  return `${head},
    logged AS (INSERT INTO "AudienceChange" ("syncId","action","kind","value","profileId")
      SELECT $4, 'add', "kind", "value", "profileId" FROM added UNION ALL SELECT $4, 'remove', "kind", "value", "profileId" FROM removed RETURNING "action")
    SELECT count(*) FILTER (WHERE "action" = 'add')::int AS adds, count(*) FILTER (WHERE "action" = 'remove')::int AS removes FROM logged`;
}

/** Applies one change as a sync: membership rows, change log, counts, and the outbox rows for enabled destinations. */
export async function applyChange(
  raw: RawSql,
  audience: LockedAudience,
  source: Source,
  via: string,
  requestRef: string | null,
): Promise<MembersAnswer> {
  const syncId = randomUUID();
  const at = new Date().toISOString();
  await raw.query(
    `INSERT INTO "AudienceSync" ("id","audienceId","via","requestRef","createdAt") VALUES ($1, $2, $3, $4, $5::timestamp)`,
    [syncId, audience.id, via, requestRef, at],
  );
  const [counts] = await raw.query<{ adds: number; removes: number }>(changeSql(source), [
    audience.id,
    audience.workspaceId,
    at,
    syncId,
    ...source.params,
  ]);
  const adds = counts?.adds ?? 0;
  const removes = counts?.removes ?? 0;
  await raw.query(`UPDATE "AudienceSync" SET "adds" = $2, "removes" = $3 WHERE "id" = $1`, [syncId, adds, removes]);
  const [updated] = await raw.query<{ memberCount: number }>(
    `UPDATE "Audience" SET "memberCount" = "memberCount" + $2 - $3, "updatedAt" = $4::timestamp WHERE "id" = $1 RETURNING "memberCount"`,
    [audience.id, adds, removes, at],
  );
  const enabled = settingsOf(audience)
    .filter((d) => d.enabled)
    .map((d) => d.destination_id);
  const queued =
    adds + removes > 0
      ? await enqueueSync(raw, {
          workspaceId: audience.workspaceId,
          audienceId: audience.id,
          syncId,
          destinationIds: enabled,
          at,
        })
      : 0;
  return {
    status: 200,
    body: {
      audience: audience.key,
      status: "applied",
      sync_id: syncId,
      added: adds,
      removed: removes,
      members: updated?.memberCount ?? 0,
      queued_destinations: queued,
    },
  };
}

/** Uploads whose last page never came are dropped after a week (checked when a new upload starts). */
async function dropAbandonedUploads(raw: RawSql, audienceId: string): Promise<void> {
  const stale = `SELECT "batchKey" FROM "AudienceStaging" WHERE "audienceId" = $1 AND "createdAt" < (now() AT TIME ZONE 'UTC') - interval '7 days'`;
  await raw.query(`DELETE FROM "AudienceStagedMember" WHERE "audienceId" = $1 AND "batchKey" IN (${stale})`, [
    audienceId,
  ]);
  await raw.query(`DELETE FROM "AudienceStaging" WHERE "audienceId" = $1 AND "batchKey" IN (${stale})`, [audienceId]);
}

/** Stages one page of a paged upload; true when every page has arrived. */
export async function stagePage(
  raw: RawSql,
  audience: LockedAudience,
  page: {
    batchKey: string;
    mode: "snapshot" | "delta";
    number: number;
    total: number;
    rows: { action: string; member: Member }[];
  },
): Promise<{ complete: boolean; received: number[] }> {
  const [existing] = await raw.query<{ totalPages: number; mode: string }>(
    `SELECT "totalPages", "mode" FROM "AudienceStaging" WHERE "audienceId" = $1 AND "batchKey" = $2`,
    [audience.id, page.batchKey],
  );
  if (!existing) await dropAbandonedUploads(raw, audience.id);
  if (existing && existing.totalPages !== page.total) {
    throw new AppError("conflict", `This upload was started with total_pages ${existing.totalPages}`, [
      { path: "total_pages", message: `must stay ${existing.totalPages}` },
    ]);
  }
  const [row] = await raw.query<{ pages: number[] }>(
    `INSERT INTO "AudienceStaging" ("audienceId","batchKey","mode","totalPages","pages","createdAt") VALUES ($1, $2, $3, $4, ARRAY[$5::int], now() AT TIME ZONE 'UTC')
     ON CONFLICT ("audienceId","batchKey") DO UPDATE SET "pages" = (SELECT array_agg(DISTINCT p ORDER BY p) FROM unnest("AudienceStaging"."pages" || $5::int) AS p)
     RETURNING "pages"`,
    [audience.id, page.batchKey, page.mode, page.total, page.number],
  );
  await raw.query(
    `INSERT INTO "AudienceStagedMember" ("audienceId","batchKey","action","kind","value")
     SELECT $1, $2, t.a, t.k, t.v FROM unnest($3::text[], $4::text[], $5::text[]) AS t(a, k, v) ON CONFLICT DO NOTHING`,
    [
      audience.id,
      page.batchKey,
      page.rows.map((r) => r.action),
      page.rows.map((r) => r.member.kind),
      page.rows.map((r) => r.member.value),
    ],
  );
  const received = row?.pages ?? [];
  return { complete: received.length >= page.total, received };
}

export async function applyStaged(
  raw: RawSql,
  audience: LockedAudience,
  batchKey: string,
  mode: "snapshot" | "delta",
  via: string,
  ref: string | null,
): Promise<MembersAnswer> {
  const answer = await applyChange(
    raw,
    audience,
    mode === "snapshot" ? stagedSnapshot(batchKey) : stagedDelta(batchKey),
    via,
    ref,
  );
  await raw.query(`DELETE FROM "AudienceStagedMember" WHERE "audienceId" = $1 AND "batchKey" = $2`, [
    audience.id,
    batchKey,
  ]);
  await raw.query(`DELETE FROM "AudienceStaging" WHERE "audienceId" = $1 AND "batchKey" = $2`, [audience.id, batchKey]);
  return answer;
}

/** POST /api/audiences/{key}/members: add and remove members. */
export async function changeMembers(workspaceId: string, key: string, input: MembersChangeInput) {
  const adds = toMembers(input.add);
  const removes = toMembers(input.remove);
  assertNoOverlap(adds, removes);
  return inAudience(workspaceId, key, (raw, audience) =>
    once(raw, audience.id, input.request_id, () =>
      applyChange(raw, audience, deltaOf(adds, removes), "api", input.request_id ?? null),
    ),
  );
}

/** PUT /api/audiences/{key}/members: the full membership (mirror mode), in one call or in pages. */
export async function putSnapshot(workspaceId: string, key: string, input: MembersSnapshotInput) {
  const members = toMembers(input.members);
  return inAudience(workspaceId, key, (raw, audience) =>
    once(raw, audience.id, input.request_id, async () => {
      if (input.snapshot_id === undefined)
        return applyChange(raw, audience, snapshotOf(members), "snapshot", input.request_id ?? null);
      const batchKey = `snapshot:${input.snapshot_id}`;
      const staged = await stagePage(raw, audience, {
        batchKey,
        mode: "snapshot",
        number: input.page!,
        total: input.total_pages!,
        rows: members.map((member) => ({ action: "member", member })),
      });
      if (!staged.complete) {
        return {
          status: 202,
          body: {
            audience: audience.key,
            status: "pending",
            snapshot_id: input.snapshot_id,
            pages_received: staged.received,
            total_pages: input.total_pages,
          },
        };
      }
      const answer = await applyStaged(raw, audience, batchKey, "snapshot", "snapshot", input.snapshot_id);
      return { status: 200, body: { ...answer.body, snapshot_id: input.snapshot_id } };
    }),
  );
}
