// What the dashboard's filters and forms offer: the workspace's sources, canonical events,
// destinations. Any member may read them (workspace.read); each is scoped to the actor's workspace.
import { type Actor, assertCan } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFound } from "@/lib/errors";

export async function sourceChoices(actor: Actor) {
  assertCan(actor, "workspace.read");
  return db().source.findMany({
    where: { workspaceId: actor.workspaceId },
    select: { id: true, key: true, name: true },
    orderBy: { key: "asc" },
  });
}

export async function canonicalEventChoices(actor: Actor) {
  assertCan(actor, "workspace.read");
  return db().canonicalEvent.findMany({
    where: { workspaceId: actor.workspaceId },
    select: { name: true, properties: true },
    orderBy: { name: "asc" },
  });
}

export async function destinationChoices(actor: Actor) {
  assertCan(actor, "workspace.read");
  return db().destination.findMany({
    where: { workspaceId: actor.workspaceId },
    select: { id: true, name: true, type: true, enabled: true, testMode: true },
    orderBy: { name: "asc" },
  });
}

/** The actor's workspace (its name and settings). */
export async function currentWorkspace(actor: Actor) {
  assertCan(actor, "workspace.read");
  return db().workspace.findUniqueOrThrow({ where: { id: actor.workspaceId } });
}

/** A mapping's id and source event (to label a filter); null when it is not in this workspace. */
export async function mappingLabel(actor: Actor, mappingId: string) {
  assertCan(actor, "workspace.read");
  return db().mapping.findFirst({
    where: { id: mappingId, workspaceId: actor.workspaceId },
    select: { id: true, sourceEvent: true },
  });
}

/** A source by key; not_found when the workspace has none. */
export async function sourceByKey(actor: Actor, key: string) {
  assertCan(actor, "workspace.read");
  const source = await db().source.findFirst({
    where: { workspaceId: actor.workspaceId, key },
    select: { id: true, key: true, name: true },
  });
  if (!source) throw notFound(`Source ${key}`);
  return source;
}

/** The user id of the most recently updated profile (a realistic example for forms), if any. */
export async function recentUserId(actor: Actor): Promise<string | null> {
  assertCan(actor, "workspace.read");
  const profile = await db().profile.findFirst({
    where: { workspaceId: actor.workspaceId },
    orderBy: { updatedAt: "desc" },
    select: { userId: true },
  });
  return profile?.userId ?? null;
}
