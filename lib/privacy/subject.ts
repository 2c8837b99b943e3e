// The person a deletion request names, resolved once when it is filed: their profiles (by user_id,
// by an anonymous_id's link, or by the e-mail trait), every user_id / anonymous_id / e-mail they
// are known by, and the match traits downstream removals need. Sealed at rest (secret-box) until
// the request ends; only keyed hashes and counts are ever kept in the clear.
import { database } from "@/lib/db";
import { openSecrets, sealSecrets } from "@/lib/delivery/secret-box";
import { type IdentifierKind, normalizeIdentifier } from "@/lib/privacy/identifier-hash";

export interface SubjectProfile {
  id: string;
  userId: string;
  /** The traits platforms match on (email, phone, names, hashes…), for audience removals. */
  traits: Record<string, unknown>;
}

export interface Subject {
  profiles: SubjectProfile[];
  userIds: string[];
  anonymousIds: string[];
  emails: string[];
}

type ProfileRow = { id: string; userId: string; traits: Record<string, unknown> };

async function profilesFor(workspaceId: string, kind: IdentifierKind, value: string): Promise<ProfileRow[]> {
  const raw = database().raw;
  if (kind === "user_id")
    return raw.query<ProfileRow>(
      `SELECT "id", "userId", "traits" FROM "Profile" WHERE "workspaceId" = $1 AND "userId" = $2`,
      [workspaceId, value],
    );
  if (kind === "anonymous_id")
    return raw.query<ProfileRow>(
      `SELECT p."id", p."userId", p."traits" FROM "ProfileIdentity" i JOIN "Profile" p ON p."id" = i."profileId"
       WHERE i."workspaceId" = $1 AND i."anonymousId" = $2`,
      [workspaceId, value],
    );
  return raw.query<ProfileRow>(
    `SELECT "id", "userId", "traits" FROM "Profile" WHERE "workspaceId" = $1 AND lower(btrim("traits"->>'email')) = $2`,
    [workspaceId, normalizeIdentifier("email", value)],
  );
}

const unique = (xs: (string | null | undefined)[]) => [...new Set(xs.filter((x): x is string => Boolean(x)))];

export async function resolveSubject(workspaceId: string, kind: IdentifierKind, value: string): Promise<Subject> {
  const profiles = await profilesFor(workspaceId, kind, value);
  const linked = profiles.length
    ? await database().raw.query<{ anonymousId: string }>(
        `SELECT "anonymousId" FROM "ProfileIdentity" WHERE "profileId" = ANY($1::text[])`,
        [profiles.map((p) => p.id)],
      )
    : [];
  const emailOf = (t: Record<string, unknown>) =>
    typeof t.email === "string" && t.email.trim() ? normalizeIdentifier("email", t.email) : null;
  return {
    profiles: profiles.map((p) => ({ id: p.id, userId: p.userId, traits: p.traits ?? {} })),
    userIds: unique([...profiles.map((p) => p.userId), kind === "user_id" ? value : null]),
    anonymousIds: unique([...linked.map((l) => l.anonymousId), kind === "anonymous_id" ? value : null]),
    emails: unique([
      ...profiles.map((p) => emailOf(p.traits ?? {})),
      kind === "email" ? normalizeIdentifier("email", value) : null,
    ]),
  };
}

export const sealSubject = (subject: Subject): string => sealSecrets({ subject: JSON.stringify(subject) });

export function openSubject(sealed: string | null): Subject | null {
  if (!sealed) return null;
  return JSON.parse(openSecrets(sealed).subject ?? "null") as Subject | null;
}
