"use client";
// The dashboard's navigation: a sidebar from 768 px up; below, a top bar whose menu button opens the same
// navigation in a sheet. Both hold the grouped links, the workspace picker, who is signed in and sign-out.
import { usePathname } from "next/navigation";
import { signOut } from "next-auth/react";
import { useEffect, useState } from "react";
import { NavGroups } from "@/components/shell/nav-groups";
import { type WorkspaceChoice, WorkspaceMenu } from "@/components/shell/workspace-menu";
import { Button } from "@/components/ui/button";
import { Sheet, SheetContent, SheetDescription, SheetTitle, SheetTrigger } from "@/components/ui/sheet";
import type { Role } from "@/lib/generated/prisma/enums";

interface Props {
  email: string;
  role: Role;
  current: string;
  workspaces: WorkspaceChoice[];
  /** Revisions in review this person may approve and did not submit; null when the role cannot approve. */
  reviewCount: number | null;
}

function NavBody({ email, role, current, workspaces, reviewCount, onNavigate }: Props & { onNavigate?: () => void }) {
  return (
    <nav className="sidebar-nav" aria-label="Main">
      <WorkspaceMenu current={current} workspaces={workspaces} />
      <NavGroups role={role} reviewCount={reviewCount} onNavigate={onNavigate} />
      <div className="spacer" />
      <div className="who">
        {email}
        <br />
        role: <strong data-testid="current-role">{role}</strong>
      </div>
      <Button className="mt-2 w-full" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        Sign out
      </Button>
    </nav>
  );
}

/** The sidebar, shown from 768 px up. */
export function AppNav(props: Props) {
  return (
    <aside className="sidebar hidden md:flex" aria-label="Sidebar">
      <div className="brand">TrackLayer</div>
      <NavBody {...props} />
    </aside>
  );
}

/** The phone top bar: brand and a menu button opening the navigation in a sheet (below 768 px). */
export function MobileNav(props: Props) {
  const [open, setOpen] = useState(false);
  const pathname = usePathname();
  // Close after a navigation (also when a link to the current page is followed).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on path changes only
  useEffect(() => setOpen(false), [pathname]);
  return (
    <header className="topbar sticky top-0 z-30 flex items-center gap-3 bg-sidebar px-3 py-2 text-white md:hidden">
      <Sheet open={open} onOpenChange={setOpen}>
        <SheetTrigger asChild>
          <Button variant="ghost" size="icon" aria-label="Open navigation" className="text-white">
            <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor">
              <path d="M3 6h18M3 12h18M3 18h18" strokeWidth="2" strokeLinecap="round" />
            </svg>
          </Button>
        </SheetTrigger>
        <SheetContent className="sidebar">
          <div className="flex items-center justify-between">
            <SheetTitle className="brand m-0">TrackLayer</SheetTitle>
            <SheetDescription className="sr-only">Navigation</SheetDescription>
          </div>
          <NavBody {...props} onNavigate={() => setOpen(false)} />
        </SheetContent>
      </Sheet>
      <span className="font-bold">TrackLayer</span>
    </header>
  );
}
