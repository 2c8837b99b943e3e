// Identity resolution inside the ingest statement or transaction, set-based: one profile per user_id;
// anonymous_id → profile links from identify, alias and captures carrying both ids; new links
// stitch earlier anonymous events (never re-sending them); an anonymous_id already linked to
// another user is recorded as a conflict, never merged.

import type { RawSql } from "@/lib/db/connection";
import { timeOrderedId } from "@/lib/ids";
import { processGlobal } from "@/lib/process-global";

export interface LinkRequest {
  workspaceId: string;
  userId: string;
  anonymousId: string;
  via: string;
  ref: string | null;
  /** The event call that asked for the link (none for identify). */
  rowId?: string;
}

export interface Owner {
  profileId: string;
  userId: string;
}

export const idKey = (ws: string, v: string) => `${ws}\u0000${v}`;

function sortedUnique<T>(items: T[], keyOf: (t: T) => string): T[] {
  return [...new Map(items.map((i) => [keyOf(i), i])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, i]) => i);
}

// A profile's id never changes once created, so known ids are cached per process (bounded):
// repeat users then cost no statement at all.
const MAX_KNOWN_PROFILES = 200_000;
const knownProfiles = processGlobal("__tracklayerProfiles", () => new Map<string, string>());

/** Creates missing profiles (in key order, so concurrent batches lock alike); returns ids by workspace + user_id. */
export async function ensureProfiles(
  raw: RawSql,
  users: { workspaceId: string; userId: string }[],
  at: string,
): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  const unknown = users.filter((u) => {
    const id = knownProfiles.get(idKey(u.workspaceId, u.userId));
    if (id) result.set(idKey(u.workspaceId, u.userId), id);
    return !id;
  });
  for (const [k, id] of await createProfiles(raw, unknown, at)) result.set(k, id);
  return result;
}

/** Caches profile ids once their transaction has committed (a rolled-back one must not be remembered). */
export function rememberProfiles(profiles: Map<string, string>): void {
  if (knownProfiles.size + profiles.size > MAX_KNOWN_PROFILES) knownProfiles.clear();
  for (const [k, id] of profiles) knownProfiles.set(k, id);
}

async function createProfiles(
  raw: RawSql,
  users: { workspaceId: string; userId: string }[],
  at: string,
): Promise<Map<string, string>> {
  const unique = sortedUnique(users, (u) => idKey(u.workspaceId, u.userId));
  if (unique.length === 0) return new Map();
  const ws = unique.map((u) => u.workspaceId);
  const ids = unique.map((u) => u.userId);
  await raw.query(
    `INSERT INTO "Profile" ("id","workspaceId","userId","traits","createdAt","updatedAt")
     SELECT t.id, t.ws, t.uid, '{}'::jsonb, $4::timestamp, $4::timestamp FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, ws, uid)
     ON CONFLICT ("workspaceId","userId") DO NOTHING`,
    [unique.map(() => timeOrderedId()), ws, ids, at],
  );
  // A separate statement on purpose: under READ COMMITTED it sees profiles that a concurrent
  // transaction committed while the INSERT above waited on them (one statement would not).
  const rows = await raw.query<{ id: string; workspaceId: string; userId: string }>(
    `SELECT p."id", p."workspaceId", p."userId" FROM "Profile" p JOIN unnest($1::text[], $2::text[]) AS k(ws, uid) ON p."workspaceId" = k.ws AND p."userId" = k.uid`,
    [ws, ids],
  );
  return new Map(rows.map((r) => [idKey(r.workspaceId, r.userId), r.id]));
}

// An anonymous_id's owner never changes once linked (a later claim is a conflict, never a
// move), so committed owners are cached per process too (bounded).
const MAX_KNOWN_OWNERS = 200_000;
const knownOwners = processGlobal("__tracklayerOwners", () => new Map<string, Owner>());

/** The cached owners of these anonymous_ids, and the ids not in the cache. */
export function cachedOwners(anonymous: { workspaceId: string; anonymousId: string }[]) {
  const known = new Map<string, Owner>();
  const unknown: { workspaceId: string; anonymousId: string }[] = [];
  for (const a of anonymous) {
    const owner = knownOwners.get(idKey(a.workspaceId, a.anonymousId));
    if (owner) known.set(idKey(a.workspaceId, a.anonymousId), owner);
    else unknown.push(a);
  }
  return { known, unknown };
}

