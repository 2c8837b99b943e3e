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
    const log = (
      await old.prisma.deliveryAttempt.findMany({
        where: { deliveryId: "del1" },
        orderBy: { attempt: "asc" },
        include: { exchange: true },
      })
    ).map(serializeAttempt);
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
