// Table upkeep the planner and the disk need. Without statistics the planner picks indexes blind:
// a new PostgreSQL install taking traffic at once scanned a whole table per ingest statement until
// autovacuum's first pass, up to a minute in. PGlite has no autovacuum at all. So the worker
// analyzes tables that changed a lot since they were last analyzed — with PostgreSQL only those
// never analyzed yet, or analyzed while empty and full now (autovacuum keeps them fresh otherwise,
// but lags under a heavy load: a queue analyzed empty kept its "empty" plans through a bulk load)
// — and, embedded, also vacuums tables with many dead rows, both by autovacuum's own rules.
import type { RawSql } from "@/lib/db/connection";

const ANALYZE_MIN = 1_000;
const ANALYZE_SCALE = 0.1;
const VACUUM_MIN = 50;
const VACUUM_SCALE = 0.2;

export interface Upkeep {
  analyzed: string[];
  vacuumed: string[];
}

export async function keepTablesUp(raw: RawSql, mode: "postgres" | "embedded"): Promise<Upkeep> {
  const embedded = mode === "embedded";
  // PGlite's single backend publishes its table counters only when asked to.
  if (embedded) await raw.query("SELECT pg_stat_force_next_flush()");
  const tables = await raw.query<{ name: string; vacuum: boolean }>(
    `SELECT format('%I.%I', s.schemaname, s.relname) AS "name", $5::boolean AND n_dead_tup >= $3::float8 + $4::float8 * n_live_tup AS "vacuum"
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE (n_mod_since_analyze >= $1::float8 + $2::float8 * n_live_tup
            ${embedded ? "" : "AND ((last_analyze IS NULL AND last_autoanalyze IS NULL) OR (c.reltuples = 0 AND n_live_tup >= $1::float8))"})
        OR ($5::boolean AND n_dead_tup >= $3::float8 + $4::float8 * n_live_tup)`,
    [ANALYZE_MIN, embedded ? ANALYZE_SCALE : 0, VACUUM_MIN, VACUUM_SCALE, embedded],
  );
  for (const t of tables) await raw.exec(t.vacuum ? `VACUUM (ANALYZE) ${t.name}` : `ANALYZE ${t.name}`);
  return { analyzed: tables.map((t) => t.name), vacuumed: tables.filter((t) => t.vacuum).map((t) => t.name) };
}