/** Caches owners once their transaction has committed. */
export function rememberOwners(owners: Map<string, Owner>): void {
  if (knownOwners.size + owners.size > MAX_KNOWN_OWNERS) knownOwners.clear();
  for (const [k, owner] of owners) knownOwners.set(k, owner);
}

/** Who each anonymous_id already belongs to. */
export async function existingOwners(
  raw: RawSql,
  anonymous: { workspaceId: string; anonymousId: string }[],
): Promise<Map<string, Owner>> {
  const unique = sortedUnique(anonymous, (a) => idKey(a.workspaceId, a.anonymousId));
  if (unique.length === 0) return new Map();
  const rows = await raw.query<{ workspaceId: string; anonymousId: string; profileId: string; userId: string }>(
    `SELECT pi."workspaceId", pi."anonymousId", pi."profileId", p."userId" FROM "ProfileIdentity" pi JOIN "Profile" p ON p."id" = pi."profileId"
     JOIN unnest($1::text[], $2::text[]) AS k(ws, aid) ON pi."workspaceId" = k.ws AND pi."anonymousId" = k.aid`,
    [unique.map((a) => a.workspaceId), unique.map((a) => a.anonymousId)],
  );
  return new Map(rows.map((r) => [idKey(r.workspaceId, r.anonymousId), { profileId: r.profileId, userId: r.userId }]));
}

export interface LinkPlan {
  /** Owners after this batch: existing links plus the ones this batch creates. */
  owners: Map<string, Owner>;
  newLinks: (LinkRequest & Owner)[];
  conflicts: (LinkRequest & { existingUserId: string })[];
}

/** Pure: the first claim on an unlinked anonymous_id wins; later different claims are conflicts. */
export function planLinks(
  requests: LinkRequest[],
  existing: Map<string, Owner>,
  profiles: Map<string, string>,
): LinkPlan {
  const owners = new Map(existing);
  const newLinks: LinkPlan["newLinks"] = [];
  const conflicts: LinkPlan["conflicts"] = [];
  for (const r of requests) {
    const k = idKey(r.workspaceId, r.anonymousId);
    const owner = owners.get(k);
    if (!owner) {
      const claim = { profileId: profiles.get(idKey(r.workspaceId, r.userId))!, userId: r.userId };
      owners.set(k, claim);
      newLinks.push({ ...r, ...claim });
    } else if (owner.userId !== r.userId) {
      conflicts.push({ ...r, existingUserId: owner.userId });
    }
  }
  return { owners, newLinks, conflicts };
}

/** Planned links as the statement that writes them receives them: JSON rows, sorted so concurrent writers lock alike. */
export function linkRowsJson(links: (LinkRequest & Owner)[]): string {
  const rows = sortedUnique(links, (l) => idKey(l.workspaceId, l.anonymousId));
  return JSON.stringify(
    rows.map((l) => ({
      id: timeOrderedId(),
      ws: l.workspaceId,
      pid: l.profileId,
      uid: l.userId,
      aid: l.anonymousId,
      via: l.via,
      ref: l.ref,
      row: l.rowId ?? null,
    })),
  );
}

/** The columns of linkRowsJson, for jsonb_to_recordset. */
export const LINK_ROW_COLUMNS = `id text, ws text, pid text, uid text, aid text, via text, ref text, "row" text`;

/**
 * CTEs that write the planned links held in `req` (LINK_ROW_COLUMNS), all in one statement:
 * `prior` — owners already committed when the statement started; `created` — the links inserted
 * (a link committed meanwhile is never overwritten); `stitched` — earlier anonymous-only events of
 * each new link now belong to its user; `conflicts` — claims on an id another user owned, recorded
 * (never merged). `at` is the SQL of the timestamp parameter.
 */
