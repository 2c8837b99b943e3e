// What the dashboard and GET /api/audiences/{key} show: per-destination sync status and match
// rate (matchable members / members, measured at the last successful sync), the syncs with
// their adds / removes and outcomes, recent errors, and member lookup through the identity graph.

import { findAudience, serializeAudience, settingsOf } from "@/lib/audiences/manage-audiences";
import { type Actor, assertCan } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { withExchanges } from "@/lib/delivery/attempt-log";

export interface DestinationSyncStatus {
  destination_id: string;
  destination: string;
  type: string;
  enabled: boolean;
  audience_id: string | null;
  /** Latest outbox row's status, or "never" before the first sync. */
  status: string;
  backlog: number;
  last_error: string | null;
  last_synced_at: string | null;
  members: number | null;
  matchable: number | null;
  match_rate: number | null;
}

type StatusRow = {
  audienceId: string;
  destinationId: string;
  name: string;
  type: string;
  status: string;
  lastError: string | null;
  backlog: number;
  syncedAt: Date | null;
  members: number | null;
  matchable: number | null;
};

/** Per (audience, destination): latest status, backlog, last success with its match counts. */
async function statusRows(workspaceId: string, audienceId?: string): Promise<StatusRow[]> {
  return database().raw.query<StatusRow>(
    `SELECT l."audienceId", l."destinationId", d."name", d."type"::text AS "type", l."status"::text AS "status", l."lastError",
       (SELECT count(*)::int FROM "AudienceDelivery" b WHERE b."audienceId" = l."audienceId" AND b."destinationId" = l."destinationId" AND b."status" IN ('pending','retrying')) AS backlog,
       s."deliveredAt" AS "syncedAt", s."members", s."matchable"
     FROM (SELECT DISTINCT ON ("audienceId","destinationId") * FROM "AudienceDelivery" WHERE "workspaceId" = $1 AND ($2::text IS NULL OR "audienceId" = $2)
           ORDER BY "audienceId","destinationId","seq" DESC) l
     JOIN "Destination" d ON d."id" = l."destinationId"
     LEFT JOIN LATERAL (SELECT x."deliveredAt", x."members", x."matchable" FROM "AudienceDelivery" x
           WHERE x."audienceId" = l."audienceId" AND x."destinationId" = l."destinationId" AND x."status" = 'succeeded' ORDER BY x."seq" DESC LIMIT 1) s ON true`,
    [workspaceId, audienceId ?? null],
  );
}

function destinationStatuses(
  audience: { id: string; destinations: unknown },
  rows: StatusRow[],
  names: Map<string, { name: string; type: string }>,
): DestinationSyncStatus[] {
  const settings = settingsOf(audience);
  const mine = rows.filter((r) => r.audienceId === audience.id);
  const ids = [...new Set([...settings.map((s) => s.destination_id), ...mine.map((r) => r.destinationId)])];
  return ids.flatMap((id) => {
    const setting = settings.find((s) => s.destination_id === id);
    const row = mine.find((r) => r.destinationId === id);
    const dest = names.get(id) ?? (row ? { name: row.name, type: row.type } : undefined);
    if (!dest) return [];
    return [
      {
        destination_id: id,
        destination: dest.name,
        type: dest.type,
        enabled: setting?.enabled ?? false,
        audience_id: setting?.audience_id ?? null,
        status: row?.status ?? "never",
        backlog: row?.backlog ?? 0,
        last_error: row?.lastError ?? null,
        last_synced_at: row?.syncedAt?.toISOString() ?? null,
        members: row?.members ?? null,
        matchable: row?.matchable ?? null,
        match_rate: row?.members ? (row.matchable ?? 0) / row.members : null,
      },
    ];
  });
}

async function destinationNames(workspaceId: string) {
  const rows = await db().destination.findMany({
    where: { workspaceId },
    select: { id: true, name: true, type: true },
  });
  return new Map(rows.map((d) => [d.id, { name: d.name, type: d.type as string }]));
}

/** Audiences with members, last sync and per-destination status (the /audiences list). */
export async function audienceOverview(actor: Actor) {
  assertCan(actor, "workspace.read");
  const [audiences, rows, names, lastSyncs] = await Promise.all([
    db().audience.findMany({ where: { workspaceId: actor.workspaceId }, orderBy: { key: "asc" } }),
    statusRows(actor.workspaceId),
    destinationNames(actor.workspaceId),
    db().audienceSync.groupBy({
      by: ["audienceId"],
      where: { audience: { workspaceId: actor.workspaceId } },
      _max: { createdAt: true },
    }),
  ]);
  const lastOf = new Map(lastSyncs.map((s) => [s.audienceId, s._max.createdAt?.toISOString() ?? null]));
  return audiences.map((a) => ({
    ...serializeAudience(a),
    last_sync_at: lastOf.get(a.id) ?? null,
    destination_status: destinationStatuses(a, rows, names),
  }));
}

