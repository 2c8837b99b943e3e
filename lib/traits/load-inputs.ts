// Loads, set-based for a batch of profiles, everything their computed traits read: traits,
// recent contexts, last conversion, windowed event counts, rules, enabled destinations, stored values.
import type { RawSql } from "@/lib/db/connection";
import type { DestinationType } from "@/lib/generated/prisma/enums";
import { mergeContexts } from "@/lib/traits/builtins";
import { type CompiledRule, compileRule } from "@/lib/traits/compile-rule";
import type { ProfileInputs, TraitValue } from "@/lib/traits/profile-values";
import { countKey } from "@/lib/traits/rule-eval";

/** How many recent events' contexts make up a profile's identifiers (ip, user agent, fbp, consent ...). */
export const CONTEXT_EVENTS = 20;

export interface LoadedProfile {
  id: string;
  workspaceId: string;
  userId: string;
  inputs: ProfileInputs;
  stored: Record<string, TraitValue>;
  /** When the oldest counted event of any window leaves it: the next recompute is due then. */
  nextExpiry: Date | null;
}

export interface LoadedBatch {
  profiles: LoadedProfile[];
  /** Enabled Heap destinations per workspace. */
  heapDestinations: Map<string, { id: string }[]>;
}

type Row = Record<string, unknown>;
const iso = (v: unknown) => new Date(v as string | Date).toISOString();

function push<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

async function compiledRules(raw: RawSql, workspaceIds: string[]) {
  // Sequential on purpose: one connection inside a transaction runs one statement at a time.
  const defs = await raw.query<{ workspaceId: string; key: string; rule: string }>(
    `SELECT "workspaceId", "key", "rule" FROM "ComputedTraitDefinition" WHERE "workspaceId" = ANY($1::text[]) AND "enabled" ORDER BY "key"`,
    [workspaceIds],
  );
  const canonical = await raw.query<{ workspaceId: string; id: string; name: string }>(
    `SELECT "workspaceId", "id", "name" FROM "CanonicalEvent" WHERE "workspaceId" = ANY($1::text[])`,
    [workspaceIds],
  );
  const idsByName = new Map(canonical.map((c) => [`${c.workspaceId}:${c.name}`, c.id]));
  const names = new Map<string, Set<string>>();
  for (const c of canonical) names.set(c.workspaceId, (names.get(c.workspaceId) ?? new Set()).add(c.name));
  const rules = new Map<string, { key: string; compiled: CompiledRule }[]>();
  for (const d of defs) {
    try {
      push(rules, d.workspaceId, { key: d.key, compiled: compileRule(d.rule, names.get(d.workspaceId) ?? new Set()) });
    } catch {
      // Validated when saved; a rule that no longer compiles is left out until it is fixed.
    }
  }
  return { rules, idsByName };
}

