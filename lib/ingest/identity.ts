// Identity resolution inside the ingest transaction, set-based: one profile per user_id;
// anonymous_id → profile links from identify, alias and captures carrying both ids; later
// links stitch earlier anonymous events (never re-sending them); an anonymous_id already
// linked to another user is recorded as a conflict, never merged.
import { randomUUID } from "node:crypto";
import type { Tx } from "@/lib/registry/audit";

export interface LinkRequest {
  workspaceId: string;
  userId: string;
  anonymousId: string;
  via: string;
  ref: string | null;
}

const sortKey = (ws: string, v: string) => `${ws}\u0000${v}`;

/** Creates missing profiles; returns profile ids keyed by workspace + user_id. */
export async function ensureProfiles(tx: Tx, users: { workspaceId: string; userId: string }[], at: string): Promise<Map<string, string>> {
  const unique = [...new Map(users.map((u) => [sortKey(u.workspaceId, u.userId), u])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, u]) => u);
  if (unique.length === 0) return new Map();
  const ws = unique.map((u) => u.workspaceId);
  const ids = unique.map((u) => u.userId);
  await tx.$executeRawUnsafe(
    `INSERT INTO "Profile" ("id","workspaceId","userId","traits","createdAt","updatedAt")
     SELECT t.id, t.ws, t.uid, '{}'::jsonb, $4::timestamp, $4::timestamp FROM unnest($1::text[], $2::text[], $3::text[]) AS t(id, ws, uid)
     ON CONFLICT ("workspaceId","userId") DO NOTHING`,
    unique.map(() => randomUUID()),
    ws,
    ids,
    at,
  );
  const rows = await tx.$queryRawUnsafe<{ id: string; workspaceId: string; userId: string }[]>(
    `SELECT p."id", p."workspaceId", p."userId" FROM "Profile" p JOIN unnest($1::text[], $2::text[]) AS k(ws, uid) ON p."workspaceId" = k.ws AND p."userId" = k.uid`,
    ws,
    ids,
  );
  return new Map(rows.map((r) => [sortKey(r.workspaceId, r.userId), r.id]));
}

export interface LinkOutcome {
  linked: LinkRequest[];
  conflicts: (LinkRequest & { existingUserId: string })[];
}

