// What the planner works from: cached plans are refreshed as tables grow, and tables get
// statistics (and, embedded, vacuum) without waiting for an autovacuum that may not exist.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { closeDatabase, database } from "@/lib/db";
import { openDatabase, type RawSql, resolveDatabase } from "@/lib/db/connection";
import { keepTablesUp } from "@/lib/db/upkeep";
import { ready } from "./helpers";

before(ready);
after(() => closeDatabase());

test("a connection drops its cached plans after a while: plans follow the tables' growth (PostgreSQL)", {
  skip: database().mode !== "postgres",
}, async () => {
  const handle = openDatabase(resolveDatabase(), { planTtlMs: 200 });
  const table = `plan_probe_${Date.now().toString(36)}`;
  const probe = `SELECT count(*) FROM ${table} WHERE g = $1`;
  const plan = async (raw: RawSql) =>
    (await raw.query<{ "QUERY PLAN": string }>("EXPLAIN EXECUTE tl_plan_probe(1)"))
      .map((r) => r["QUERY PLAN"])
      .join("\n");
  try {
    await handle.raw.exec(
      `CREATE TABLE ${table} (g int, pad text) WITH (autovacuum_enabled = false); CREATE INDEX ON ${table} (g); INSERT INTO ${table} VALUES (0, 'x'); ANALYZE ${table}`,
    );
    const stale = await handle.session(async (raw) => {
      for (let i = 0; i < 6; i++) await raw.query(probe, [1], "tl_plan_probe"); // past the custom plans: a generic one is cached
      const tiny = await plan(raw);
      await raw.exec(`INSERT INTO ${table} SELECT g, repeat('x', 50) FROM generate_series(1, 100000) AS g`);
      return [tiny, await plan(raw)];
    });
    assert.match(stale[0]!, /Seq Scan/, "a one-row table is scanned");
    assert.match(stale[1]!, /Seq Scan/, "the cached plan still scans the table that grew (nothing invalidated it)");
    await new Promise((resolve) => setTimeout(resolve, 250));
    const fresh = await handle.session(plan);
    assert.match(fresh, /Index/, "checked out after the TTL, the connection plans for the table as it is now");
  } finally {
    await handle.raw.exec(`DROP TABLE IF EXISTS ${table}`);
    await handle.close();
  }
});

test("table upkeep: tables that changed a lot without statistics are analyzed, once; embedded (no autovacuum) also vacuums dead rows", async () => {
  const table = `upkeep_probe_${Date.now().toString(36)}`;
  const name = `public.${table}`; // format('%I') quotes only names that need it
  const embedded = database().mode === "embedded";
  const stats = async () =>
    (
      await database().raw.query<{ analyzed: boolean; dead: number }>(
        `SELECT last_analyze IS NOT NULL AS "analyzed", n_dead_tup::int AS "dead" FROM pg_stat_user_tables WHERE relname = $1`,
        [table],
      )
    )[0]!;
  // A backend's counters are published with its next report (asked for: PostgreSQL 15+; embedded, upkeep asks itself).
  const flush = async (raw: RawSql) => void (!embedded && (await raw.query("SELECT pg_stat_force_next_flush()")));
  await database().session(async (raw) => {
    await raw.exec(`CREATE TABLE ${table} (g int); INSERT INTO ${table} SELECT g FROM generate_series(1, 2000) AS g`);
    await flush(raw);
  });
  try {
    assert.deepEqual(
      await keepTablesUp(database().raw, database().mode).then((u) => [
        u.analyzed.includes(name),
        u.vacuumed.includes(name),
      ]),
      [true, false],
      "2,000 new rows, no statistics",
    );
    assert.equal((await stats()).analyzed, true);
    assert.equal(
      (await keepTablesUp(database().raw, database().mode)).analyzed.includes(name),
      false,
      "nothing changed since",
    );
    await database().session(async (raw) => {
      await raw.exec(`DELETE FROM ${table} WHERE g <= 1500`);
      await flush(raw);
    });
    const upkeep = await keepTablesUp(database().raw, database().mode);
    assert.equal(
      upkeep.vacuumed.includes(name),
      embedded,
      "embedded vacuums the 1,500 dead rows; PostgreSQL leaves them to autovacuum",
    );
    if (embedded) {
      await database().raw.query("SELECT pg_stat_force_next_flush()");
      assert.equal((await stats()).dead, 0);
    }
  } finally {
    await database().raw.exec(`DROP TABLE ${table}`);
  }
});

test("table upkeep: a table analyzed while empty and filled since is analyzed again (its plans assumed it empty)", async () => {
  const table = `refill_probe_${Date.now().toString(36)}`;
  const name = `public.${table}`;
  const flush = async (raw: RawSql) => void (await raw.query("SELECT pg_stat_force_next_flush()"));
  const reltuples = async () =>
    (
      await database().raw.query<{ n: number }>(`SELECT reltuples::float8 AS "n" FROM pg_class WHERE relname = $1`, [
        table,
      ])
    )[0]!.n;
  await database().session(async (raw) => {
    // Rows came and went, then it was analyzed: the statistics say empty.
    await raw.exec(`CREATE TABLE ${table} (g int); INSERT INTO ${table} SELECT g FROM generate_series(1, 2000) AS g;
      DELETE FROM ${table}; ANALYZE ${table}; INSERT INTO ${table} SELECT g FROM generate_series(1, 5000) AS g`);
    await flush(raw);
  });
  try {
    assert.equal(await reltuples(), 0, "analyzed while empty");
    assert.ok((await keepTablesUp(database().raw, database().mode)).analyzed.includes(name), "5,000 rows now");
    assert.equal(await reltuples(), 5000);
    assert.equal((await keepTablesUp(database().raw, database().mode)).analyzed.includes(name), false, "once");
  } finally {
    await database().raw.exec(`DROP TABLE ${table}`);
  }
});
