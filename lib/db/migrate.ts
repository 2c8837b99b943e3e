// Applies the committed Prisma migrations (prisma/migrations/*/migration.sql) in order and
// records them in Prisma's own `_prisma_migrations` table, so the CLI agrees on what ran.
// Runs the same way on PGlite and PostgreSQL (serialised there with a transaction-level advisory lock).
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { DbHandle, RawSql } from "@/lib/db/connection";

const LOCK_ID = 727_274_001;

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export async function listMigrations(dir = path.join(process.cwd(), "prisma", "migrations")) {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/** Returns the names of the migrations it applied. */
export async function migrate(handle: Pick<DbHandle, "session">, dir?: string): Promise<string[]> {
  const migrations = await listMigrations(dir);
  return handle.session((raw) => applyPending(raw, migrations));
}

const appliedMigrations = async (raw: RawSql) =>
  new Map(
    (
      await raw.query<{ migration_name: string; checksum: string }>(
        `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      )
    ).map((r) => [r.migration_name, r.checksum]),
  );

/**
 * Runs `fn` in a transaction that first takes the migration lock (a transaction-level advisory
 * lock: concurrent starters wait for each other, and a transaction-mode pooler, which may give
 * each transaction another server connection, cannot strand it as it could a session lock).
 */
async function locked<T>(raw: RawSql, fn: () => Promise<T>): Promise<T> {
  await raw.exec("BEGIN");
  try {
    await raw.query("SELECT pg_advisory_xact_lock($1)", [LOCK_ID]);
    const result = await fn();
    await raw.exec("COMMIT");
    return result;
  } catch (error) {
    await raw.exec("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

async function applyPending(raw: RawSql, migrations: Awaited<ReturnType<typeof listMigrations>>) {
  await locked(raw, () => raw.exec(CREATE_TABLE));
  const applied = await appliedMigrations(raw);
  for (const m of migrations) {
    const known = applied.get(m.name);
    if (known && known !== m.checksum) console.warn(`warning: migration ${m.name} was edited after it was applied`);
  }
  const ran: string[] = [];
  for (const m of migrations.filter((m) => !applied.has(m.name))) {
    // Under the lock, asked again: a concurrent starter may have applied it meanwhile.
    const done = await locked(raw, async () => {
      if ((await appliedMigrations(raw)).has(m.name)) return true;
      await raw
        .exec(
          `${m.sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES ('${randomUUID()}', '${m.checksum}', '${m.name.replace(/'/g, "''")}', now(), 1);`,
        )
        .catch((error: unknown) => {
          throw new Error(`Migration ${m.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        });
      return false;
    });
    if (!done) ran.push(m.name);
  }
  return ran;
}
