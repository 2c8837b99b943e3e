// Stores a batch of prepared calls in ONE transaction — events, identity, outbox — and
// returns each call's answer. Durable before anyone gets a 2xx.
import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import type { Call, CallResult, EventCall, IdentifyCall } from "@/lib/ingest/calls";
import { writeEvents, type Attribution, type EventWriteOutcome } from "@/lib/ingest/store-events";
import {
  applyTraits,
  ensureProfiles,
  existingOwners,
  idKey,
  knownProfileIds,
  linkedAnonymousIds,
  planLinks,
  reattachEvents,
  rememberProfiles,
  writeLinks,
  type LinkPlan,
  type LinkRequest,
} from "@/lib/ingest/identity";
import { registrySnapshot } from "@/lib/ingest/registry-snapshot";
import { markProfilesDirty } from "@/lib/traits/mark-dirty";

const key = idKey;

function linkRequests(events: EventCall[], identifies: IdentifyCall[]): LinkRequest[] {
  const fromEvents = events.flatMap((e): LinkRequest[] => {
    const pairs: LinkRequest[] = [];
    if (e.userId && e.anonymousId) pairs.push({ workspaceId: e.workspaceId, userId: e.userId, anonymousId: e.anonymousId, via: e.type, ref: e.eventId, rowId: e.rowId });
    if (e.link) pairs.push({ workspaceId: e.workspaceId, ...e.link, via: e.type, ref: e.eventId, rowId: e.rowId });
    return pairs;
  });
  const fromIdentify = identifies.flatMap((i): LinkRequest[] => (i.anonymousId ? [{ workspaceId: i.workspaceId, userId: i.userId, anonymousId: i.anonymousId, via: i.via, ref: i.callRef }] : []));
  return [...fromIdentify, ...fromEvents];
}

/** Each stored event's profile: by its user_id, else by the owner of its anonymous_id. */
function attribute(events: EventCall[], profiles: Map<string, string>, plan: LinkPlan): Attribution {
  const out: Attribution = new Map();
  for (const e of events) {
    if (e.userId) out.set(e.rowId, { userId: e.userId, profileId: profiles.get(key(e.workspaceId, e.userId))! });
    else if (e.anonymousId) {
      const owner = plan.owners.get(key(e.workspaceId, e.anonymousId));
      if (owner) out.set(e.rowId, owner);
    }
  }
  return out;
}

/**
 * Profiles whose computed traits may change through identify traits or new links (profile id →
 * workspace id); new events queue their own profile in the statement that stores them.
 */
function touchedProfiles(identifies: IdentifyCall[], profiles: Map<string, string>, plan: LinkPlan) {
  const touched = new Map<string, string>();
  for (const i of identifies) touched.set(profiles.get(key(i.workspaceId, i.userId))!, i.workspaceId);
  for (const l of plan.newLinks) touched.set(l.profileId, l.workspaceId);
  return touched;
}

async function storeInTransaction(raw: RawSql, calls: Call[]) {
  const events = calls.filter((c): c is EventCall => c.kind === "event");
  const identifies = calls.filter((c): c is IdentifyCall => c.kind === "identify");
  const candidates = events.filter((e) => e.status !== "rejected");
  const at = new Date().toISOString();
  const requests = linkRequests(candidates, identifies);
  const profiles = await ensureProfiles(
    raw,
    [
      ...candidates.flatMap((e) => [e.userId, e.link?.userId].filter((u): u is string => Boolean(u)).map((userId) => ({ workspaceId: e.workspaceId, userId }))),
      ...identifies.map((i) => ({ workspaceId: i.workspaceId, userId: i.userId })),
    ],
    at,
  );
  const anonymous = [...requests, ...candidates.filter((e) => !e.userId && e.anonymousId)].map((x) => ({ workspaceId: x.workspaceId, anonymousId: x.anonymousId! }));
  const plan = planLinks(requests, await existingOwners(raw, anonymous), profiles);
  const attribution = attribute(candidates, profiles, plan);
  const written = await writeEvents(raw, events, attribution);
  // Links come only from calls that were stored (a repeat's links were made by its original).
  const stored = (l: LinkRequest) => !l.rowId || written.inserted.has(l.rowId);
  const storedPlan = { ...plan, newLinks: plan.newLinks.filter(stored), conflicts: plan.conflicts.filter(stored) };
  const lost = await writeLinks(raw, storedPlan, at);
  if (lost.length) {
    const lostKeys = new Set(lost.map((l) => key(l.workspaceId, l.anonymousId)));
    await reattachEvents(raw, candidates.filter((e) => !e.userId && e.anonymousId && lostKeys.has(key(e.workspaceId, e.anonymousId))).map((e) => e.rowId));
  }
  for (const i of identifies) {
    await applyTraits(raw, profiles.get(key(i.workspaceId, i.userId))!, i.workspaceId, i.traits, i.via, i.callRef, i.at);
  }
  const linkedIds = await linkedAnonymousIds(raw, identifies.map((i) => profiles.get(key(i.workspaceId, i.userId))!));
  await markProfilesDirty(raw, touchedProfiles(identifies, profiles, storedPlan), at);
  return { written, profiles, plan, linkedIds };
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

function identifyResult(i: IdentifyCall, profiles: Map<string, string>, outcome: LinkPlan, linkedIds: Map<string, string[]>): CallResult {
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

/**
 * The common case — captures of known users with no anonymous_id to link — is one INSERT of
 * events and their outbox rows: a single statement commits atomically on its own, so it skips
 * BEGIN / COMMIT (a quarter of the round trips). Repeats then look up their originals.
 */
async function storeKnownUsersEvents(calls: Call[]) {
  const events = calls.filter((c): c is EventCall => c.kind === "event");
  if (events.length !== calls.length || events.some((e) => e.status === "rejected" || !e.userId || e.anonymousId || e.link)) return null;
  const profiles = knownProfileIds(events.map((e) => ({ workspaceId: e.workspaceId, userId: e.userId! })));
  if (!profiles) return null;
  const plan: LinkPlan = planLinks([], new Map(), profiles);
  const written = await writeEvents(database().raw, events, attribute(events, profiles, plan));
  return { written, profiles, plan, linkedIds: new Map<string, string[]>() };
}

export async function storeCalls(calls: Call[]): Promise<CallResult[]> {
  const { written, profiles, plan, linkedIds } =
    (await storeKnownUsersEvents(calls)) ?? (await database().transaction((raw) => storeInTransaction(raw, calls)));
  rememberProfiles(profiles);
  return Promise.all(calls.map((c) => (c.kind === "event" ? eventResult(c, written) : Promise.resolve(identifyResult(c, profiles, plan, linkedIds)))));
}
