// Members as a destination sees them, resolved through the identity graph at send time: a
// user_id to its profile, an anonymous_id to the profile it is linked to (if any), with traits.
// Suppressed people (lib/privacy) are never sent as additions.

import type { ResolvedMember } from "@/lib/audiences/platforms/types";
import { database } from "@/lib/db";
import { isSuppressed, suppressedSet } from "@/lib/privacy/suppressions";

type Row = {
  action: string;
  kind: ResolvedMember["kind"];
  value: string;
  userId: string | null;
  traits: Record<string, unknown>;
};

export type MembersOf = { syncId: string } | { audienceId: string };

export async function resolveMembers(
  workspaceId: string,
  of: MembersOf,
): Promise<{ adds: ResolvedMember[]; removes: ResolvedMember[] }> {
  const source =
    "syncId" in of
      ? `SELECT "action", "kind", "value" FROM "AudienceChange" WHERE "syncId" = $2`
      : `SELECT 'add' AS "action", "kind", "value" FROM "AudienceMember" WHERE "audienceId" = $2`;
  const rows = await database().raw.query<Row>(
    `SELECT s."action", s."kind", s."value", COALESCE(pr."userId", CASE WHEN s."kind" = 'user_id' THEN s."value" END) AS "userId", COALESCE(pr."traits", '{}'::jsonb) AS "traits"
     FROM (${source}) s
     LEFT JOIN "Profile" pu ON s."kind" = 'user_id' AND pu."workspaceId" = $1 AND pu."userId" = s."value"
     LEFT JOIN "ProfileIdentity" pi ON s."kind" = 'anonymous_id' AND pi."workspaceId" = $1 AND pi."anonymousId" = s."value"
     LEFT JOIN "Profile" pr ON pr."id" = COALESCE(pu."id", pi."profileId")
     ORDER BY s."kind", s."value"`,
    [workspaceId, "syncId" in of ? of.syncId : of.audienceId],
  );
  const adds: ResolvedMember[] = [];
  const removes: ResolvedMember[] = [];
  const suppressed = await suppressedSet(workspaceId);
  for (const r of rows) {
    const member = { kind: r.kind, value: r.value, userId: r.userId, traits: r.traits ?? {} };
    if (r.action === "remove") removes.push(member);
    else if (!isSuppressed(suppressed, workspaceId, identifiersOfMember(member))) adds.push(member);
  }
  return { adds, removes };
}

function identifiersOfMember(m: ResolvedMember) {
  const email = typeof m.traits.email === "string" ? m.traits.email : null;
  return [
    { kind: m.kind, value: m.value },
    { kind: "user_id" as const, value: m.userId },
    { kind: "email" as const, value: email },
  ];
}
