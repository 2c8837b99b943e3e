// Stores a group of prepared calls atomically — events, identity, outbox — in one statement or
// one transaction, and returns each call's answer. Durable before anyone gets a 2xx.
import { database } from "@/lib/db";
import { commitFailure, type RawSql } from "@/lib/db/connection";
import type { Call, CallResult, EventCall, IdentifyCall } from "@/lib/ingest/calls";
import {
  applyTraits,
  cachedOwners,
  ensureProfiles,
  existingOwners,
  idKey,
  type LinkPlan,
  type LinkRequest,
  linkedAnonymousIds,
  planLinks,
  reattachEvents,
  rememberOwners,
  rememberProfiles,
  settleLinks,
  writeLinks,
} from "@/lib/ingest/identity";
import { registrySnapshot } from "@/lib/ingest/registry-snapshot";
import { type Attribution, type EventWriteOutcome, writeEvents } from "@/lib/ingest/store-events";
import { markProfilesDirty } from "@/lib/traits/mark-dirty";

const key = idKey;

function linkRequests(events: EventCall[], identifies: IdentifyCall[]): LinkRequest[] {
  const fromEvents = events.flatMap((e): LinkRequest[] => {
    const pairs: LinkRequest[] = [];
    if (e.userId && e.anonymousId)
      pairs.push({
        workspaceId: e.workspaceId,
        userId: e.userId,
        anonymousId: e.anonymousId,
        via: e.type,
        ref: e.eventId,
        rowId: e.rowId,
      });
    if (e.link) pairs.push({ workspaceId: e.workspaceId, ...e.link, via: e.type, ref: e.eventId, rowId: e.rowId });
    return pairs;
  });
  const fromIdentify = identifies.flatMap((i): LinkRequest[] =>
    i.anonymousId
      ? [{ workspaceId: i.workspaceId, userId: i.userId, anonymousId: i.anonymousId, via: i.via, ref: i.callRef }]
      : [],
  );
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
 * Profiles whose computed traits may change through identify traits or links made by identify /
 * alias (profile id → workspace id); stored events queue their own profile — the one their links
 * point to — in the statement that stores them.
 */
function touchedProfiles(identifies: IdentifyCall[], profiles: Map<string, string>, plan: LinkPlan) {
  const touched = new Map<string, string>();
  for (const i of identifies) touched.set(profiles.get(key(i.workspaceId, i.userId))!, i.workspaceId);
  for (const l of plan.newLinks) if (!l.rowId) touched.set(l.profileId, l.workspaceId);
  return touched;
}

/**
 * Owners known before writing: the cache, plus a lookup of the rest only when an anonymous-only
 * event needs its owner to be stored. Link requests learn an unknown owner from their INSERT
 * (ON CONFLICT) instead — a statement saved on the common "user_id + new anonymous_id" capture.
 */
async function ownersBeforeWrite(raw: RawSql, requests: LinkRequest[], anonymousOnly: EventCall[]) {
  const ids = (xs: { workspaceId: string; anonymousId?: string | null }[]) =>
    xs.map((x) => ({ workspaceId: x.workspaceId, anonymousId: x.anonymousId! }));
  const { known, unknown } = cachedOwners([...ids(requests), ...ids(anonymousOnly)]);
  const needed = new Set(anonymousOnly.map((e) => key(e.workspaceId, e.anonymousId!)));
  if (!unknown.some((a) => needed.has(key(a.workspaceId, a.anonymousId)))) return known;
  return new Map([...known, ...(await existingOwners(raw, unknown))]);
}

/** The users whose profiles the calls need: user_id of stored captures and aliases, every identify. */
function usersOf(calls: Call[]) {
  return calls.flatMap((c) =>
    c.kind === "identify"
      ? [{ workspaceId: c.workspaceId, userId: c.userId }]
      : c.status === "rejected"
        ? []
        : [c.userId, c.link?.userId]
            .filter((u): u is string => Boolean(u))
            .map((userId) => ({ workspaceId: c.workspaceId, userId })),
  );
}

async function storeInTransaction(raw: RawSql, calls: Call[], profiles: Map<string, string>) {
  const events = calls.filter((c): c is EventCall => c.kind === "event");
  const identifies = calls.filter((c): c is IdentifyCall => c.kind === "identify");
  const candidates = events.filter((e) => e.status !== "rejected");
  const at = new Date().toISOString();
  const requests = linkRequests(candidates, identifies);
  const anonymousOnly = candidates.filter((e) => !e.userId && e.anonymousId);
  const before = await ownersBeforeWrite(raw, requests, anonymousOnly);
  const plan = planLinks(requests, before, profiles);
  const attribution = attribute(candidates, profiles, plan);
  const written = await writeEvents(raw, events, attribution);
  // Links come only from calls that were stored (a repeat's links were made by its original).
  const stored = (l: LinkRequest) => !l.rowId || written.inserted.has(l.rowId);
  const links = await writeLinks(
    raw,
    { ...plan, newLinks: plan.newLinks.filter(stored), conflicts: plan.conflicts.filter(stored) },
    at,
  );
  const reattach = anonymousOnly.filter((e) => links.lost.has(key(e.workspaceId, e.anonymousId!)));
  if (reattach.length)
    await reattachEvents(
      raw,
      reattach.map((e) => e.rowId),
    );
  for (const i of identifies) {
    await applyTraits(
      raw,
      profiles.get(key(i.workspaceId, i.userId))!,
      i.workspaceId,
      i.traits,
      i.via,
      i.callRef,
      i.at,
    );
  }
  const linkedIds = await linkedAnonymousIds(
    raw,
    identifies.map((i) => profiles.get(key(i.workspaceId, i.userId))!),
  );
  await markProfilesDirty(raw, touchedProfiles(identifies, profiles, links.plan), at);
  // Owners known to be committed with this transaction: cached after COMMIT.
  const owners = new Map([...before, ...links.committedOwners]);
  return { written, profiles, plan: links.plan, owners, linkedIds };
}

async function eventResult(e: EventCall, written: EventWriteOutcome): Promise<CallResult> {
  if (e.status === "rejected") {
    return {
      status: 422,
      body: {
        error: {
          code: "schema_violation",
          message: `The event does not satisfy the ${e.canonicalName} schema; it was recorded as rejected`,
          issues: e.problems,
        },
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
      canonical_event: original.canonicalEventId
        ? (snapshot.canonicalNameById.get(original.canonicalEventId) ?? null)
        : null,
    };
    if (written.conflicts.has(e.rowId)) {
      return {
        status: 409,
        body: {
          error: {
            code: "event_id_conflict",
            message: `event_id ${e.eventId} was already used with a different payload; the original is kept`,
          },
          original: summary,
        },
      };
    }
    return { status: 200, body: { status: "duplicate", event_id: e.eventId, original: summary } };
  }
  if (!written.inserted.has(e.rowId)) {
    return {
      status: 500,
      body: { error: { code: "internal", message: "The event could not be stored; retry with the same event_id" } },
    };
  }
  if (e.status === "suppressed") return { status: 202, body: { status: "suppressed", event_id: e.eventId } };
  const snapshot = await registrySnapshot(e.workspaceId);
  return {
    status: 202,
    body: {
      status: e.status,
      event_id: e.eventId,
      canonical_event: e.canonicalName,
      ...(e.status === "accepted"
        ? {
            deliveries: e.destinationIds.map((id) => ({
              destination_id: id,
              destination: snapshot.destinationNames.get(id) ?? id,
              status: "pending",
            })),
          }
        : {}),
      ...(e.hint ? { hint: e.hint } : {}),
    },
  };
}

function identifyResult(
  i: IdentifyCall,
  profiles: Map<string, string>,
  outcome: LinkPlan,
  linkedIds: Map<string, string[]>,
): CallResult {
  const profileId = profiles.get(key(i.workspaceId, i.userId))!;
  const conflicts = outcome.conflicts.filter(
    (c) => c.workspaceId === i.workspaceId && c.anonymousId === i.anonymousId && c.userId === i.userId,
  );
  return {
    status: 202,
    body: {
      status: "accepted",
      profile_id: profileId,
      user_id: i.userId,
      linked: linkedIds.get(profileId) ?? [],
      ...(conflicts.length
        ? { conflicts: conflicts.map((c) => ({ anonymous_id: c.anonymousId, linked_to_user_id: c.existingUserId })) }
        : {}),
    },
  };
}

/**
 * The common case — captures with a user_id, whose anonymous_id (if any) is new or already linked
 * to that user — is ONE statement: events, outbox rows, input marks and new links (see
 * store-events.ts). A single statement commits atomically on its own, so it skips BEGIN / COMMIT;
 * only a link lost to a concurrent commit costs a follow-up. Everything else takes the transaction.
 */
async function storeUserEvents(calls: Call[], profiles: Map<string, string>) {
  const events = calls.filter((c): c is EventCall => c.kind === "event");
  if (events.length !== calls.length || events.some((e) => e.status === "rejected" || !e.userId || e.link)) return null;
  const requests = linkRequests(events, []);
  const { known } = cachedOwners(requests);
  const plan = planLinks(requests, known, profiles);
  if (plan.conflicts.length) return null; // the transaction records them
  const at = new Date().toISOString();
  // That statement is the commit: if its answer is lost, so is what we know of its outcome.
  const written = await writeEvents(database().raw, events, attribute(events, profiles, plan), {
    planned: plan.newLinks,
    at,
  }).catch((error: unknown) => {
    throw commitFailure(error);
  });
  const storedPlan = { ...plan, newLinks: plan.newLinks.filter((l) => written.inserted.has(l.rowId!)) };
  // The events are stored by now: a lost connection here must not answer "not stored".
  const links = await settleLinks(database().raw, storedPlan, written.links ?? { prior: [], created: [] }, at).catch(
    (error: unknown) => {
      throw commitFailure(error);
    },
  );
  return {
    written,
    profiles,
    plan: links.plan,
    owners: new Map([...known, ...links.committedOwners]),
    linkedIds: new Map<string, string[]>(),
  };
}

/**
 * Profiles are created first, each INSERT committing on its own: a concurrent commit that needs
 * the same new user then waits for that one statement, not for a whole ingest transaction.
 * (Should the rest fail, the profile stays, empty: the retry finds it.)
 */
export async function storeCalls(calls: Call[]): Promise<CallResult[]> {
  const profiles = await ensureProfiles(database().raw, usersOf(calls), new Date().toISOString());
  rememberProfiles(profiles);
  const { written, plan, owners, linkedIds } =
    (await storeUserEvents(calls, profiles)) ??
    (await database().transaction((raw) => storeInTransaction(raw, calls, profiles)));
  rememberOwners(owners);
  return Promise.all(
    calls.map((c) =>
      c.kind === "event" ? eventResult(c, written) : Promise.resolve(identifyResult(c, profiles, plan, linkedIds)),
    ),
  );
}
