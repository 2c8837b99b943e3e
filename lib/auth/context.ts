// Resolves the Actor for a dashboard page or an API request: a personal access token
// (Authorization: Bearer tl_pat_…) or the next-auth session plus the selected workspace.

import { cookies, headers } from "next/headers";
import { getServerSession } from "next-auth";
import { cache } from "react";
import type { Actor } from "@/lib/auth/actor";
import { authOptions } from "@/lib/auth/options";
import { hashSecret } from "@/lib/auth/secrets";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export const WORKSPACE_COOKIE = "tl_workspace";

export const getSessionUserId = cache(async (): Promise<string | null> => {
  const session = await getServerSession(authOptions());
  return (session?.user as { id?: string } | undefined)?.id ?? null;
});

/** The user's memberships, oldest first, with their workspaces. */
export const listMemberships = cache(async (userId: string) =>
  db().membership.findMany({
    where: { userId },
    include: { workspace: { select: { id: true, slug: true, name: true } } },
    orderBy: { createdAt: "asc" },
  }),
);

/**
 * `required` workspaces (the API's x-tracklayer-workspace header) must be one of the user's;
 * a remembered one (the dashboard cookie) falls back to the user's first workspace.
 */
async function sessionActor(preferredWorkspace?: string | null, required = false): Promise<Actor | null> {
  const userId = await getSessionUserId();
  if (!userId) return null;
  const memberships = await listMemberships(userId);
  const named = memberships.find(
    (m) => m.workspace.slug === preferredWorkspace || m.workspace.id === preferredWorkspace,
  );
  if (required && preferredWorkspace && !named)
    throw new AppError("not_found", `Workspace ${preferredWorkspace} not found among yours`);
  const chosen = named ?? memberships[0];
  if (!chosen) throw new AppError("forbidden", "You are not a member of any workspace");
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  return {
    userId,
    email: user.email,
    label: user.email,
    workspaceId: chosen.workspaceId,
    role: chosen.role,
    via: "session",
  };
}

/** The member a personal access token stands for (401 when it is unknown, revoked or expired). */
export async function tokenActor(token: string): Promise<Actor> {
  const found = await db().personalAccessToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { user: true },
  });
  if (!found || found.revokedAt || (found.expiresAt && found.expiresAt < new Date())) {
    throw new AppError("unauthenticated", "The access token is invalid, revoked or expired");
  }
  const membership = await db().membership.findUnique({
    where: { userId_workspaceId: { userId: found.userId, workspaceId: found.workspaceId } },
  });
  if (!membership) throw new AppError("unauthenticated", "The token's owner is no longer a member of its workspace");
  await db().personalAccessToken.update({ where: { id: found.id }, data: { lastUsedAt: new Date() } });
  return {
    userId: found.userId,
    email: found.user.email,
    label: `${found.user.email} (token ${found.prefix}…)`,
    workspaceId: found.workspaceId,
    role: membership.role,
    via: "token",
  };
}

/** For API routes: throws 401 when nobody is signed in. */
export async function requireApiActor(): Promise<Actor> {
  const h = await headers();
  const authorization = h.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw new AppError("unauthenticated", "Authorization must be 'Bearer <personal access token>'");
    return tokenActor(match[1]);
  }
  const header = h.get("x-tracklayer-workspace");
  const actor = header
    ? await sessionActor(header, true)
    : await sessionActor((await cookies()).get(WORKSPACE_COOKIE)?.value);
  if (!actor) throw new AppError("unauthenticated", "Sign in or send a personal access token");
  return actor;
}

/** For dashboard pages: null when nobody is signed in (the layout redirects). */
export const getPageActor = cache(async (): Promise<Actor | null> => {
  const preferred = (await cookies()).get(WORKSPACE_COOKIE)?.value;
  return sessionActor(preferred);
});

/** For routes that need a person but no workspace yet (listing or creating workspaces). */
export async function requireApiUser(): Promise<{ userId: string; email: string }> {
  if ((await headers()).get("authorization")) {
    const actor = await requireApiActor();
    return { userId: actor.userId, email: actor.email };
  }
  const userId = await getSessionUserId();
  const user = userId ? await db().user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw new AppError("unauthenticated", "Sign in or send a personal access token");
  return { userId: user.id, email: user.email };
}

/** For changing one's own password: a signed-in session (an access token may not do it). */
export async function requireSessionUser(): Promise<{ userId: string; email: string }> {
  if ((await headers()).get("authorization")) {
    throw new AppError("forbidden", "Change your password from a signed-in session, not with an access token");
  }
  const userId = await getSessionUserId();
  const user = userId ? await db().user.findUnique({ where: { id: userId } }) : null;
  if (!user) throw new AppError("unauthenticated", "Sign in first");
  return { userId: user.id, email: user.email };
}