export function linkCtes(at: string): string {
  // prior probes the unique index once per request row (LATERAL … LIMIT 1): a join would let the
  // planner hash the whole table, the cheaper plan by its estimate of 100 rows per request.
  return `prior AS (
      SELECT r.ws, r.aid, o.pid, o.uid FROM req r
      CROSS JOIN LATERAL (SELECT pi."profileId" AS pid, p."userId" AS uid FROM "ProfileIdentity" pi JOIN "Profile" p ON p."id" = pi."profileId"
                          WHERE pi."workspaceId" = r.ws AND pi."anonymousId" = r.aid LIMIT 1) o),
    created AS (
      INSERT INTO "ProfileIdentity" ("id","workspaceId","profileId","anonymousId","linkedVia","linkedByRef","createdAt")
      SELECT r.id, r.ws, r.pid, r.aid, r.via, r.ref, ${at} FROM req r
      ON CONFLICT ("workspaceId","anonymousId") DO NOTHING
      RETURNING "workspaceId", "anonymousId"),
    stitched AS (
      UPDATE "Event" e SET "profileId" = r.pid, "resolvedUserId" = r.uid
      FROM created c JOIN req r ON r.ws = c."workspaceId" AND r.aid = c."anonymousId"
      WHERE e."workspaceId" = c."workspaceId" AND e."anonymousId" = c."anonymousId" AND e."userId" IS NULL AND e."resolvedUserId" IS NULL
      RETURNING e."id"),
    conflicts AS (
      INSERT INTO "IdentityConflict" ("id","workspaceId","anonymousId","existingUserId","attemptedUserId","via","callRef","createdAt")
      SELECT gen_random_uuid()::text, r.ws, r.aid, o.uid, r.uid, r.via, r.ref, ${at} FROM req r JOIN prior o ON o.ws = r.ws AND o.aid = r.aid
      WHERE o.uid <> r.uid)`;
}

/** Output columns reporting what linkCtes found and did (read back with settleLinks). */
export const LINK_OUTCOME_COLUMNS = `(SELECT coalesce(json_agg(json_build_object('ws', ws, 'aid', aid, 'pid', pid, 'uid', uid)), '[]') FROM prior) AS "prior",
  (SELECT coalesce(json_agg(json_build_object('ws', "workspaceId", 'aid', "anonymousId")), '[]') FROM created) AS "created"`;

export interface LinkStatementOutcome {
  prior: { ws: string; aid: string; pid: string; uid: string }[];
  created: { ws: string; aid: string }[];
}

/**
 * Reads back a link statement: created links join the owners; a link that was already owned keeps
 * its owner (a different user was recorded as a conflict by the statement); a link lost to a
 * concurrent commit the statement could not see is settled now. Returns the settled plan, the
 * owners now known to be committed, and the keys of planned links that were not created.
 */
export async function settleLinks(raw: RawSql, plan: LinkPlan, outcome: LinkStatementOutcome, at: string) {
  const created = new Set(outcome.created.map((c) => idKey(c.ws, c.aid)));
  const owners = new Map<string, Owner>(
    outcome.prior.map((o) => [idKey(o.ws, o.aid), { profileId: o.pid, userId: o.uid }]),
  );
  const conflicts: LinkPlan["conflicts"] = [];
  const raced: (LinkRequest & Owner)[] = [];
  for (const l of plan.newLinks) {
    const k = idKey(l.workspaceId, l.anonymousId);
    const prior = owners.get(k);
    if (created.has(k)) owners.set(k, { profileId: l.profileId, userId: l.userId });
    else if (!prior) raced.push(l);
    else if (prior.userId !== l.userId) conflicts.push({ ...l, existingUserId: prior.userId });
  }
  if (raced.length) {
    const actual = await existingOwners(raw, raced);
    const racedConflicts = raced.flatMap((l) => {
      const owner = actual.get(idKey(l.workspaceId, l.anonymousId));
      return owner && owner.userId !== l.userId ? [{ ...l, existingUserId: owner.userId }] : [];
    });
    await recordConflicts(raw, racedConflicts, at);
    conflicts.push(...racedConflicts);
    for (const [k, owner] of actual) owners.set(k, owner);
  }
  const lost = new Set(plan.newLinks.map((l) => idKey(l.workspaceId, l.anonymousId)).filter((k) => !created.has(k)));
  const settled: LinkPlan = {
    owners: new Map([...plan.owners, ...owners]),
    newLinks: plan.newLinks.filter((l) => created.has(idKey(l.workspaceId, l.anonymousId))),
    conflicts: [...plan.conflicts, ...conflicts],
  };
  return { plan: settled, committedOwners: owners, lost };
}

