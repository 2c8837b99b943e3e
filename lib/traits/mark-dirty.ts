// Ingestion's hook into computed traits: profiles a group commit touched are marked for
// recompute with ONE set-based statement inside the ingest transaction (ON CONFLICT DO NOTHING:
// a profile already waiting costs nothing more).
import type { RawSql } from "@/lib/db/connection";

/**
 * Input marks fall due this long after the call that made them: a burst of calls for one profile
 * (a mark already waiting is kept) then costs one recompute, not one per call.
 */
export const INPUT_SETTLE_MS = 3_000;

export async function markProfilesDirty(raw: RawSql, touched: Map<string, string>, at: string): Promise<void> {
  if (touched.size === 0) return;
  const ids = [...touched.keys()].sort();
  await raw.query(
    `INSERT INTO "ComputedTraitQueue" ("profileId","kind","workspaceId","dueAt","detail")
     SELECT t.pid, 'input', t.ws, $3::timestamp + ${INPUT_SETTLE_MS} * interval '1 millisecond', '' FROM unnest($1::text[], $2::text[]) AS t(pid, ws)
     ON CONFLICT ("profileId","kind") DO NOTHING`,
    [ids, ids.map((id) => touched.get(id)!), at],
  );
}
