// Dashboard pages call requirePageActor() first: it signs the visitor in or sends them away.
import { redirect } from "next/navigation";
import type { Actor } from "@/lib/auth/actor";
import { getPageActor, getSessionUserId } from "@/lib/auth/context";

export async function requirePageActor(): Promise<Actor> {
  if (!(await getSessionUserId())) redirect("/signin");
  const actor = await getPageActor().catch(() => null);
  if (!actor) redirect("/welcome");
  return actor;
}
