// Stores a batch of prepared calls in ONE transaction — events, identity, outbox — and
// returns each call's answer. Durable before anyone gets a 2xx.
import { db } from "@/lib/db";
import type { Tx } from "@/lib/registry/audit";
import type { Call, CallResult, EventCall, IdentifyCall } from "@/lib/ingest/calls";
import { writeEvents, type EventWriteOutcome } from "@/lib/ingest/store-events";
import { applyTraits, attachEvents, ensureProfiles, linkAnonymousIds, type LinkOutcome, type LinkRequest } from "@/lib/ingest/identity";
import { registrySnapshot } from "@/lib/ingest/registry-snapshot";

const key = (ws: string, v: string) => `${ws}\u0000${v}`;

function linkRequests(events: EventCall[], identifies: IdentifyCall[]): LinkRequest[] {
  const fromEvents = events.flatMap((e): LinkRequest[] => {
    const pairs: LinkRequest[] = [];
    if (e.userId && e.anonymousId) pairs.push({ workspaceId: e.workspaceId, userId: e.userId, anonymousId: e.anonymousId, via: e.type, ref: e.eventId });
    if (e.link) pairs.push({ workspaceId: e.workspaceId, ...e.link, via: e.type, ref: e.eventId });
    return pairs;
  });
  const fromIdentify = identifies.flatMap((i): LinkRequest[] => (i.anonymousId ? [{ workspaceId: i.workspaceId, userId: i.userId, anonymousId: i.anonymousId, via: i.via, ref: i.callRef }] : []));
  return [...fromIdentify, ...fromEvents];
}

async function storeInTransaction(tx: Tx, calls: Call[]) {
  const events = calls.filter((c): c is EventCall => c.kind === "event");
  const identifies = calls.filter((c): c is IdentifyCall => c.kind === "identify");
  const at = new Date().toISOString();
  const written = await writeEvents(tx, events);
  const newEvents = events.filter((e) => written.inserted.has(e.rowId) && e.status !== "rejected");
  const links = linkRequests(newEvents, identifies);
  const profiles = await ensureProfiles(
    tx,
    [
      ...newEvents.flatMap((e) => [e.userId, e.link?.userId].filter((u): u is string => Boolean(u)).map((userId) => ({ workspaceId: e.workspaceId, userId }))),
      ...identifies.map((i) => ({ workspaceId: i.workspaceId, userId: i.userId })),
    ],
    at,
  );
  const linkOutcome = await linkAnonymousIds(tx, links, profiles, at);
  await attachEvents(tx, newEvents.map((e) => e.rowId), linkOutcome.linked);
  for (const i of identifies) {
    await applyTraits(tx, profiles.get(key(i.workspaceId, i.userId))!, i.workspaceId, i.traits, i.via, i.callRef, i.at);
  }
  const linkedIds = await linkedAnonymousIds(tx, identifies.map((i) => profiles.get(key(i.workspaceId, i.userId))!));
  return { written, profiles, linkOutcome, linkedIds };
}

async function linkedAnonymousIds(tx: Tx, profileIds: string[]): Promise<Map<string, string[]>> {
  if (profileIds.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<{ profileId: string; anonymousId: string }[]>(
    `SELECT "profileId", "anonymousId" FROM "ProfileIdentity" WHERE "profileId" = ANY($1::text[]) ORDER BY "createdAt", "anonymousId"`,
    profileIds,
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.profileId, [...(out.get(r.profileId) ?? []), r.anonymousId]);
  return out;
}

async function eventResult(e: EventCall, written: EventWriteOutcome): Promise<CallResult> {
  if (e.status === "rejected") {
    return {
      status: 422,
      body: {
        error: { code: "schema_violation", message: `The event does not satisfy the ${e.canonicalName} schema; it was recorded as rejected`, issues: e.problems },
        event_id: e.eventId,
      },
    };
  }
  const original = written.originals.get(e.rowId);
  if (original) {
    const snapshot = await registrySnapshot(e.workspaceId);
    const summary = {
      id: original.id,
      received_at: new Date(original.receivedAt).toISOString(),
      status: original.status,
      canonical_event: original.canonicalEventId ? (snapshot.canonicalNameById.get(original.canonicalEventId) ?? null) : null,
    };
    if (written.conflicts.has(e.rowId)) {
      return { status: 409, body: { error: { code: "event_id_conflict", message: `event_id ${e.eventId} was already used with a different payload; the original is kept` }, original: summary } };
    }
    return { status: 200, body: { status: "duplicate", event_id: e.eventId, original: summary } };
  }
  if (!written.inserted.has(e.rowId)) {
    return { status: 500, body: { error: { code: "internal", message: "The event could not be stored; retry with the same event_id" } } };
  }
  const snapshot = await registrySnapshot(e.workspaceId);
  return {
    status: 202,
    body: {
      status: e.status,
      event_id: e.eventId,
      canonical_event: e.canonicalName,
      ...(e.status === "accepted" ? { deliveries: e.destinationIds.map((id) => ({ destination_id: id, destination: snapshot.destinationNames.get(id) ?? id, status: "pending" })) } : {}),
      ...(e.hint ? { hint: e.hint } : {}),
    },
  };
}

function identifyResult(i: IdentifyCall, profiles: Map<string, string>, outcome: LinkOutcome, linkedIds: Map<string, string[]>): CallResult {
  const profileId = profiles.get(key(i.workspaceId, i.userId))!;
  const conflicts = outcome.conflicts.filter((c) => c.workspaceId === i.workspaceId && c.anonymousId === i.anonymousId && c.userId === i.userId);
  return {
    status: 202,
    body: {
      status: "accepted",
      profile_id: profileId,
      user_id: i.userId,
      linked: linkedIds.get(profileId) ?? [],
      ...(conflicts.length ? { conflicts: conflicts.map((c) => ({ anonymous_id: c.anonymousId, linked_to_user_id: c.existingUserId })) } : {}),
    },
  };
}

export async function storeCalls(calls: Call[]): Promise<CallResult[]> {
  const { written, profiles, linkOutcome, linkedIds } = await db().$transaction((tx) => storeInTransaction(tx, calls), { timeout: 60_000, maxWait: 60_000 });
  return Promise.all(calls.map((c) => (c.kind === "event" ? eventResult(c, written) : Promise.resolve(identifyResult(c, profiles, linkOutcome, linkedIds)))));
}
