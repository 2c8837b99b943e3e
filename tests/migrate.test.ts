// The runtime migrator: applies each committed migration once and records it like Prisma does.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import pg from "pg";
import { closeDatabase, database } from "@/lib/db";
import { openDatabase, resolveDatabase } from "@/lib/db/connection";
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
  assert.deepEqual(
    rows.map((r) => [r.migration_name, r.checksum]),
    files.map((f) => [f.name, f.checksum]),
  );
});

test("a failing migration rolls back and names itself", async (t) => {
  const { mkdtemp, mkdir, writeFile } = await import("node:fs/promises");
  const dir = await mkdtemp("/tmp/tl-mig-");
  await mkdir(`${dir}/20990101000000_broken`);
  await writeFile(
    `${dir}/20990101000000_broken/migration.sql`,
    `CREATE TABLE "ShouldVanish" (id int);\nSELECT * FROM no_such_table;`,
  );
  await assert.rejects(migrate(database(), dir), /Migration 20990101000000_broken failed/);
  const leftover = await database().raw.query(`SELECT to_regclass('"ShouldVanish"') AS t`);
  assert.equal((leftover[0] as { t: unknown }).t, null);
  t.diagnostic("the broken migration left nothing behind");
});

test("http_exchanges: attempts logged before it still show their request and answer", async () => {
  const { cp, mkdtemp } = await import("node:fs/promises");
  const { openDatabase } = await import("@/lib/db/connection");
  const { serializeAttempt } = await import("@/lib/delivery/deliveries");
  const { withDeliveryLog } = await import("@/lib/delivery/attempt-log");
  const all = await listMigrations();
  const upTo = all.findIndex((m) => m.name.endsWith("_http_exchanges"));
  const earlier = await mkdtemp("/tmp/tl-mig-");
  for (const m of all.slice(0, upTo))
    await cp(`prisma/migrations/${m.name}`, `${earlier}/${m.name}`, { recursive: true });
  const old = openDatabase({ mode: "embedded", dir: undefined });
  try {
    await migrate(old, earlier);
    await old.raw.exec(`
      INSERT INTO "Workspace" ("id", "name", "slug") VALUES ('w1', 'W', 'w');
      INSERT INTO "Destination" ("id", "workspaceId", "type", "name", "updatedAt") VALUES ('dst1', 'w1', 'webhook', 'Hook', now());
      SET session_replication_role = replica;
      INSERT INTO "Delivery" ("id", "workspaceId", "eventRowId", "destinationId", "status", "attempts") VALUES ('del1', 'w1', 'ev1', 'dst1', 'succeeded', 2);
      SET session_replication_role = origin;
      INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "attempt", "requestUrl", "requestHeaders", "requestBody", "responseStatus", "responseBody", "latencyMs", "outcome", "reason")
      VALUES ('a1', 'del1', 1, '', '{}', NULL, NULL, NULL, 0, 'retry', 'destination settings are incomplete'),
             ('a2', 'del1', 2, 'https://hook.example/x', '{"content-type": "application/json"}', '{"events": [{"event_id": "e1"}], "_batch": {"position": 2, "size": 3}}', 200, '{"ok": true}', 12, 'success', 'accepted');`);
    assert.deepEqual(await migrate(old), [all[upTo]!.name, ...all.slice(upTo + 1).map((m) => m.name)]);
    const [delivery] = await withDeliveryLog(
      [await old.prisma.delivery.findUniqueOrThrow({ where: { id: "del1" } })],
      old.prisma,
    );
    const log = delivery!.log.map(serializeAttempt);
    assert.deepEqual(
      log.map((a) => [a.request, a.response, a.latency_ms]),
      [
        [{ url: "", headers: {}, body: null }, { status: null, body: null }, 0],
        [
          {
            url: "https://hook.example/x",
            headers: { "content-type": "application/json" },
            body: { _batch: { size: 3, position: 2 }, events: [{ event_id: "e1" }] },
          },
          { status: 200, body: { ok: true } },
          12,
        ],
      ],
    );
  } finally {
    await old.close();
  }
});

/**
 * A fresh embedded database migrated up to (not including) the migration whose name ends in
 * `suffix`, from a folder of those migrations; `applyNext` adds that migration and runs it.
 */
