import type { ReactNode } from "react";
import { AppNav } from "@/components/app-nav";
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
  return (
    <div className="shell">
      <AppNav
        email={actor.email}
        role={actor.role}
        current={current.workspace.slug}
        workspaces={memberships.map((m) => ({ slug: m.workspace.slug, name: m.workspace.name, role: m.role }))}
        reviewCount={reviewCount}
      />
      <main>{children}</main>
    </div>
  );
}
