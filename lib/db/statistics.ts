// Table statistics for the planner. Without them it picks indexes blind: a new PostgreSQL install
// taking traffic at once scanned a whole table per ingest statement until autovacuum's first pass,
// up to a minute in; PGlite has no autovacuum at all. So the worker analyzes tables that changed a
// lot since they were last analyzed — with PostgreSQL only those never analyzed yet (autovacuum
// keeps them fresh afterwards), embedded by autovacuum's own rule.
import type { RawSql } from "@/lib/db/connection";

const MIN_CHANGES = 1_000;
const EMBEDDED_SCALE = 0.1;

/** Analyzes the stale tables; returns their names. */
export async function analyzeStaleTables(raw: RawSql, mode: "postgres" | "embedded"): Promise<string[]> {
  // PGlite's single backend publishes its table counters only when asked to.
  if (mode === "embedded") await raw.query("SELECT pg_stat_force_next_flush()");
  const stale = await raw.query<{ name: string }>(
    `SELECT format('%I.%I', schemaname, relname) AS "name" FROM pg_stat_user_tables
     WHERE n_mod_since_analyze >= $1::float8 + $2::float8 * n_live_tup ${mode === "postgres" ? "AND last_analyze IS NULL AND last_autoanalyze IS NULL" : ""}`,
    [MIN_CHANGES, mode === "postgres" ? 0 : EMBEDDED_SCALE],
  );
  for (const { name } of stale) await raw.exec(`ANALYZE ${name}`);
  return stale.map((s) => s.name);
}
