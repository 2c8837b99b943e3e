// Dashboard pages call requirePageActor() first: it signs the visitor in or sends them away.
import { notFound, redirect } from "next/navigation";
import type { Actor } from "@/lib/auth/actor";
import { getPageActor, getSessionUserId } from "@/lib/auth/context";
import { AppError } from "@/lib/errors";

export async function requirePageActor(): Promise<Actor> {
  if (!(await getSessionUserId())) redirect("/signin");
  const actor = await getPageActor().catch(() => null);
  if (!actor) redirect("/welcome");
  return actor;
}

/** Awaits a domain lookup for a page: its `not_found` (missing, or another workspace's) becomes the page's 404. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}