async function migratedBefore(suffix: string) {
  const { cp, mkdtemp } = await import("node:fs/promises");
  const { openDatabase } = await import("@/lib/db/connection");
  const all = await listMigrations();
  const upTo = all.findIndex((m) => m.name.endsWith(suffix));
  const dir = await mkdtemp("/tmp/tl-mig-");
  const copy = (name: string) => cp(`prisma/migrations/${name}`, `${dir}/${name}`, { recursive: true });
  for (const m of all.slice(0, upTo)) await copy(m.name);
  const old = openDatabase({ mode: "embedded", dir: undefined });
  await migrate(old, dir).catch(async (error: unknown) => {
    await old.close();
    throw error;
  });
  const applyNext = async () => {
    await copy(all[upTo]!.name);
    await migrate(old, dir);
  };
  return { old, dir, applyNext };
}

test("event_partitions: rows, later columns and indexes carry over; the ledger knows every stored event", async () => {
  const { mkdir, writeFile } = await import("node:fs/promises");
  const { old, dir, applyNext } = await migratedBefore("_event_partitions");
  try {
    await old.raw.exec(`
      INSERT INTO "Workspace" ("id", "name", "slug") VALUES ('w1', 'W', 'w');
      INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","sourceEvent","payload","payloadHash","occurredAt","receivedAt")
      VALUES ('e1', 'w1', 'ord_1', 'ord_1', 'accepted', 'purchase', '{}', 'h1', '2025-03-10', '2025-03-10 12:00'),
             ('e2', 'w1', 'ord_2', 'ord_2', 'accepted', 'purchase', '{}', 'h2', '2026-11-30', '2026-11-30 23:00'),
             ('e3', 'w1', 'ord_2', NULL, 'duplicate_conflict', 'purchase', '{}', 'h3', '2026-11-30', '2026-11-30 23:30');`);
    // What another branch may add to Event before this migration runs (a column and its index).
    await mkdir(`${dir}/20261203125900_later_column`);
    await writeFile(
      `${dir}/20261203125900_later_column/migration.sql`,
      `ALTER TABLE "Event" ADD COLUMN "laterColumn" TEXT;
       UPDATE "Event" SET "laterColumn" = 'k_' || "id";
       CREATE INDEX "Event_workspaceId_laterColumn_idx" ON "Event"("workspaceId", "laterColumn") WHERE "laterColumn" IS NOT NULL;`,
    );
    await applyNext();
    const rows = await old.raw.query<{ id: string; laterColumn: string }>(
      `SELECT "id", "laterColumn" FROM "Event" ORDER BY "id"`,
    );
    assert.deepEqual(
      rows.map((r) => [r.id, r.laterColumn]),
      [
        ["e1", "k_e1"],
        ["e2", "k_e2"],
        ["e3", "k_e3"],
      ],
    );
    const indexes = await old.raw.query<{ name: string }>(
      `SELECT c.relname AS "name" FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid WHERE x.indrelid = '"Event"'::regclass ORDER BY 1`,
    );
    for (const name of [
      "Event_pkey",
      "Event_seq_idx",
      "Event_workspaceId_eventId_idx",
      "Event_workspaceId_orderKey_idx",
      "Event_workspaceId_laterColumn_idx",
    ])
      assert.ok(
        indexes.some((i) => i.name === name),
        `${name} on the partitioned table`,
      );
    const parts = await old.raw.query<{ name: string }>(
      `SELECT c.relname AS "name" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"Event"'::regclass`,
    );
    for (const name of ["Event_y2025m03", "Event_y2026m11", "Event_default"])
      assert.ok(
        parts.some((p) => p.name === name),
        `${name} exists`,
      );
    const ledger = await old.raw.query<{ dedupKey: string; month: string; eventRowId: string }>(
      `SELECT "dedupKey", to_char("month", 'YYYY-MM') AS "month", "eventRowId" FROM "EventDedup" ORDER BY 1`,
    );
    assert.deepEqual(
      ledger.map((l) => [l.dedupKey, l.month, l.eventRowId]),
      [
        ["ord_1", "2025-03", "e1"],
        ["ord_2", "2026-11", "e2"],
      ],
    );
    const seq = await old.raw.query<{ owner: string }>(
      `SELECT d.refobjid::regclass::text AS "owner" FROM pg_depend d WHERE d.objid = '"Event_seq_seq"'::regclass AND d.deptype = 'a'`,
    );
    assert.equal(seq[0]?.owner, '"Event"', "the seq sequence now belongs to the partitioned table");
  } finally {
    await old.close();
  }
});

