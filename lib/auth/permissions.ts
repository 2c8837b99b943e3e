// The one permission table: every check in pages, routes and domain functions reads it.
import type { Role } from "@/lib/generated/prisma/enums";

export const ROLES = ["admin", "growth", "analyst", "engineer", "viewer"] as const satisfies readonly Role[];

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: "Members, sources, keys, destinations and everything else",
  growth: "Approve, reject and deprecate mappings; toggle destinations on mappings; define computed traits",
  analyst: "Create and edit draft mappings, promote events, submit for review",
  engineer: "Read everything operational; manage destinations' technical settings (not where they send)",
  viewer: "Read only",
};

const everyone: Role[] = ["admin", "growth", "analyst", "engineer", "viewer"];

export const PERMISSIONS = {
  "workspace.read": everyone,
  "workspace.settings": ["admin"],
  // Members and invitations: /api/members*, /api/invitations (GET, POST), /api/invitations/{id} (DELETE).
  "member.manage": ["admin"],
  "source.manage": ["admin"],
  "writeKey.manage": ["admin"],
  "destination.manage": ["admin", "engineer"],
  // Change where a destination sends (any URL in its settings); its secrets must be re-entered with it.
  "destination.endpoint": ["admin"],
  "delivery.retry": ["admin", "engineer"],
  "canonicalEvent.manage": ["admin", "analyst"],
  "mapping.edit": ["admin", "analyst"],
  "mapping.submit": ["admin", "analyst"],
  "mapping.approve": ["admin", "growth"],
  "mapping.reject": ["admin", "growth"],
  "mapping.deprecate": ["admin", "growth"],
  "mapping.toggleDestination": ["admin", "growth"],
  // Guided end-to-end validation: create test write keys, record a validation run.
  "mapping.validate": ["admin", "growth", "analyst", "engineer"],
  // Whether approval requires a passed validation.
  "validation.policy": ["admin", "growth"],
  "audience.manage": ["admin", "growth"],
  "computedTrait.manage": ["admin", "growth"],
  // Erase one person (GDPR / CCPA) and suppress or un-suppress identifiers: /api/privacy/*.
  "privacy.manage": ["admin"],
  // Alert rules and channels (/api/alert-rules, /api/alert-channels), muting alerts until unmuted.
  "alert.manage": ["admin", "growth"],
  // Snoozing an alert for some hours (/api/alerts/{id}/snooze): also engineers, who answer the
  // destination alerts (failure rate, dead letters, backlog); a snooze ends by itself.
  "alert.snooze": ["admin", "growth", "engineer"],
  "audit.read": everyone,
  "token.manage": everyone,
} as const satisfies Record<string, readonly Role[]>;

/**
 * Routes that need no workspace role, and why: a person acts on their own account, or holds a single-use link.
 * Every other management route names one permission above.
 */
export const ROLE_FREE_ROUTES = {
  "POST /api/invitations/accept": "the invitation link's token",
  "POST /api/account/password": "a signed-in session (not an access token) and the current password",
  "POST /api/password-resets": "anyone; the answer never tells whether the e-mail has an account",
  "POST /api/password-resets/complete": "the e-mailed reset link's token",
} as const;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
