// Writes prepared event calls set-based: one multi-row statement that looks each event_id up in the
// dedup ledger (EventDedup, partitioned by month like Event: every month is searched), inserts the
// new ones' ledger rows ON CONFLICT DO NOTHING (no read-then-write race within a month), and — in
// the same statement — the events whose ledger rows it wrote, their raw payloads (EventPayload), their
// outbox rows and their profiles' recompute marks, and returns the stored originals of repeats; then
// conflict records (only when a repeat's payload differs).
//
// Across a month boundary the ledger's unique index cannot see a concurrent insert into another
// month's partition, so an event arriving in the first hour of a month also writes a guard row into
// the previous month: two concurrent calls with one event_id on either side of the boundary then
// collide on one unique key. Exact as long as an ingest transaction does not stay open for more than
// that hour.

import type { RawSql } from "@/lib/db/connection";
import { timeOrderedId } from "@/lib/ids";
import type { EventCall } from "@/lib/ingest/calls";
import {
  idKey,
  LINK_OUTCOME_COLUMNS,
  LINK_ROW_COLUMNS,
  type LinkRequest,
  type LinkStatementOutcome,
  linkCtes,
  linkRowsJson,
  type Owner,
} from "@/lib/ingest/identity";
import { inputMarksSql } from "@/lib/traits/mark-dirty";

export interface OriginalEvent {
  id: string;
  workspaceId: string;
  eventId: string;
  payloadHash: string;
  status: string;
  receivedAt: Date;
  canonicalEventId: string | null;
}

export interface EventWriteOutcome {
  /** rowIds of calls whose row was written (new events and rejected records). */
  inserted: Set<string>;
  /** For repeats: the stored original, keyed by rowId of the repeat. */
  originals: Map<string, OriginalEvent>;
  /** rowIds of repeats whose payload differed (recorded as duplicate_conflict rows). */
  conflicts: Set<string>;
  /** What the statement did with the links it was given (see identity.ts linkCtes). */
  links?: LinkStatementOutcome;
}

/** Links of the events being stored, written by the same statement (only for events inserted). */
export interface EventLinks {
  planned: (LinkRequest & Owner)[];
  at: string;
}

/** Who each event belongs to, decided before the insert (see identity.ts). */
export type Attribution = Map<string, { profileId: string; userId: string }>;

/** The rows travel as one JSON document (no per-column arrays to build and escape). */
const ROW_COLUMNS = `id text, ws text, eid text, dk text, st text, kind text, src text, sev text, ce text, mp text, rev text, uid text, aid text,
  ruid text, pid text, props jsonb, ctx jsonb, payload jsonb, hash text, problems jsonb, orig text, occ timestamp, rec timestamp, wk text, okey text, dest jsonb`;

/**
 * The events from `from`, and in the same statement their raw payloads into EventPayload (partitioned
 * apart so payload retention drops whole months): two CTEs, `ins` returning the events written.
 */
const insertEventsCtes = (from: string) => `ins AS (
     INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceId","sourceEvent",
       "canonicalEventId","mappingId","mappingRevisionId","userId","anonymousId","resolvedUserId","profileId","properties","context",
       "payloadHash","problems","originalId","occurredAt","receivedAt","writeKeyId","orderKey")
     SELECT t.id, t.ws, t.eid, t.dk, t.st::"EventStatus", t.kind, t.src, t.sev, t.ce, t.mp, t.rev, t.uid, t.aid, t.ruid, t.pid,
       t.props, t.ctx, t.hash, t.problems, t.orig, t.occ, t.rec, t.wk, t.okey
     ${from}
     RETURNING "id", "profileId", "workspaceId", "receivedAt"),
  payloads AS (
     INSERT INTO "EventPayload" ("workspaceId","eventRowId","receivedAt","payload")
     SELECT ins."workspaceId", ins."id", ins."receivedAt", t.payload FROM ins JOIN t ON t.id = ins."id")`;

