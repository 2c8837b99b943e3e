"use client";
// The navigation's links, grouped by what people come to do. A link whose page a role cannot use at all is
// hidden; one the role may only read is marked "read-only". Both read the one permission table.
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useId } from "react";
import { Badge } from "@/components/ui/badge";
import { can, type Permission } from "@/lib/auth/permissions";
import type { Role } from "@/lib/generated/prisma/enums";

type NavLink = {
  href: string;
  label: string;
  /** Without it the page is read-only for the role. */
  manage?: Permission;
  /** Without it the page has nothing for the role: the link is hidden. */
  use?: Permission;
};

export const NAV_GROUPS: { title: string; links: NavLink[] }[] = [
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
      { href: "/alerts", label: "Alerts", manage: "alert.snooze" },
    ],
  },
  {
    title: "Delivery",
    links: [
      { href: "/destinations", label: "Destinations", manage: "destination.manage" },
      { href: "/deliveries", label: "Deliveries", manage: "delivery.retry" },
      { href: "/reconciliation", label: "Reconciliation" },
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
      { href: "/privacy", label: "Privacy", use: "privacy.manage" },
      { href: "/settings", label: "Settings", manage: "workspace.settings" },
      { href: "/account", label: "Your account" },
    ],
  },
];

/** The links a role sees, group by group (groups left empty are dropped). */
export function visibleGroups(role: Role) {
  return NAV_GROUPS.map((g) => ({ ...g, links: g.links.filter((l) => !l.use || can(role, l.use)) })).filter(
    (g) => g.links.length > 0,
  );
}

/** The review queue: a link to "Needs my review" with how many revisions await this person. */
function ReviewQueueLink({ count, onNavigate }: { count: number; onNavigate?: () => void }) {
  return (
    <li>
      <Link
        href="/mappings?needs_review=me"
        aria-label={`Needs my review: ${count} awaiting your review`}
        onClick={onNavigate}
      >
        Needs my review{" "}
        <Badge status={count ? "in_review" : undefined} data-testid="review-count">
          {count}
        </Badge>
      </Link>
    </li>
  );
}

interface Props {
  role: Role;
  /** Revisions in review this person may approve and did not submit; null when the role cannot approve. */
  reviewCount: number | null;
  /** Called when a link is followed (the phone menu closes). */
  onNavigate?: () => void;
}

export function NavGroups({ role, reviewCount, onNavigate }: Props) {
  const pathname = usePathname();
  const id = useId();
  return visibleGroups(role).map((group) => (
    <div key={group.title} className="nav-group">
      <h2 className="nav-group-title" id={`${id}-${group.title}`}>
        {group.title}
      </h2>
      <ul aria-labelledby={`${id}-${group.title}`}>
        {group.links.map(({ href, label, manage }) => (
          <li key={href}>
            <Link href={href} aria-current={pathname.startsWith(href) ? "page" : undefined} onClick={onNavigate}>
              {label}
              {manage && !can(role, manage) ? <span className="nav-read-only"> read-only</span> : null}
            </Link>
          </li>
        ))}
        {group.title === "Registry" && reviewCount !== null ? (
          <ReviewQueueLink count={reviewCount} onNavigate={onNavigate} />
        ) : null}
      </ul>
    </div>
  ));
}
