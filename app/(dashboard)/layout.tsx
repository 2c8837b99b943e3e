import type { ReactNode } from "react";
import { AppNav } from "@/components/app-nav";
import { listMemberships } from "@/lib/auth/context";
import { requirePageActor } from "@/lib/auth/page";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const actor = await requirePageActor();
  const memberships = await listMemberships(actor.userId);
  const current = memberships.find((m) => m.workspaceId === actor.workspaceId)!;
  return (
    <div className="shell">
      <AppNav
        email={actor.email}
        role={actor.role}
        current={current.workspace.slug}
        workspaces={memberships.map((m) => ({ slug: m.workspace.slug, name: m.workspace.name, role: m.role }))}
      />
      <main>{children}</main>
    </div>
  );
}