export async function loadBatch(raw: RawSql, profileIds: string[], now: Date): Promise<LoadedBatch> {
  const nowIso = now.toISOString();
  const profiles = await raw.query<{
    id: string;
    workspaceId: string;
    userId: string;
    traits: Record<string, unknown>;
  }>(`SELECT "id", "workspaceId", "userId", "traits" FROM "Profile" WHERE "id" = ANY($1::text[]) ORDER BY "id"`, [
    profileIds,
  ]);
  const ids = profiles.map((p) => p.id);
  const workspaceIds = [...new Set(profiles.map((p) => p.workspaceId))];
  const recent = await raw.query<{
    profileId: string;
    context: Row | null;
    anonymousId: string | null;
    clientId: string | null;
  }>(
    `SELECT p."id" AS "profileId", e."context", e."anonymousId", e."properties"->>'client_id' AS "clientId"
     FROM "Profile" p CROSS JOIN LATERAL (
       SELECT "context", "anonymousId", "properties" FROM "Event" e
       WHERE e."workspaceId" = p."workspaceId" AND e."resolvedUserId" = p."userId" AND e."occurredAt" <= $2::timestamp
       ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT ${CONTEXT_EVENTS}) e
     WHERE p."id" = ANY($1::text[])`,
    [ids, nowIso],
  );
  const conversions = await raw.query<{ profileId: string; name: string; occurredAt: Date }>(
    // Newest first along the (workspace, resolved user, occurredAt) index: one row per profile.
    // (The status test is written so no plan can take the status index instead, whatever the
    // statistics of a fast-growing table say: that plan scans every event of the workspace.)
    `SELECT p."id" AS "profileId", e."name", e."occurredAt"
     FROM "Profile" p CROSS JOIN LATERAL (
       SELECT c."name", e."occurredAt" FROM "Event" e JOIN "CanonicalEvent" c ON c."id" = e."canonicalEventId"
       WHERE e."workspaceId" = p."workspaceId" AND e."resolvedUserId" = p."userId" AND (e."status" = 'accepted') IS TRUE AND e."occurredAt" <= $2::timestamp
       ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT 1) e
     WHERE p."id" = ANY($1::text[])`,
    [ids, nowIso],
  );
  const destinations = await raw.query<{ workspaceId: string; id: string; name: string; type: DestinationType }>(
    `SELECT "workspaceId", "id", "name", "type" FROM "Destination" WHERE "workspaceId" = ANY($1::text[]) AND "enabled"`,
    [workspaceIds],
  );
  const stored = await raw.query<{ profileId: string; key: string; value: TraitValue }>(
    `SELECT "profileId", "key", "value" FROM "ProfileComputedTrait" WHERE "profileId" = ANY($1::text[])`,
    [ids],
  );
  const { rules, idsByName } = await compiledRules(raw, workspaceIds);

  // Windowed counts: one grouped statement per distinct (workspace, event, window) the rules read.
  const counts = new Map<string, Map<string, number>>();
  const expiry = new Map<string, number>();
  const wanted = new Map<string, { workspaceId: string; event: string; windowMs: number }>();
  for (const [workspaceId, list] of rules)
    for (const r of list)
      for (const c of r.compiled.counts) wanted.set(`${workspaceId}:${c.event}:${c.windowMs}`, { workspaceId, ...c });
  for (const w of wanted.values()) {
    const canonicalId = idsByName.get(`${w.workspaceId}:${w.event}`);
    if (!canonicalId) continue;
    const rows = await raw.query<{ profileId: string; n: number; oldest: Date }>(
      `SELECT p."id" AS "profileId", count(*)::int AS n, min(e."occurredAt") AS oldest
       FROM "Profile" p JOIN "Event" e ON e."workspaceId" = p."workspaceId" AND e."resolvedUserId" = p."userId"
       WHERE p."id" = ANY($1::text[]) AND p."workspaceId" = $2 AND (e."status" = 'accepted') IS TRUE AND e."canonicalEventId" = $3
         AND e."occurredAt" > $4::timestamp AND e."occurredAt" <= $5::timestamp
       GROUP BY p."id"`,
      [ids, w.workspaceId, canonicalId, new Date(now.getTime() - w.windowMs).toISOString(), nowIso],
    );
    for (const r of rows) {
      counts.set(r.profileId, (counts.get(r.profileId) ?? new Map()).set(countKey(w.event, w.windowMs), r.n));
      const leaves = new Date(iso(r.oldest)).getTime() + w.windowMs;
      expiry.set(r.profileId, Math.min(expiry.get(r.profileId) ?? Infinity, leaves));
    }
  }

  const recentBy = new Map<string, typeof recent>();
  for (const r of recent) push(recentBy, r.profileId, r);
  const conversionBy = new Map(conversions.map((c) => [c.profileId, { event: c.name, at: iso(c.occurredAt) }]));
  const destinationsBy = new Map<string, typeof destinations>();
  for (const d of destinations) push(destinationsBy, d.workspaceId, d);
  const storedBy = new Map<string, Record<string, TraitValue>>();
  for (const s of stored) storedBy.set(s.profileId, { ...storedBy.get(s.profileId), [s.key]: s.value });

  return {
    profiles: profiles.map((p) => {
      const events = recentBy.get(p.id) ?? [];
      const clientId = events.find((e) => e.clientId)?.clientId;
      return {
        id: p.id,
        workspaceId: p.workspaceId,
        userId: p.userId,
        stored: storedBy.get(p.id) ?? {},
        nextExpiry: expiry.has(p.id) ? new Date(expiry.get(p.id)! + 1) : null,
        inputs: {
          view: {
            userId: p.userId,
            anonymousId: events.find((e) => e.anonymousId)?.anonymousId ?? null,
            traits: p.traits ?? {},
            context: mergeContexts(events.map((e) => e.context ?? {})),
            properties: clientId ? { client_id: clientId } : {},
          },
          lastConversion: conversionBy.get(p.id) ?? null,
          counts: counts.get(p.id) ?? new Map(),
          rules: rules.get(p.workspaceId) ?? [],
          destinations: (destinationsBy.get(p.workspaceId) ?? []).map((d) => ({ name: d.name, type: d.type })),
        },
      };
    }),
    heapDestinations: new Map(
      workspaceIds.map((ws) => [
        ws,
        (destinationsBy.get(ws) ?? []).filter((d) => d.type === "heap").map((d) => ({ id: d.id })),
      ]),
    ),
  };
}
