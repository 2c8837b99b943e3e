// The recompute's claims stay index probes however stale the statistics: its tables swing between
// empty and 100k rows, and under load the planner can still believe "empty" after they filled up.
// Measured in bench:ingest: a claim planned as a join against its own locking subquery rescanned
// that subquery once per row of the table, for over a minute, holding a transaction open meanwhile.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { closeDatabase, database } from "@/lib/db";
import {
  CLAIM_INPUTS_SQL,
  CLAIM_PROFILE_INPUTS_SQL,
  CLAIM_QUEUE_SQL,
  recomputeDueProfiles,
} from "@/lib/traits/recompute";
import { ready } from "./helpers";
import { executedPlan, nodesOf } from "./plan-nodes";

const PROFILES = 10_000; // 100,000 marks: big enough that probing 200 profiles beats reading it all
const MARKS_PER_PROFILE = 10;
const LIMIT = 200;

before(ready);
after(() => closeDatabase());

/** Every scan of `table` in the statement's executed plan (run, then rolled back). */
async function scansOf(sql: string, params: unknown[], table: string) {
  const plan = await executedPlan(sql, params);
  return nodesOf(plan)
    .filter((n) => n["Relation Name"] === table && n["Node Type"] !== "ModifyTable")
    .map((n) => ({
      type: n["Node Type"],
      rowsRead: (n["Actual Rows"] + (n["Rows Removed by Filter"] ?? 0)) * n["Actual Loops"],
    }));
}

/** Statistics that say the table is empty: rows added and removed, analyzed, then filled. */
async function staleStatistics(fill: string) {
  const raw = database().raw;
  await raw.exec(`DELETE FROM "ComputedTraitInput"; DELETE FROM "ComputedTraitQueue"`);
  await raw.exec(`INSERT INTO "ComputedTraitInput" ("profileId","workspaceId","dueAt")
    SELECT 'gone_' || g, 'ws_claims', now() FROM generate_series(1, 1000) g;
    INSERT INTO "ComputedTraitQueue" ("profileId","kind","workspaceId","dueAt")
    SELECT 'gone_' || g, 'window', 'ws_claims', now() FROM generate_series(1, 1000) g;
    DELETE FROM "ComputedTraitInput"; DELETE FROM "ComputedTraitQueue";
    ANALYZE "ComputedTraitInput"; ANALYZE "ComputedTraitQueue"`);
  await raw.exec(fill);
}

test("claiming due input marks and queue rows reads the rows it claims, not the table, when statistics say empty", async () => {
  await staleStatistics(`
    INSERT INTO "ComputedTraitInput" ("profileId","workspaceId","dueAt")
    SELECT 'claims_' || (g % ${PROFILES}), 'ws_claims', timestamp '2026-01-01' + g * interval '1 second'
    FROM generate_series(1, ${PROFILES * MARKS_PER_PROFILE}) g;
    INSERT INTO "ComputedTraitQueue" ("profileId","kind","workspaceId","dueAt")
    SELECT 'claims_' || g, 'window', 'ws_claims', timestamp '2026-01-01' + g * interval '1 second'
    FROM generate_series(1, ${PROFILES * MARKS_PER_PROFILE}) g`);
  const now = "2027-01-01T00:00:00.000Z";
  const claimedProfiles = Array.from({ length: LIMIT }, (_, i) => `claims_${i + 1}`);
  const statements = [
    { name: "due queue rows", sql: CLAIM_QUEUE_SQL, params: [now, LIMIT], table: "ComputedTraitQueue", claims: LIMIT },
    {
      name: "due input marks",
      sql: CLAIM_INPUTS_SQL,
      params: [now, LIMIT],
      table: "ComputedTraitInput",
      claims: LIMIT,
    },
    {
      name: "the claimed profiles' other marks",
      sql: CLAIM_PROFILE_INPUTS_SQL,
      params: [claimedProfiles],
      table: "ComputedTraitInput",
      claims: LIMIT * MARKS_PER_PROFILE,
    },
  ];
  for (const s of statements) {
    const scans = await scansOf(s.sql, s.params, s.table);
    assert.ok(scans.length > 0, `${s.name}: the plan reads ${s.table}`);
    for (const scan of scans) {
      assert.notEqual(scan.type, "Seq Scan", `${s.name}: ${JSON.stringify(scans)}`);
      assert.ok(
        scan.rowsRead <= 2 * s.claims,
        `${s.name} reads at most twice the rows it claims: ${JSON.stringify(scans)}`,
      );
    }
  }
  // The recompute claims through them: the first due rows and marks are those of the same profiles.
  assert.equal(await recomputeDueProfiles({ now: new Date(now), limit: LIMIT }), LIMIT);
  const [left] = await database().raw.query<{ n: number }>(
    `SELECT count(*)::int AS "n" FROM "ComputedTraitInput" WHERE "profileId" = ANY($1::text[])`,
    [claimedProfiles],
  );
  assert.equal(left!.n, 0, "the claimed profiles' marks are gone");
  await database().raw.exec(`DELETE FROM "ComputedTraitInput"; DELETE FROM "ComputedTraitQueue"`);
});