const SYNC_LIMIT = 50;
const ERROR_LIMIT = 20;

export async function audienceDetail(actor: Actor, key: string) {
  assertCan(actor, "workspace.read");
  const audience = await findAudience(actor.workspaceId, key);
  const [rows, names, syncs, errors] = await Promise.all([
    statusRows(actor.workspaceId, audience.id),
    destinationNames(actor.workspaceId),
    db().audienceSync.findMany({
      where: { audienceId: audience.id },
      orderBy: { createdAt: "desc" },
      take: SYNC_LIMIT,
    }),
    db()
      .audienceDeliveryAttempt.findMany({
        where: { delivery: { audienceId: audience.id }, outcome: { not: "success" } },
        orderBy: { createdAt: "desc" },
        take: ERROR_LIMIT,
        include: { delivery: { select: { destinationId: true, syncId: true } } },
      })
      .then(withExchanges),
  ]);
  const deliveries = await db().audienceDelivery.findMany({
    where: { audienceId: audience.id, OR: [{ syncId: { in: syncs.map((s) => s.id) } }, { syncId: null }] },
    orderBy: { seq: "desc" },
    take: 500,
  });
  const nameOf = (id: string) => names.get(id)?.name ?? id;
  const outbox = (d: (typeof deliveries)[number]) => ({
    id: d.id,
    destination_id: d.destinationId,
    destination: nameOf(d.destinationId),
    full: d.full,
    status: d.status,
    attempts: d.attempts,
    sent_adds: d.sentAdds,
    sent_removes: d.sentRemoves,
    unmatchable: d.unmatchable,
    last_error: d.lastError,
    delivered_at: d.deliveredAt?.toISOString() ?? null,
  });
  return {
    ...serializeAudience(audience),
    last_sync_at: syncs[0]?.createdAt.toISOString() ?? null,
    destination_status: destinationStatuses(audience, rows, names),
    syncs: syncs.map((s) => ({
      id: s.id,
      via: s.via,
      request_ref: s.requestRef,
      adds: s.adds,
      removes: s.removes,
      created_at: s.createdAt.toISOString(),
      deliveries: deliveries.filter((d) => d.syncId === s.id).map(outbox),
    })),
    /** Full syncs queued when a destination was switched on (no membership change of their own). */
    initial_syncs: deliveries.filter((d) => d.syncId === null).map(outbox),
    errors: errors.map((e) => ({
      destination: nameOf(e.delivery.destinationId),
      sync_id: e.delivery.syncId,
      attempt: e.attempt,
      outcome: e.outcome,
      reason: e.reason,
      status: e.exchange?.responseStatus ?? null,
      at: e.createdAt.toISOString(),
    })),
  };
}

export type AudienceDetailJson = Awaited<ReturnType<typeof audienceDetail>>;

/** Whether an id is a member, directly or through its profile (its user_id or any anonymous_id linked to it). */
export async function lookupMember(actor: Actor, key: string, member: string) {
  assertCan(actor, "workspace.read");
  const audience = await findAudience(actor.workspaceId, key);
  const workspaceId = actor.workspaceId;
  const profile =
    (await db().profile.findUnique({ where: { workspaceId_userId: { workspaceId, userId: member } } })) ??
    (
      await db().profileIdentity.findUnique({
        where: { workspaceId_anonymousId: { workspaceId, anonymousId: member } },
        include: { profile: true },
      })
    )?.profile ??
    null;
  const linked = profile
    ? await db().profileIdentity.findMany({
        where: { profileId: profile.id },
        select: { anonymousId: true },
        take: 200,
      })
    : [];
  const candidates = [
    { kind: "user_id", value: member },
    { kind: "anonymous_id", value: member },
    ...(profile ? [{ kind: "user_id", value: profile.userId }] : []),
    ...linked.map((l) => ({ kind: "anonymous_id", value: l.anonymousId })),
  ];
  const rows = await db().audienceMember.findMany({
    where: { audienceId: audience.id, OR: candidates },
    orderBy: { addedAt: "asc" },
  });
  return {
    audience: audience.key,
    lookup: member,
    is_member: rows.length > 0,
    profile: profile ? { user_id: profile.userId, anonymous_ids: linked.map((l) => l.anonymousId) } : null,
    matches: rows.map((r) => ({ kind: r.kind, value: r.value, added_at: r.addedAt.toISOString() })),
  };
}