test("event_payloads: payloads move to their month partitions, expired ones stay absent, Event loses the column", async () => {
  const { old, applyNext } = await migratedBefore("_event_payloads");
  try {
    await old.raw.exec(`
      INSERT INTO "Workspace" ("id", "name", "slug") VALUES ('w1', 'W', 'w');
      INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","sourceEvent","payload","payloadHash","occurredAt","receivedAt")
      VALUES ('e1', 'w1', 'ord_1', 'ord_1', 'accepted', 'purchase', '{"event":"purchase","n":1}', 'h1', '2025-03-10', '2025-03-10 12:00'),
             ('e2', 'w1', 'ord_2', 'ord_2', 'accepted', 'purchase', '{"expired":true}', 'h2', '2025-04-10', '2025-04-10 12:00'),
             ('e3', 'w1', 'ord_3', 'ord_3', 'accepted', 'purchase', '{"erased":true}', 'h3', '2026-11-30', '2026-11-30 23:00');`);
    await applyNext();
    const payloads = await old.raw.query<{ eventRowId: string; partition: string; payload: unknown }>(
      `SELECT "eventRowId", tableoid::regclass::text AS "partition", "payload" FROM "EventPayload" ORDER BY 1`,
    );
    assert.deepEqual(
      payloads.map((p) => [p.eventRowId, p.partition, p.payload]),
      [
        ["e1", '"EventPayload_y2025m03"', { event: "purchase", n: 1 }],
        ["e3", '"EventPayload_y2026m11"', { erased: true }],
      ],
      "an already expired payload gets no row (no row reads as expired)",
    );
    const column = await old.raw.query(
      `SELECT 1 FROM information_schema.columns WHERE table_name = 'Event' AND column_name = 'payload'`,
    );
    assert.equal(column.length, 0, "Event has no payload column any more");
    assert.equal(
      (await old.raw.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Event"`))[0]!.n,
      3,
      "every event stays",
    );
    const parts = await old.raw.query<{ name: string }>(
      `SELECT c.relname AS "name" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = '"EventPayload"'::regclass`,
    );
    assert.ok(parts.some((p) => p.name === "EventPayload_default"));
    assert.ok(!parts.some((p) => p.name === "EventPayload_y2025m04"), "no month for payloads that had all expired");
  } finally {
    await old.close();
  }
});

test("delivery_log_partitions: the log's rows land in their day partitions, indexes and the kept foreign keys carry over", async () => {
  const { cp, mkdtemp } = await import("node:fs/promises");
  const { openDatabase } = await import("@/lib/db/connection");
  const { serializeAttempt } = await import("@/lib/delivery/deliveries");
  const { withDeliveryLog } = await import("@/lib/delivery/attempt-log");
  const all = await listMigrations();
  const upTo = all.findIndex((m) => m.name.endsWith("_delivery_log_partitions"));
  const dir = await mkdtemp("/tmp/tl-mig-");
  for (const m of all.slice(0, upTo)) await cp(`prisma/migrations/${m.name}`, `${dir}/${m.name}`, { recursive: true });
  const old = openDatabase({ mode: "embedded", dir: undefined });
  try {
    await migrate(old, dir);
    await old.raw.exec(`
      INSERT INTO "Workspace" ("id", "name", "slug") VALUES ('w1', 'W', 'w');
      INSERT INTO "Destination" ("id", "workspaceId", "type", "name", "updatedAt") VALUES ('dst1', 'w1', 'webhook', 'Hook', now());
      INSERT INTO "Delivery" ("id", "workspaceId", "eventRowId", "destinationId", "status", "attempts", "createdAt") VALUES ('del1', 'w1', 'ev1', 'dst1', 'succeeded', 1, '2025-03-10 11:59');
      INSERT INTO "HttpExchange" ("id", "destinationId", "requestUrl", "requestHeaders", "requestBody", "responseStatus", "responseBody", "latencyMs", "createdAt")
      VALUES ('x1', 'dst1', 'https://hook.example/x', '{}', '{"n": 1}', 200, '{"ok": true}', 9, '2025-03-10 12:00');
      INSERT INTO "DeliveryAttempt" ("id", "deliveryId", "attempt", "exchangeId", "outcome", "reason", "createdAt")
      VALUES ('a1', 'del1', 1, 'x1', 'success', 'accepted', '2025-03-10 12:00');`);
    await cp(`prisma/migrations/${all[upTo]!.name}`, `${dir}/${all[upTo]!.name}`, { recursive: true });
    await migrate(old, dir);
    const placed = await old.raw.query<{ t: string }>(
      `SELECT tableoid::regclass::text AS "t" FROM "HttpExchange" UNION ALL SELECT tableoid::regclass::text FROM "DeliveryAttempt"`,
    );
    assert.deepEqual(
      placed.map((p) => p.t),
      ['"HttpExchange_y2025m03d10"', '"DeliveryAttempt_y2025m03d10"'],
    );
    const [delivery] = await withDeliveryLog(
      [await old.prisma.delivery.findUniqueOrThrow({ where: { id: "del1" } })],
      old.prisma,
    );
    assert.deepEqual(
      delivery!.log.map(serializeAttempt).map((a) => [a.outcome, a.request.url, a.response.status, a.latency_ms]),
      [["success", "https://hook.example/x", 200, 9]],
      "the delivery detail still finds the attempt's exchange",
    );
    const indexes = await old.raw.query<{ name: string }>(
      `SELECT c.relname AS "name" FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
       WHERE x.indrelid IN ('"HttpExchange"'::regclass, '"DeliveryAttempt"'::regclass, '"TraitSyncAttempt"'::regclass, '"AudienceDeliveryAttempt"'::regclass)`,
    );
    for (const name of [
      "HttpExchange_pkey",
      "HttpExchange_destinationId_createdAt_idx",
      "DeliveryAttempt_pkey",
      "DeliveryAttempt_deliveryId_attempt_idx",
      "DeliveryAttempt_exchangeId_idx",
      "DeliveryAttempt_seq_idx",
      "TraitSyncAttempt_syncId_attempt_idx",
      "AudienceDeliveryAttempt_deliveryId_attempt_idx",
    ])
      assert.ok(
        indexes.some((i) => i.name === name),
        `${name} on the partitioned table`,
      );
    const fks = await old.raw.query<{ name: string }>(
      `SELECT conname AS "name" FROM pg_constraint WHERE contype = 'f' AND conparentid = 0
         AND conrelid IN ('"HttpExchange"'::regclass, '"DeliveryAttempt"'::regclass, '"TraitSyncAttempt"'::regclass, '"AudienceDeliveryAttempt"'::regclass)
       ORDER BY 1`,
    );
    assert.deepEqual(
      fks.map((f) => f.name),
      ["AudienceDeliveryAttempt_deliveryId_fkey", "HttpExchange_destinationId_fkey"],
    );
    const seq = await old.raw.query<{ owner: string }>(
      `SELECT d.refobjid::regclass::text AS "owner" FROM pg_depend d WHERE d.objid = '"DeliveryAttempt_seq_seq"'::regclass AND d.deptype = 'a'`,
    );
    assert.equal(seq[0]?.owner, '"DeliveryAttempt"', "the seq sequence now belongs to the partitioned table");
  } finally {
    await old.close();
  }
});

test("two replicas starting at once on an empty database apply each migration once between them (PostgreSQL)", {
  skip: database().mode !== "postgres",
}, async () => {
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  const name = `tl_migrate_race_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  const replicas = [openDatabase(resolveDatabase(url.toString())), openDatabase(resolveDatabase(url.toString()))];
  try {
    const ran = await Promise.all(replicas.map((r) => migrate(r)));
    const files = (await listMigrations()).map((f) => f.name);
    assert.deepEqual([...ran[0]!, ...ran[1]!].sort(), files, "every migration applied, none twice");
    const [recorded] = await replicas[0]!.raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "_prisma_migrations"`,
    );
    assert.equal(recorded!.n, files.length);
  } finally {
    await Promise.all(replicas.map((r) => r.close()));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
});
