// Ingestion's hook into computed traits: profiles a group commit touched get an input mark,
// written by the ingest transaction itself. Marks are append-only (no unique key), so marking
// never waits on a concurrent ingest or on a running recompute.
import type { RawSql } from "@/lib/db/connection";

/**
 * Input marks fall due this long after the call that made them: a burst of calls for one profile
 * then costs one recompute, not one per call (the recompute removes all of the profile's marks).
 */
export const INPUT_SETTLE_MS = 3_000;

/** SQL that inserts one input mark per profile of `source` (columns "profileId", "workspaceId", "at"). */
export function inputMarksSql(source: string): string {
  return `INSERT INTO "ComputedTraitInput" ("profileId","workspaceId","dueAt")
     SELECT s."profileId", min(s."workspaceId"), min(s."at") + ${INPUT_SETTLE_MS} * interval '1 millisecond' FROM ${source} s
     WHERE s."profileId" IS NOT NULL GROUP BY s."profileId"`;
}

export async function markProfilesDirty(raw: RawSql, touched: Map<string, string>, at: string): Promise<void> {
  if (touched.size === 0) return;
  const ids = [...touched.keys()];
  await raw.query(
    inputMarksSql(
      `(SELECT t.pid AS "profileId", t.ws AS "workspaceId", $3::timestamp AS "at" FROM unnest($1::text[], $2::text[]) AS t(pid, ws))`,
    ),
    [ids, ids.map((id) => touched.get(id)!), at],
  );
}
