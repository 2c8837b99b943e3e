// Ingestion's hook into computed traits: profiles a group commit touched are marked for
// recompute with ONE set-based statement inside the ingest transaction (ON CONFLICT DO NOTHING:
// a profile already waiting costs nothing more).
import type { RawSql } from "@/lib/db/connection";

export async function markProfilesDirty(raw: RawSql, touched: Map<string, string>, at: string): Promise<void> {
  if (touched.size === 0) return;
  const ids = [...touched.keys()].sort();
  await raw.query(
    `INSERT INTO "ComputedTraitQueue" ("profileId","kind","workspaceId","dueAt","detail")
     SELECT t.pid, 'input', t.ws, $3::timestamp, '' FROM unnest($1::text[], $2::text[]) AS t(pid, ws)
     ON CONFLICT ("profileId","kind") DO NOTHING`,
    [ids, ids.map((id) => touched.get(id)!), at],
  );
}