const ROWS_CTE = `t AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS t(${ROW_COLUMNS}))`;

/** Rejected and conflict records: kept for the explorer, never deduplicated or delivered. */
const INSERT_RECORDS_SQL = `WITH ${ROWS_CTE}, ${insertEventsCtes("FROM t")} SELECT "id" FROM ins`;

/** How long into a month an arrival also guards the previous month's ledger partition (see header). */
export const LEDGER_GUARD = "1 hour";
const GUARDED = `t.rec < date_trunc('month', t.rec) + interval '${LEDGER_GUARD}'`;

// Stored events: a key seen in any month is a repeat. A new one in the first hour of a month writes its
// guard row first and its own month's row only if the guard was written, so a ledger row that lost a
// race (an orphan, pointing at no event) is only ever a guard, in an older month than the row that won.
// Only events whose own row was written are inserted. Outbox rows and input marks join the RETURNING
// set, so only events actually inserted count.
const ledgerInsert = (
  month: string,
  where: string,
) => `INSERT INTO "EventDedup" ("workspaceId","dedupKey","month","eventRowId","eventReceivedAt")
    SELECT t.ws, t.dk, ${month}, t.id, t.rec FROM t WHERE t.id NOT IN (SELECT id FROM seen) AND ${where}
    ON CONFLICT DO NOTHING
    RETURNING "eventRowId"`;
const STORE_CTES = `WITH ${ROWS_CTE},
  seen AS (SELECT DISTINCT t.id FROM t JOIN "EventDedup" d ON d."workspaceId" = t.ws AND d."dedupKey" = t.dk),
  guard AS (${ledgerInsert(`(date_trunc('month', t.rec) - interval '1 month')::date`, GUARDED)}),
  led AS (${ledgerInsert(`date_trunc('month', t.rec)::date`, `(NOT (${GUARDED}) OR t.id IN (SELECT "eventRowId" FROM guard))`)}),
  ${insertEventsCtes(`FROM t WHERE t.id IN (SELECT "eventRowId" FROM led)`)},
  outbox AS (
    INSERT INTO "Delivery" ("id","workspaceId","eventRowId","eventReceivedAt","canonicalEventId","destinationId","status","attempts","nextAttemptAt","createdAt","updatedAt")
    SELECT gen_random_uuid()::text, t.ws, t.id, t.rec, t.ce, d.destination, 'pending', 0, t.rec, t.rec, t.rec
    FROM t JOIN ins ON ins."id" = t.id CROSS JOIN jsonb_array_elements_text(t.dest) AS d(destination)
    ON CONFLICT ("eventRowId","destinationId") DO NOTHING),
  dirty AS (${inputMarksSql(`(SELECT "profileId", "workspaceId", "receivedAt" AS "at" FROM ins)`)})`;

/** The stored original of each (workspace, event_id) in `keys`, through the ledger (any month). */
const originalsJoin = (keys: string) => `${keys}
  JOIN "EventDedup" d ON d."workspaceId" = k.ws AND d."dedupKey" = k.dk
  JOIN "Event" e ON e."id" = d."eventRowId" AND e."receivedAt" = d."eventReceivedAt"`;

// What the statement inserted, and the stored original of each repeat — those committed before it
// started; an original committed meanwhile is looked up afterwards (findOriginals).
const STORE_OUTCOME_COLUMNS = `(SELECT coalesce(json_agg("id"), '[]') FROM ins) AS "ids",
  (SELECT coalesce(json_agg(json_build_object('row', o.row, 'id', o."id", 'workspaceId', o."workspaceId", 'eventId', o."eventId",
     'payloadHash', o."payloadHash", 'status', o."status", 'receivedAt', o."receivedAt" AT TIME ZONE 'UTC', 'canonicalEventId', o."canonicalEventId")), '[]')
   FROM (SELECT DISTINCT ON (k.id) k.id AS row, e.*
         FROM ${originalsJoin(`(SELECT t.id, t.ws, t.dk FROM t WHERE t.id NOT IN (SELECT "id" FROM ins)) k`)}) o) AS "originals"`;