export async function linkAnonymousIds(tx: Tx, requests: LinkRequest[], profiles: Map<string, string>, at: string): Promise<LinkOutcome> {
  const first = [...new Map(requests.map((r) => [sortKey(r.workspaceId, r.anonymousId), r])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, r]) => r);
  if (first.length === 0) return { linked: [], conflicts: [] };
  const created = await tx.$queryRawUnsafe<{ workspaceId: string; anonymousId: string }[]>(
    `INSERT INTO "ProfileIdentity" ("id","workspaceId","profileId","anonymousId","linkedVia","linkedByRef","createdAt")
     SELECT t.id, t.ws, t.pid, t.aid, t.via, t.ref, $7::timestamp FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, ws, pid, aid, via, ref)
     ON CONFLICT ("workspaceId","anonymousId") DO NOTHING
     RETURNING "workspaceId", "anonymousId"`,
    first.map(() => randomUUID()),
    first.map((r) => r.workspaceId),
    first.map((r) => profiles.get(sortKey(r.workspaceId, r.userId))!),
    first.map((r) => r.anonymousId),
    first.map((r) => r.via),
    first.map((r) => r.ref),
    at,
  );
  const createdKeys = new Set(created.map((c) => sortKey(c.workspaceId, c.anonymousId)));
  const linked = first.filter((r) => createdKeys.has(sortKey(r.workspaceId, r.anonymousId)));

  const owners = await tx.$queryRawUnsafe<{ workspaceId: string; anonymousId: string; userId: string }[]>(
    `SELECT pi."workspaceId", pi."anonymousId", p."userId" FROM "ProfileIdentity" pi JOIN "Profile" p ON p."id" = pi."profileId"
     JOIN unnest($1::text[], $2::text[]) AS k(ws, aid) ON pi."workspaceId" = k.ws AND pi."anonymousId" = k.aid`,
    requests.map((r) => r.workspaceId),
    requests.map((r) => r.anonymousId),
  );
  const ownerOf = new Map(owners.map((o) => [sortKey(o.workspaceId, o.anonymousId), o.userId]));
  const conflicts = requests
    .map((r) => ({ ...r, existingUserId: ownerOf.get(sortKey(r.workspaceId, r.anonymousId)) ?? r.userId }))
    .filter((r) => r.existingUserId !== r.userId);
  if (conflicts.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO "IdentityConflict" ("id","workspaceId","anonymousId","existingUserId","attemptedUserId","via","callRef","createdAt")
       SELECT t.id, t.ws, t.aid, t.existing, t.attempted, t.via, t.ref, $8::timestamp FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(id, ws, aid, existing, attempted, via, ref)`,
      conflicts.map(() => randomUUID()),
      conflicts.map((c) => c.workspaceId),
      conflicts.map((c) => c.anonymousId),
      conflicts.map((c) => c.existingUserId),
      conflicts.map((c) => c.userId),
      conflicts.map((c) => c.via),
      conflicts.map((c) => c.ref),
      at,
    );
  }
  return { linked, conflicts };
}

/**
 * Points events at their profile: this batch's events by user_id or by an existing link,
 * and — for links created now — every earlier anonymous-only event of that anonymous_id.
 */
export async function attachEvents(tx: Tx, eventRowIds: string[], newLinks: LinkRequest[]): Promise<void> {
  if (eventRowIds.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Event" e SET "profileId" = p."id" FROM "Profile" p
       WHERE e."id" = ANY($1::text[]) AND e."userId" IS NOT NULL AND p."workspaceId" = e."workspaceId" AND p."userId" = e."userId"`,
      eventRowIds,
    );
    await tx.$executeRawUnsafe(
      `UPDATE "Event" e SET "profileId" = p."id", "resolvedUserId" = p."userId"
       FROM "ProfileIdentity" pi JOIN "Profile" p ON p."id" = pi."profileId"
       WHERE e."id" = ANY($1::text[]) AND e."userId" IS NULL AND pi."workspaceId" = e."workspaceId" AND pi."anonymousId" = e."anonymousId"`,
      eventRowIds,
    );
  }
  if (newLinks.length) {
    await tx.$executeRawUnsafe(
      `UPDATE "Event" e SET "profileId" = p."id", "resolvedUserId" = p."userId"
       FROM unnest($1::text[], $2::text[]) AS l(ws, aid)
       JOIN "ProfileIdentity" pi ON pi."workspaceId" = l.ws AND pi."anonymousId" = l.aid
       JOIN "Profile" p ON p."id" = pi."profileId"
       WHERE e."workspaceId" = l.ws AND e."anonymousId" = l.aid AND e."userId" IS NULL AND e."resolvedUserId" IS NULL`,
      newLinks.map((l) => l.workspaceId),
      newLinks.map((l) => l.anonymousId),
    );
  }
}

/** Last write wins per trait; each changed value is kept in TraitChange with the call that set it. */
export async function applyTraits(tx: Tx, profileId: string, workspaceId: string, traits: Record<string, unknown>, via: string, callRef: string | null, at: string) {
  const entries = Object.entries(traits);
  if (entries.length === 0) return;
  const [row] = await tx.$queryRawUnsafe<{ traits: Record<string, unknown> }[]>(`SELECT "traits" FROM "Profile" WHERE "id" = $1 FOR UPDATE`, profileId);
  const current = row?.traits ?? {};
  const changed = entries.filter(([k, v]) => JSON.stringify(current[k]) !== JSON.stringify(v));
  if (changed.length === 0) return;
  await tx.$executeRawUnsafe(
    `UPDATE "Profile" SET "traits" = "traits" || $2::jsonb, "updatedAt" = $3::timestamp WHERE "id" = $1`,
    profileId,
    JSON.stringify(Object.fromEntries(changed)),
    at,
  );
  await tx.$executeRawUnsafe(
    `INSERT INTO "TraitChange" ("id","workspaceId","profileId","trait","value","via","callRef","createdAt")
     SELECT t.id, $1, $2, t.trait, t.value::jsonb, $3, $4, $5::timestamp FROM unnest($6::text[], $7::text[], $8::text[]) AS t(id, trait, value)`,
    workspaceId,
    profileId,
    via,
    callRef,
    at,
    changed.map(() => randomUUID()),
    changed.map(([k]) => k),
    changed.map(([, v]) => JSON.stringify(v)),
  );
}
