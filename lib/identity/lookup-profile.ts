// Profile lookup by user_id, or by anonymous_id resolved through its identity link: linked ids
// with the call that linked them, traits and their history, identity conflicts, recent events.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";
import { eventRowSelect, loadEventLookups, serializeEventRow } from "@/lib/events/serialize";
import type { Prisma } from "@/lib/generated/prisma/client";
import { profileComputedTraits } from "@/lib/traits/profile-traits";
import type { ProfileLookupQuery } from "@/lib/validations/events";

export const RECENT_EVENT_LIMIT = 20;
const HISTORY_LIMIT = 200;
const CONFLICT_LIMIT = 50;

async function findProfile(workspaceId: string, query: ProfileLookupQuery) {
  if (query.user_id)
    return db().profile.findUnique({ where: { workspaceId_userId: { workspaceId, userId: query.user_id } } });
  const link = await db().profileIdentity.findUnique({
    where: { workspaceId_anonymousId: { workspaceId, anonymousId: query.anonymous_id! } },
    include: { profile: true },
  });
  return link?.profile ?? null;
}

async function recentEvents(workspaceId: string, where: Prisma.EventWhereInput) {
  const [lookups, events] = await Promise.all([
    loadEventLookups(workspaceId),
    db().event.findMany({
      where: { workspaceId, ...where },
      select: eventRowSelect,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      take: RECENT_EVENT_LIMIT,
    }),
  ]);
  return events.map((e) => serializeEventRow(e, lookups));
}

async function conflictsInvolving(workspaceId: string, userId: string | undefined, anonymousIds: string[]) {
  const rows = await db().identityConflict.findMany({
    where: {
      workspaceId,
      OR: [
        ...(anonymousIds.length ? [{ anonymousId: { in: anonymousIds } }] : []),
        ...(userId ? [{ existingUserId: userId }, { attemptedUserId: userId }] : []),
      ],
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CONFLICT_LIMIT,
  });
  return rows.map((c) => ({
    id: c.id,
    anonymous_id: c.anonymousId,
    existing_user_id: c.existingUserId,
    attempted_user_id: c.attemptedUserId,
    via: c.via,
    call_ref: c.callRef,
    created_at: c.createdAt.toISOString(),
  }));
}

/** The profile (null while an anonymous_id is not linked to a user yet) and its events; not_found when nothing is known. */
export async function lookupProfile(actor: Actor, query: ProfileLookupQuery) {
  assertCan(actor, "workspace.read");
  const workspaceId = actor.workspaceId;
  const matched_by = query.user_id ? ("user_id" as const) : ("anonymous_id" as const);
  const lookup = (query.user_id ?? query.anonymous_id)!;
  const profile = await findProfile(workspaceId, query);

  if (!profile) {
    const [recent_events, conflicts] = await Promise.all([
      recentEvents(
        workspaceId,
        // resolvedUserId is the event's own user_id when it has one: one indexed column, no scan.
        query.user_id ? { resolvedUserId: lookup } : { anonymousId: lookup },
      ),
      conflictsInvolving(workspaceId, query.user_id, query.anonymous_id ? [query.anonymous_id] : []),
    ]);
    if (recent_events.length === 0 && conflicts.length === 0)
      throw notFound(query.user_id ? "Profile" : "Anonymous id");
    return { matched_by, lookup, linked: false, profile: null, conflicts, recent_events };
  }

  const [identities, traitChanges, recent_events, computed_traits] = await Promise.all([
    db().profileIdentity.findMany({
      where: { workspaceId, profileId: profile.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    db().traitChange.findMany({
      where: { workspaceId, profileId: profile.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: HISTORY_LIMIT,
    }),
    // A profile's events carry its user_id as resolvedUserId (indexed); profileId has no index.
    recentEvents(workspaceId, { resolvedUserId: profile.userId }),
    profileComputedTraits(workspaceId, profile.id),
  ]);
  const conflicts = await conflictsInvolving(
    workspaceId,
    profile.userId,
    identities.map((i) => i.anonymousId),
  );
  return {
    matched_by,
    lookup,
    linked: true,
    profile: {
      id: profile.id,
      user_id: profile.userId,
      traits: profile.traits,
      created_at: profile.createdAt.toISOString(),
      updated_at: profile.updatedAt.toISOString(),
      anonymous_ids: identities.map((i) => ({
        anonymous_id: i.anonymousId,
        linked_via: i.linkedVia,
        linked_by_ref: i.linkedByRef,
        linked_at: i.createdAt.toISOString(),
      })),
      trait_history: traitChanges.map((t) => ({
        id: t.id,
        trait: t.trait,
        value: t.value,
        via: t.via,
        call_ref: t.callRef,
        created_at: t.createdAt.toISOString(),
      })),
      computed_traits,
    },
    conflicts,
    recent_events,
  };
}

export type ProfileLookupJson = Awaited<ReturnType<typeof lookupProfile>>;
