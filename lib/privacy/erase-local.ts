// Deletion steps erase_*: the person's data in TrackLayer, one transaction per table group, each
// returning counts per table for the receipt. Events are SCRUBBED, not deleted: the row keeps its
// event_id (dedup stays exact: a retry is still a duplicate), name, status and times; ids,
// properties, context and the raw payload (its EventPayload row, where retention has not dropped it
// yet) go. Delivery-log bodies of their deliveries are nulled.
import type { RawSql } from "@/lib/db/connection";
import type { Subject } from "@/lib/privacy/subject";

/** What a scrubbed event's payload row holds (an expired one stays absent: it reads as expired). */
export const ERASED_PAYLOAD = '{"erased":true}';

const count = async (raw: RawSql, sql: string, params: unknown[]) =>
  (await raw.query<{ n: number }>(`WITH x AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM x`, params))[0]!.n;

/** Profiles of the person now: those resolved when the request was filed, and any made since for their user_ids. */
async function profileIds(raw: RawSql, workspaceId: string, subject: Subject): Promise<string[]> {
  const rows = await raw.query<{ id: string }>(
    `SELECT "id" FROM "Profile" WHERE "workspaceId" = $1 AND ("id" = ANY($2::text[]) OR "userId" = ANY($3::text[]))`,
    [workspaceId, subject.profiles.map((p) => p.id), subject.userIds],
  );
  return rows.map((r) => r.id);
}

const MEMBER_MATCH = `("profileId" = ANY($2::text[]) OR ("kind" = 'user_id' AND "value" = ANY($3::text[])) OR ("kind" = 'anonymous_id' AND "value" = ANY($4::text[])))`;

export async function eraseAudiences(raw: RawSql, workspaceId: string, subject: Subject) {
  const params = [workspaceId, await profileIds(raw, workspaceId, subject), subject.userIds, subject.anonymousIds];
  const inWorkspace = `"audienceId" IN (SELECT "id" FROM "Audience" WHERE "workspaceId" = $1)`;
  const touched = await raw.query<{ audienceId: string }>(
    `DELETE FROM "AudienceMember" WHERE ${inWorkspace} AND ${MEMBER_MATCH} RETURNING "audienceId"`,
    params,
  );
  await raw.query(
    `UPDATE "Audience" a SET "memberCount" = (SELECT count(*) FROM "AudienceMember" m WHERE m."audienceId" = a."id")
     WHERE a."id" = ANY($1::text[])`,
    [[...new Set(touched.map((t) => t.audienceId))]],
  );
  const changes = await count(
    raw,
    `DELETE FROM "AudienceChange" WHERE "syncId" IN (SELECT s."id" FROM "AudienceSync" s JOIN "Audience" a ON a."id" = s."audienceId" WHERE a."workspaceId" = $1)
       AND ${MEMBER_MATCH}`,
    params,
  );
  const staged = await count(
    raw,
    `DELETE FROM "AudienceStagedMember" WHERE ${inWorkspace}
       AND (("kind" = 'user_id' AND "value" = ANY($2::text[])) OR ("kind" = 'anonymous_id' AND "value" = ANY($3::text[])))`,
    [workspaceId, subject.userIds, subject.anonymousIds],
  );
  return { audience_members: touched.length, audience_changes: changes, audience_staged_members: staged };
}