const STORE_SQL = `${STORE_CTES} SELECT ${STORE_OUTCOME_COLUMNS}`;

/** …and the links of the inserted events, in the same statement (see identity.ts linkCtes). */
const STORE_WITH_LINKS_SQL = `${STORE_CTES},
  req AS (SELECT r.* FROM jsonb_to_recordset($2::jsonb) AS r(${LINK_ROW_COLUMNS}) JOIN ins ON ins."id" = r."row"),
  ${linkCtes("$3::timestamp")}
  SELECT ${STORE_OUTCOME_COLUMNS}, ${LINK_OUTCOME_COLUMNS}`;

type StoredOriginal = Omit<OriginalEvent, "receivedAt"> & { row: string; receivedAt: string };
type StoreOutcome = { ids: string[]; originals: StoredOriginal[] };
const originalsOf = (outcome: StoreOutcome) =>
  new Map(outcome.originals.map(({ row, ...o }) => [row, { ...o, receivedAt: new Date(o.receivedAt) }]));

interface InsertOptions {
  status?: string;
  /** Stored events are deduplicated and write their outbox rows and input marks; records are not. */
  stored?: boolean;
  originalOf?: (c: EventCall) => string | null;
  attribution?: Attribution;
  links?: EventLinks;
}

interface Inserted {
  ids: string[];
  /** Originals of repeats found by the statement, keyed by the repeat's rowId. */
  originals?: Map<string, OriginalEvent>;
  links?: LinkStatementOutcome;
}

async function insertRows(
  raw: RawSql,
  calls: EventCall[],
  { status, stored = false, originalOf, attribution, links }: InsertOptions,
): Promise<Inserted> {
  if (calls.length === 0) return { ids: [] };
  const rows = JSON.stringify(
    calls.map((c) => {
      const owner = attribution?.get(c.rowId);
      return {
        id: c.rowId,
        ws: c.workspaceId,
        eid: c.eventId,
        dk: stored ? c.eventId : null,
        st: status ?? c.status,
        kind: c.type,
        src: c.sourceId,
        sev: c.sourceEvent,
        ce: c.canonicalEventId,
        mp: c.mappingId,
        rev: c.revisionId,
        uid: c.userId,
        aid: c.anonymousId,
        ruid: owner?.userId ?? c.userId,
        pid: owner?.profileId ?? null,
        props: c.properties,
        ctx: c.context,
        payload: c.payload,
        hash: c.payloadHash,
        problems: c.problems,
        orig: originalOf?.(c) ?? null,
        occ: c.occurredAt,
        rec: c.receivedAt,
        wk: c.writeKeyId,
        okey: c.orderKey,
        dest: stored ? c.destinationIds : [],
      };
    }),
  );
  if (!stored)
    return {
      ids: (await raw.query<{ id: string }>(INSERT_RECORDS_SQL, [rows], "tl_insert_event_records")).map((r) => r.id),
    };
  if (!links?.planned.length) {
    const [outcome] = await raw.query<StoreOutcome>(STORE_SQL, [rows], "tl_store_events");
    return { ids: outcome!.ids, originals: originalsOf(outcome!) };
  }
  const [outcome] = await raw.query<StoreOutcome & LinkStatementOutcome>(
    STORE_WITH_LINKS_SQL,
    [rows, linkRowsJson(links.planned), links.at],
    "tl_store_events_links",
  );
  return {
    ids: outcome!.ids,
    originals: originalsOf(outcome!),
    links: { prior: outcome!.prior, created: outcome!.created },
  };
}

