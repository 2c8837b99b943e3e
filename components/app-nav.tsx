"use client";
// Sidebar navigation, the workspace switcher and sign-out.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { signOut } from "next-auth/react";
import { callApi } from "@/components/ui/api-client";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Role } from "@/lib/generated/prisma/enums";

type NavLink = {
  href: string;
  label: string /** Without it the page is read-only for the role. */;
  manage?: Permission;
};

/** The navigation, grouped by what people come to do. */
const GROUPS: { title: string; links: NavLink[] }[] = [
  {
    title: "Registry",
    links: [
      { href: "/mappings", label: "Mappings", manage: "mapping.edit" },
      { href: "/canonical-events", label: "Canonical events", manage: "canonicalEvent.manage" },
      { href: "/unmapped", label: "Unmapped" },
      { href: "/violations", label: "Violations" },
    ],
  },
  {
    title: "Data",
    links: [
      { href: "/inspector", label: "Live inspector" },
      { href: "/events", label: "Events" },
      { href: "/profiles", label: "Profiles" },
    ],
  },
  {
    title: "Delivery",
    links: [
      { href: "/destinations", label: "Destinations", manage: "destination.manage" },
      { href: "/deliveries", label: "Deliveries", manage: "delivery.retry" },
      { href: "/alerts", label: "Alerts", manage: "alert.manage" },
    ],
  },
  {
    title: "Audiences",
    links: [
      { href: "/audiences", label: "Audiences", manage: "audience.manage" },
      { href: "/computed-traits", label: "Computed traits", manage: "computedTrait.manage" },
    ],
  },
  {
    title: "Workspace",
    links: [
      { href: "/sources", label: "Sources & keys", manage: "source.manage" },
      { href: "/members", label: "Members", manage: "member.manage" },
      { href: "/tokens", label: "Access tokens" },
      { href: "/audit", label: "Audit log" },
      { href: "/privacy", label: "Privacy", manage: "privacy.manage" },
      { href: "/settings", label: "Settings", manage: "workspace.settings" },
      { href: "/account", label: "Your account" },
    ],
  },
];

interface Props {
  email: string;
  role: string;
  current: string;
  workspaces: { slug: string; name: string; role: string }[];
  /** Revisions in review this person may approve and did not submit; null when the role cannot approve. */
  reviewCount: number | null;
}

/** The review queue: a link to "Needs my review" with how many revisions await this person. */
function ReviewQueueLink({ count }: { count: number }) {
  return (
    <li>
      <Link href="/mappings?needs_review=me" aria-label={`Needs my review: ${count} awaiting your review`}>
        Needs my review{" "}
        <span className={count ? "badge in_review" : "badge"} data-testid="review-count">
          {count}
        </span>
      </Link>
    </li>
  );
}

export function AppNav({ email, role, current, workspaces, reviewCount }: Props) {
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
              {w.name} · {w.role}
            </option>
          ))}
        </select>
      </label>
      <div style={{ height: ".5rem" }} />
      {GROUPS.map((group) => (
        <div key={group.title} className="nav-group">
          <div className="nav-group-title" aria-hidden="true">
            {group.title}
          </div>
          <ul aria-label={group.title}>
            {group.links.map(({ href, label, manage }) => (
              <li key={href}>
                <Link href={href} aria-current={pathname.startsWith(href) ? "page" : undefined}>
                  {label}
                  {manage && !can(role as Role, manage) ? <span className="nav-read-only"> read-only</span> : null}
                </Link>
              </li>
            ))}
            {group.title === "Registry" && reviewCount !== null ? <ReviewQueueLink count={reviewCount} /> : null}
          </ul>
        </div>
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
