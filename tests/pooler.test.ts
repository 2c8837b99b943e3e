// Behind a transaction-mode pooler (PgBouncer in `pool_mode = transaction`), each transaction, and
// each statement outside one, may run on another server connection. Migrations and the retention
// job must then leave no lock behind: a session lock taken on one connection and "released" on
// another stays held by a connection idle in the pooler, and the next deploy's migration or every
// later retention run waits for it for good. The pooler is simulated: two connections, taken in turn.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { closeDatabase, database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";
import { releaseLease, takeLease } from "@/lib/db/job-lease";
import { migrate } from "@/lib/db/migrate";
import { runRetention } from "@/lib/retention/run";
import { ready } from "./helpers";

before(ready);
after(() => closeDatabase());

/** A transaction-mode pooler over `clients`: a transaction stays on one, anything else goes to the next. */
function transactionPooled(clients: pg.Client[]): RawSql {
  let turn = 0;
  let inTransaction: pg.Client | null = null;
  const run = async (sql: string, params?: unknown[]) => {
    const client = inTransaction ?? clients[turn++ % clients.length]!;
    const statement = sql.trim().toUpperCase();
    if (/^(BEGIN|START TRANSACTION)\b/.test(statement) && !/\b(COMMIT|ROLLBACK);?$/.test(statement))
      inTransaction = client;
    const result = await client.query(sql, params);
    if (/^(COMMIT|ROLLBACK|END)\b/.test(statement)) inTransaction = null;
    return result;
  };
  return {
    exec: async (sql) => void (await run(sql)),
    query: async <T>(sql: string, params?: unknown[]) => (await run(sql, params)).rows as T[],
  };
}

const advisoryLocksHeld = async () =>
  (
    await database().raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    )
  )[0]!.n;

describe("through a transaction-mode pooler (PostgreSQL)", { skip: database().mode !== "postgres" }, () => {
  test("migrating and running retention leave no lock held; both run again", async () => {
    const clients = [1, 2].map(() => new pg.Client({ connectionString: process.env.DATABASE_URL }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const pooled = { session: <T>(fn: (raw: RawSql) => Promise<T>) => fn(transactionPooled(clients)) };
      assert.deepEqual(await migrate(pooled), [], "nothing left to apply");
      assert.equal(await advisoryLocksHeld(), 0, "the migration lock went with its transaction");
      assert.deepEqual(await migrate(pooled), [], "a second start migrates too, not stuck behind a stranded lock");
      const first = await runRetention({ handle: pooled, budgetMs: 0 });
      assert.ok(first, "the retention job ran");
      assert.equal(await advisoryLocksHeld(), 0);
      assert.ok(await runRetention({ handle: pooled, budgetMs: 0 }), "and runs again next minute");
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
  });
});

test("a job lease: one holder at a time, given back at once, taken over once it lapses", async () => {
  const raw = database().raw;
  const name = `lease_test_${Date.now().toString(36)}`;
  assert.equal(await takeLease(raw, name, 60_000, "replica-a"), true);
  assert.equal(await takeLease(raw, name, 60_000, "replica-b"), false, "held by another replica");
  assert.equal(await takeLease(raw, name, 60_000, "replica-a"), true, "its holder renews it");
  await releaseLease(raw, name, "replica-b");
  assert.equal(await takeLease(raw, name, 60_000, "replica-b"), false, "only its holder gives it back");
  await releaseLease(raw, name, "replica-a");
  assert.equal(await takeLease(raw, name, 1, "replica-b"), true, "free once given back");
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(await takeLease(raw, name, 60_000, "replica-c"), true, "a lapsed lease (its holder died) is taken over");
});