export async function eraseEvents(raw: RawSql, workspaceId: string, subject: Subject) {
  const profiles = await profileIds(raw, workspaceId, subject);
  // Found by indexed lookups in every month; then scrubbed by their full key (id, receivedAt), so
  // each update reads only the months the person's events arrived in, not every partition's index.
  const found = await raw.query<{ id: string; receivedAt: string }>(
    `SELECT "id", to_char("receivedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS "receivedAt" FROM "Event"
     WHERE "workspaceId" = $1 AND ("resolvedUserId" = ANY($2::text[]) OR "userId" = ANY($2::text[])
       OR "anonymousId" = ANY($3::text[]) OR "profileId" = ANY($4::text[]))`,
    [workspaceId, subject.userIds, subject.anonymousIds, profiles],
  );
  if (found.length === 0) return { events_scrubbed: 0, deliveries_cancelled: 0, delivery_log_bodies_scrubbed: 0 };
  const events = found.map((r) => r.id);
  // Ids are unique, so pairing any id with any of the times matches only the events found.
  const times = [...new Set(found.map((r) => r.receivedAt))];
  const scrubbed = await count(
    raw,
    `UPDATE "Event" SET "userId" = NULL, "anonymousId" = NULL, "resolvedUserId" = NULL, "profileId" = NULL,
       "properties" = '{}', "context" = NULL, "problems" = NULL WHERE "id" = ANY($1::text[]) AND "receivedAt" = ANY($2::timestamp[])`,
    [events, times],
  );
  await raw.query(
    `UPDATE "EventPayload" SET "payload" = '${ERASED_PAYLOAD}'
     WHERE "workspaceId" = $1 AND "eventRowId" = ANY($2::text[]) AND "receivedAt" = ANY($3::timestamp[])`,
    [workspaceId, events, times],
  );
  const cancelled = await count(
    raw,
    `UPDATE "Delivery" SET "status" = 'skipped', "lastError" = 'the person was erased (privacy deletion)', "leaseUntil" = NULL,
       "leasedBy" = NULL, "updatedAt" = now() WHERE "eventRowId" = ANY($1::text[]) AND "status" IN ('pending', 'retrying')`,
    [events],
  );
  const bodies = await count(
    raw,
    `UPDATE "HttpExchange" SET "requestBody" = NULL, "responseBody" = NULL
     WHERE ("id", "createdAt") IN (SELECT a."exchangeId", a."createdAt" FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId"
                    WHERE d."eventRowId" = ANY($1::text[]) AND a."exchangeId" IS NOT NULL)
       AND ("requestBody" IS NOT NULL OR "responseBody" IS NOT NULL)`,
    [events],
  );
  return { events_scrubbed: scrubbed, deliveries_cancelled: cancelled, delivery_log_bodies_scrubbed: bodies };
}

export async function eraseProfiles(raw: RawSql, workspaceId: string, subject: Subject) {
  const ids = await profileIds(raw, workspaceId, subject);
  const n = async (table: string) =>
    (
      await raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}" WHERE "profileId" = ANY($1::text[])`, [
        ids,
      ])
    )[0]!.n;
  const counts = {
    identity_links: await n("ProfileIdentity"),
    trait_changes: await n("TraitChange"),
    computed_traits: await n("ProfileComputedTrait"),
    computed_trait_changes: await n("ComputedTraitChange"),
    trait_sync_log_bodies_scrubbed: await count(
      raw,
      `UPDATE "HttpExchange" SET "requestBody" = NULL, "responseBody" = NULL
       WHERE ("id", "createdAt") IN (SELECT a."exchangeId", a."createdAt" FROM "TraitSyncAttempt" a JOIN "TraitSync" s ON s."id" = a."syncId"
                      WHERE s."profileId" = ANY($1::text[]) AND a."exchangeId" IS NOT NULL)
         AND ("requestBody" IS NOT NULL OR "responseBody" IS NOT NULL)`,
      [ids],
    ),
    trait_syncs: await count(raw, `DELETE FROM "TraitSync" WHERE "profileId" = ANY($1::text[])`, [ids]),
    identity_conflicts: await count(
      raw,
      `DELETE FROM "IdentityConflict" WHERE "workspaceId" = $1 AND ("anonymousId" = ANY($3::text[])
         OR "existingUserId" = ANY($2::text[]) OR "attemptedUserId" = ANY($2::text[]))`,
      [workspaceId, subject.userIds, subject.anonymousIds],
    ),
  };
  await raw.query(`DELETE FROM "ComputedTraitQueue" WHERE "profileId" = ANY($1::text[])`, [ids]);
  await raw.query(`DELETE FROM "ComputedTraitInput" WHERE "profileId" = ANY($1::text[])`, [ids]);
  // The cascade removes identity links, trait history and computed traits with the profile.
  const profiles = await count(raw, `DELETE FROM "Profile" WHERE "id" = ANY($1::text[])`, [ids]);
  return { profiles, ...counts };
}
