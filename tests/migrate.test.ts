// The runtime migrator: applies each committed migration once and records it like Prisma does.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { closeDatabase, database } from "@/lib/db";
import { listMigrations, migrate } from "@/lib/db/migrate";
import { ready } from "./helpers";

after(() => closeDatabase());

test("migrations apply once and are recorded in _prisma_migrations", async () => {
  await ready();
  assert.deepEqual(await migrate(database()), [], "a second run applies nothing");
  const rows = await database().raw.query<{ migration_name: string; checksum: string }>(
    `SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name`,
  );
  const files = await listMigrations();
  assert.deepEqual(rows.map((r) => [r.migration_name, r.checksum]), files.map((f) => [f.name, f.checksum]));
});

test("a failing migration rolls back and names itself", async (t) => {
  const { mkdtemp, mkdir, writeFile } = await import("node:fs/promises");
  const dir = await mkdtemp("/tmp/tl-mig-");
  await mkdir(`${dir}/20990101000000_broken`);
  await writeFile(`${dir}/20990101000000_broken/migration.sql`, `CREATE TABLE "ShouldVanish" (id int);\nSELECT * FROM no_such_table;`);
  await assert.rejects(migrate(database(), dir), /Migration 20990101000000_broken failed/);
  const leftover = await database().raw.query(`SELECT to_regclass('"ShouldVanish"') AS t`);
  assert.equal((leftover[0] as { t: unknown }).t, null);
  t.diagnostic("the broken migration left nothing behind");
});
