"use client";
// Sidebar navigation, the workspace switcher and sign-out.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { callApi } from "@/components/ui/api-client";

const LINKS = [
  ["/mappings", "Mappings"],
  ["/inspector", "Live inspector"],
  ["/events", "Events"],
  ["/violations", "Violations"],
  ["/unmapped", "Unmapped"],
  ["/profiles", "Profiles"],
  ["/computed-traits", "Computed traits"],
  ["/destinations", "Destinations"],
  ["/deliveries", "Deliveries"],
  ["/audiences", "Audiences"],
  ["/canonical-events", "Canonical events"],
  ["/sources", "Sources & keys"],
  ["/members", "Members"],
  ["/tokens", "Access tokens"],
  ["/account", "Your account"],
  ["/audit", "Audit log"],
  ["/settings", "Settings"],
] as const;

interface Props {
  email: string;
  role: string;
  current: string;
  workspaces: { slug: string; name: string; role: string }[];
}

export function AppNav({ email, role, current, workspaces }: Props) {
  const pathname = usePathname();
  const router = useRouter();
  async function switchTo(slug: string) {
    const result = await callApi("POST", "/api/workspaces/switch", { workspace: slug });
    if (result.ok) {
      router.push("/mappings");
      router.refresh();
    }
  }
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">TrackLayer</div>
      <label style={{ color: "#9ca3af" }}>
        Workspace
        <select aria-label="Workspace" value={current} onChange={(e) => void switchTo(e.target.value)}>
          {workspaces.map((w) => (
            <option key={w.slug} value={w.slug}>
              {w.name} ({w.role})
            </option>
          ))}
        </select>
      </label>
      <div style={{ height: ".5rem" }} />
      {LINKS.map(([href, label]) => (
        <Link key={href} href={href} aria-current={pathname.startsWith(href) ? "page" : undefined}>
          {label}
        </Link>
      ))}
      <div className="spacer" />
      <div className="who">
        {email}
        <br />
        role: <strong data-testid="current-role">{role}</strong>
      </div>
      <button type="button" onClick={() => void signOut({ callbackUrl: "/signin" })}>
        Sign out
      </button>
    </nav>
  );
}
