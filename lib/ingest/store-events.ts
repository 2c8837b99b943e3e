// Writes prepared event calls set-based: one multi-row INSERT whose unique index on
// (workspaceId, dedupKey) is the dedup ledger (ON CONFLICT DO NOTHING — no read-then-write
// race) and which, in the same statement, writes the outbox rows of the events it inserted and
// queues their profiles for computed-trait recompute; then originals for the repeats and
// conflict records (only when there are repeats).
import { randomUUID } from "node:crypto";
import type { RawSql } from "@/lib/db/connection";
import type { EventCall } from "@/lib/ingest/calls";
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
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** Who each event belongs to, decided before the insert (see identity.ts). */
export type Attribution = Map<string, { profileId: string; userId: string }>;

async function insertRows(
  raw: RawSql,
  calls: EventCall[],
  statusOf: (c: EventCall) => string,
  dedup: boolean,
  originalOf: (c: EventCall) => string | null,
  attribution: Attribution = new Map(),
  stored = false,
): Promise<string[]> {
  if (calls.length === 0) return [];
  const col = <T>(f: (c: EventCall) => T) => calls.map(f);
  const pairs = stored ? calls.flatMap((c) => c.destinationIds.map((d) => ({ ws: c.workspaceId, event: c.rowId, destination: d, at: c.receivedAt }))) : [];
  const insertEvents = `INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceId","sourceEvent","canonicalEventId","mappingId",
       "mappingRevisionId","userId","anonymousId","resolvedUserId","profileId","properties","context","payload","payloadHash","problems","originalId",
       "occurredAt","receivedAt","writeKeyId")
     SELECT t.id, t.ws, t.eid, t.dk, t.st::"EventStatus", t.kind, t.src, t.sev, t.ce, t.mp, t.rev, t.uid, t.aid, t.ruid, t.pid,
       t.props::jsonb, t.ctx::jsonb, t.payload::jsonb, t.hash, t.problems::jsonb, t.orig, t.occ::timestamp, t.rec::timestamp, t.wk
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
       $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[],
       $21::text[], $22::text[], $23::text[], $24::text[])
       AS t(id, ws, eid, dk, st, kind, src, sev, ce, mp, rev, uid, aid, props, ctx, payload, hash, problems, orig, occ, rec, wk, ruid, pid)
     ${dedup ? `ON CONFLICT ("workspaceId","dedupKey") DO NOTHING` : ""}
     RETURNING "id", "profileId", "workspaceId", "receivedAt"`;
  // Outbox rows and recompute marks join the RETURNING set: only events actually inserted count.
  const outbox = `outbox AS (
         INSERT INTO "Delivery" ("id","workspaceId","eventRowId","destinationId","status","attempts","nextAttemptAt","createdAt","updatedAt")
         SELECT p.id, p.ws, p.ev, p.dest, 'pending', 0, p.at::timestamp, p.at::timestamp, p.at::timestamp
         FROM unnest($25::text[], $26::text[], $27::text[], $28::text[], $29::text[]) AS p(id, ws, ev, dest, at) JOIN ins ON ins."id" = p.ev
         ON CONFLICT ("eventRowId","destinationId") DO NOTHING),`;
  const sql = stored
    ? `WITH ins AS (${insertEvents}),
       ${pairs.length ? outbox : ""}
       dirty AS (${inputMarksSql(`(SELECT "profileId", "workspaceId", "receivedAt" AS "at" FROM ins)`)})
       SELECT "id" FROM ins`
    : insertEvents;
  const rows = await raw.query<{ id: string }>(sql, [
    col((c) => c.rowId),
    col((c) => c.workspaceId),
    col((c) => c.eventId),
    col((c) => (dedup ? c.eventId : null)),
    col(statusOf),
    col((c) => c.type),
    col((c) => c.sourceId),
    col((c) => c.sourceEvent),
    col((c) => c.canonicalEventId),
    col((c) => c.mappingId),
    col((c) => c.revisionId),
    col((c) => c.userId),
    col((c) => c.anonymousId),
    col((c) => json(c.properties)),
    col((c) => json(c.context)),
    col((c) => json(c.payload)),
    col((c) => c.payloadHash),
    col((c) => json(c.problems)),
    col(originalOf),
    col((c) => c.occurredAt),
    col((c) => c.receivedAt),
    col((c) => c.writeKeyId),
    col((c) => attribution.get(c.rowId)?.userId ?? c.userId),
    col((c) => attribution.get(c.rowId)?.profileId ?? null),
    ...(pairs.length
      ? [pairs.map(() => randomUUID()), pairs.map((p) => p.ws), pairs.map((p) => p.event), pairs.map((p) => p.destination), pairs.map((p) => p.at)]
      : []),
  ]);
  return rows.map((r) => r.id);
}

async function findOriginals(raw: RawSql, repeats: EventCall[]): Promise<Map<string, OriginalEvent>> {
  if (repeats.length === 0) return new Map();
  const rows = await raw.query<OriginalEvent>(
    `SELECT e."id", e."workspaceId", e."eventId", e."payloadHash", e."status"::text AS "status", e."receivedAt", e."canonicalEventId"
     FROM "Event" e JOIN unnest($1::text[], $2::text[]) AS k(ws, eid) ON e."workspaceId" = k.ws AND e."dedupKey" = k.eid`,
    [repeats.map((c) => c.workspaceId), repeats.map((c) => c.eventId)],
  );
  const byKey = new Map(rows.map((r) => [`${r.workspaceId}\u0000${r.eventId}`, r]));
  const out = new Map<string, OriginalEvent>();
  for (const c of repeats) {
    const original = byKey.get(`${c.workspaceId}\u0000${c.eventId}`);
    if (original) out.set(c.rowId, original);
  }
  return out;
}

export async function writeEvents(raw: RawSql, calls: EventCall[], attribution: Attribution): Promise<EventWriteOutcome> {
  const stored = calls.filter((c) => c.status !== "rejected");
  const rejected = calls.filter((c) => c.status === "rejected");
  const inserted = new Set([
    ...(await insertRows(raw, stored, (c) => c.status, true, () => null, attribution, true)),
    ...(await insertRows(raw, rejected, () => "rejected", false, () => null)),
  ]);
  const repeats = stored.filter((c) => !inserted.has(c.rowId));
  const originals = await findOriginals(raw, repeats);
  const conflicting = repeats.filter((c) => {
    const original = originals.get(c.rowId);
    return original && original.payloadHash !== c.payloadHash;
  });
  const conflictRows = conflicting.map((c) => ({
    call: { ...c, rowId: randomUUID() as string, problems: [{ path: "event_id", message: "reused with a different payload" }] },
    originalId: originals.get(c.rowId)!.id,
  }));
  const originalByRow = new Map<string, string>(conflictRows.map((r) => [r.call.rowId, r.originalId]));
  await insertRows(raw, conflictRows.map((r) => r.call), () => "duplicate_conflict", false, (c) => originalByRow.get(c.rowId) ?? null);
  return { inserted, originals, conflicts: new Set(conflicting.map((c) => c.rowId)) };
}