async function findOriginals(raw: RawSql, repeats: EventCall[]): Promise<Map<string, OriginalEvent>> {
  if (repeats.length === 0) return new Map();
  const rows = await raw.query<OriginalEvent>(
    `SELECT DISTINCT ON (e."workspaceId", e."eventId") e."id", e."workspaceId", e."eventId", e."payloadHash", e."status"::text AS "status",
       e."receivedAt", e."canonicalEventId"
     FROM ${originalsJoin("unnest($1::text[], $2::text[]) AS k(ws, dk)")}`,
    [repeats.map((c) => c.workspaceId), repeats.map((c) => c.eventId)],
  );
  const byKey = new Map(rows.map((r) => [idKey(r.workspaceId, r.eventId), r]));
  const out = new Map<string, OriginalEvent>();
  for (const c of repeats) {
    const original = byKey.get(idKey(c.workspaceId, c.eventId));
    if (original) out.set(c.rowId, original);
  }
  return out;
}

/**
 * Exact repeats (answered 200 duplicate) store no event; one append-only DuplicateCall row each lets
 * the rollups count them (reconciliation's "duplicates"). Nothing is written when none arrived.
 */
async function recordExactRepeats(raw: RawSql, repeats: EventCall[], originals: Map<string, OriginalEvent>) {
  if (repeats.length === 0) return;
  const rows = repeats.map((c) => ({
    id: timeOrderedId(),
    ws: c.workspaceId,
    orig: originals.get(c.rowId)!.id,
    src: c.sourceId,
    sev: c.sourceEvent,
    mp: c.mappingId,
    ce: c.canonicalEventId,
    rec: c.receivedAt,
  }));
  await raw.query(
    `INSERT INTO "DuplicateCall" ("id","workspaceId","originalId","sourceId","sourceEvent","mappingId","canonicalEventId","receivedAt")
     SELECT t.id, t.ws, t.orig, t.src, t.sev, t.mp, t.ce, t.rec
     FROM jsonb_to_recordset($1::jsonb) AS t(id text, ws text, orig text, src text, sev text, mp text, ce text, rec timestamp)`,
    [JSON.stringify(rows)],
  );
}

/** Stores the events; `links` (of events with a user_id) are written by the same statement. */
export async function writeEvents(
  raw: RawSql,
  calls: EventCall[],
  attribution: Attribution,
  links?: EventLinks,
): Promise<EventWriteOutcome> {
  const stored = calls.filter((c) => c.status !== "rejected");
  const rejected = calls.filter((c) => c.status === "rejected");
  const written = await insertRows(raw, stored, { stored: true, attribution, links });
  const inserted = new Set([...written.ids, ...(await insertRows(raw, rejected, { status: "rejected" })).ids]);
  const repeats = stored.filter((c) => !inserted.has(c.rowId));
  const originals = new Map(written.originals);
  for (const [row, original] of await findOriginals(
    raw,
    repeats.filter((c) => !originals.has(c.rowId)),
  ))
    originals.set(row, original);
  const conflicting = repeats.filter((c) => {
    const original = originals.get(c.rowId);
    return original && original.payloadHash !== c.payloadHash;
  });
  const conflictRows = conflicting.map((c) => ({
    call: {
      ...c,
      rowId: timeOrderedId(),
      problems: [{ path: "event_id", message: "reused with a different payload" }],
    },
    originalId: originals.get(c.rowId)!.id,
  }));
  await recordExactRepeats(
    raw,
    repeats.filter((c) => originals.get(c.rowId)?.payloadHash === c.payloadHash),
    originals,
  );
  const originalByRow = new Map<string, string>(conflictRows.map((r) => [r.call.rowId, r.originalId]));
  await insertRows(
    raw,
    conflictRows.map((r) => r.call),
    { status: "duplicate_conflict", originalOf: (c) => originalByRow.get(c.rowId) ?? null },
  );
  return { inserted, originals, conflicts: new Set(conflicting.map((c) => c.rowId)), links: written.links };
}