const WRITE_LINKS_SQL = `WITH req AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(${LINK_ROW_COLUMNS})), ${linkCtes("$2::timestamp")} SELECT ${LINK_OUTCOME_COLUMNS}`;

/** Writes the planned links and the planned conflicts on their own (see linkCtes), settled. */
export async function writeLinks(raw: RawSql, plan: LinkPlan, at: string) {
  await recordConflicts(raw, plan.conflicts, at);
  if (plan.newLinks.length === 0) return { plan, committedOwners: new Map<string, Owner>(), lost: new Set<string>() };
  const [outcome] = await raw.query<LinkStatementOutcome>(
    WRITE_LINKS_SQL,
    [linkRowsJson(plan.newLinks), at],
    "tl_write_links",
  );
  return settleLinks(raw, plan, outcome!, at);
}

/** Records claims on anonymous_ids that another user already owns (never merged). */
export async function recordConflicts(raw: RawSql, c: LinkPlan["conflicts"], at: string): Promise<void> {
  if (c.length) {
    await raw.query(
      `INSERT INTO "IdentityConflict" ("id","workspaceId","anonymousId","existingUserId","attemptedUserId","via","callRef","createdAt")
       SELECT t.id, t.ws, t.aid, t.existing, t.attempted, t.via, t.ref, $8::timestamp FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, ws, aid, existing, attempted, via, ref)`,
      [
        c.map(() => timeOrderedId()),
        c.map((x) => x.workspaceId),
        c.map((x) => x.anonymousId),
        c.map((x) => x.existingUserId),
        c.map((x) => x.userId),
        c.map((x) => x.via),
        c.map((x) => x.ref),
        at,
      ],
    );
  }
}

/** Re-resolves events whose planned link lost a race: they follow whoever owns the id now. */
export async function reattachEvents(raw: RawSql, eventRowIds: string[]): Promise<void> {
  await raw.query(
    `UPDATE "Event" e SET "profileId" = pi."profileId", "resolvedUserId" = p."userId"
     FROM "ProfileIdentity" pi JOIN "Profile" p ON p."id" = pi."profileId"
     WHERE e."id" = ANY($1::text[]) AND e."userId" IS NULL AND pi."workspaceId" = e."workspaceId" AND pi."anonymousId" = e."anonymousId"`,
    [eventRowIds],
  );
}

/** Last write wins per trait; each changed value is kept in TraitChange with the call that set it. */
export async function applyTraits(
  raw: RawSql,
  profileId: string,
  workspaceId: string,
  traits: Record<string, unknown>,
  via: string,
  callRef: string | null,
  at: string,
) {
  const entries = Object.entries(traits);
  if (entries.length === 0) return;
  const [row] = await raw.query<{ traits: Record<string, unknown> }>(
    `SELECT "traits" FROM "Profile" WHERE "id" = $1 FOR UPDATE`,
    [profileId],
  );
  const current = row?.traits ?? {};
  const changed = entries.filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
  if (changed.length === 0) return;
  await raw.query(
    `UPDATE "Profile" SET "traits" = "traits" || $2::jsonb, "updatedAt" = $3::timestamp WHERE "id" = $1`,
    [profileId, JSON.stringify(Object.fromEntries(changed)), at],
  );
  await raw.query(
    `INSERT INTO "TraitChange" ("id","workspaceId","profileId","trait","value","via","callRef","createdAt")
     SELECT t.id, $1, $2, t.trait, t.value::jsonb, $3, $4, $5::timestamp FROM unnest($6::text[], $7::text[], $8::text[]) AS t(id, trait, value)`,
    [
      workspaceId,
      profileId,
      via,
      callRef,
      at,
      changed.map(() => timeOrderedId()),
      changed.map(([k]) => k),
      changed.map(([, v]) => JSON.stringify(v)),
    ],
  );
}

export async function linkedAnonymousIds(raw: RawSql, profileIds: string[]): Promise<Map<string, string[]>> {
  if (profileIds.length === 0) return new Map();
  const rows = await raw.query<{ profileId: string; anonymousId: string }>(
    `SELECT "profileId", "anonymousId" FROM "ProfileIdentity" WHERE "profileId" = ANY($1::text[]) ORDER BY "createdAt", "anonymousId"`,
    [profileIds],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.profileId, [...(out.get(r.profileId) ?? []), r.anonymousId]);
  return out;
}
