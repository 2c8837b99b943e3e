import type { ReactNode } from "react";
import { AppNav, MobileNav } from "@/components/app-nav";
import { listMemberships } from "@/lib/auth/context";
import { requirePageActor } from "@/lib/auth/page";
import { can } from "@/lib/auth/permissions";
import { countAwaitingReview } from "@/lib/registry/mappings/review-queue";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const [memberships, reviewCount] = await Promise.all([
    listMemberships(actor.userId),
    can(actor.role, "mapping.approve") ? countAwaitingReview(actor) : null,
  ]);
  const current = memberships.find((m) => m.workspaceId === actor.workspaceId)!;
  const nav = {
    email: actor.email,
    role: actor.role,
    current: current.workspace.slug,
    workspaces: memberships.map((m) => ({ slug: m.workspace.slug, name: m.workspace.name, role: m.role })),
    reviewCount,
  };
  return (
    <div className="shell">
      <MobileNav {...nav} />
      <AppNav {...nav} />
      <main>{children}</main>
    </div>
  );
}
