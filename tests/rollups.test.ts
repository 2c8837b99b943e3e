// Rollups are exact: a random mix of events (accepted, held, unmapped, rejected, repeats, conflicts)
// and deliveries (queued, sent, retried, dead letters with their reasons) is counted exactly as a
// full scan counts it (rollup-scans.ts), a run killed between counting and its checkpoint counts nothing, and a transaction that commits late
// is neither skipped nor counted twice (the watermark).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { z } from "zod";
import { closeDatabase, database, db } from "@/lib/db";
import { listMigrations } from "@/lib/db/migrate";
import { backfillMapping } from "@/lib/delivery/backfill";
import type { DestinationModule, Outcome } from "@/lib/delivery/destinations/types";
import { deliverClaimed } from "@/lib/delivery/engine/deliver";
import { aggregateRollups, aggregateStep, STREAMS } from "@/lib/metrics/aggregate";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { type WorkerOptions, workerSettings } from "@/lib/worker/options";
import { claimBatch, runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";
import { type MockPlatform, startMockPlatform } from "./mock-platform";
import { assertExact, deliveryCounts, eventCounts } from "./rollup-scans";

const testModule: DestinationModule = {
  type: "webhook",
  label: "test",
  configSchema: z.object({}).passthrough(),
  secretsSchema: z.record(z.string(), z.string()),
  maxBatch: 4,
  buildRequest(events, settings) {
    const body = JSON.stringify({ events: events.map((e) => ({ event_id: e.eventId })) });
    return {
      method: "POST",
      url: `${settings.baseUrl}/collect`,
      headers: {},
      body,
      log: { url: "", headers: {}, body: null },
    };
  },
  classify(answer): Outcome {
    if ("networkError" in answer) return { outcome: "retry", reason: answer.networkError };
    if (answer.status < 300) return { outcome: "success", ack: {} };
    if (answer.status >= 500) return { outcome: "retry", reason: `HTTP ${answer.status}` };
    return { outcome: "permanent", reason: `HTTP ${answer.status}` };
  },
};

let ws: TestWorkspace;
let key: string;
let mock: MockPlatform;
let clock = Date.now();
let seed = 42;
/** A small deterministic generator: a failing mix can be replayed. */
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;

const SECOND_CONNECTION = { skip: database().mode === "embedded" ? "one embedded connection commits in order" : false };

/**
 * With the rollups caught up, a second connection begins a transaction and runs `statements` (the
 * workspace id as $1); then 10 more calls arrive and the rollups run while it is open; `whileOpen`
 * checks them; then the transaction ends with `end`.
 */
async function besideOpenTransaction(statements: string[], whileOpen: () => Promise<void>, end: "COMMIT" | "ROLLBACK") {
  await aggregateRollups();
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    await client.query("BEGIN");
    for (const sql of statements) await client.query(sql, [ws.workspace.id]);
    await sendMix(10);
    await aggregateRollups();
    await whileOpen();
    await client.query(end);
  } finally {
    await client.end();
  }
}

const options = (): WorkerOptions => ({
  ...workerSettings(),
  modules: { webhook: testModule } as WorkerOptions["modules"],
  baseUrlFor: () => mock.url,
  policy: { maxAttempts: 2, baseDelayMs: 1_000, maxDelayMs: 5_000, maxAgeMs: 86_400_000 },
  timeoutMs: 300,
  now: () => new Date(clock),
});

const sent: string[] = [];
/** Sends n calls drawn from the mix; a tenth repeat an earlier event_id (same body or changed). */
async function sendMix(n: number) {
  for (let i = 0; i < n; i++) {
    const kind = random();
    if (kind < 0.1 && sent.length > 0) {
      const id = pick(sent);
      const changed = random() < 0.5;
      await capture(key, {
        event: "purchase",
        event_id: id,
        user_id: "u1",
        properties: { order_id: id, value: changed ? 2 : 1, currency: "EUR" },
      });
      continue;
    }
    const id = `mix_${sent.length}_${Math.floor(random() * 1e9)}`;
    sent.push(id);
    const body =
      kind < 0.5
        ? { event: "purchase", properties: { order_id: id, value: 1, currency: "EUR" } }
        : kind < 0.6
          ? { event: "purchase", properties: { value: "not a number" } }
          : kind < 0.7
            ? { event: "Payment Info Completed", properties: { checkout_id: id } }
            : { event: pick(["Clicked Banner", "Viewed Pricing", "Hovered Logo"]), properties: {} };
    await capture(key, { ...body, event_id: id, user_id: `u${Math.floor(random() * 5)}` });
  }
}

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  mock = await startMockPlatform();
  const destination = await db().destination.create({
    data: { workspaceId: ws.workspace.id, type: "webhook", name: "Rollup mock", enabled: true, config: {} },
  });
  const purchase = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, purchase.id, { destinations: { [destination.id]: true } });
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

describe("metrics rollups", () => {
  test("count a random mix of events and deliveries exactly as a full scan does", async () => {
    for (let round = 0; round < 4; round++) {
      await sendMix(40);
      // Faults: server errors (retries, then dead letters after 2 attempts), refusals (dead at once).
      mock.faults = Array.from({ length: 6 }, () => pick([{ status: 500 }, { status: 400 }, { status: 503 }]));
      await runOnce("rollup-test", options());
      clock += 60_000;
      await runOnce("rollup-test", options());
      // Aggregation runs at arbitrary points between ingest and delivery.
      if (round % 2 === 0) await aggregateRollups();
      if (round === 1) {
        // A destination toggled on later and backfilled: its outbox rows count as queued once.
        const late = await db().destination.create({
          data: { workspaceId: ws.workspace.id, type: "webhook", name: "Rollup backfill", enabled: true, config: {} },
        });
        const purchase = await db().mapping.findFirstOrThrow({
          where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
        });
        await updateMapping(ws.actors.growth, purchase.id, { destinations: { [late.id]: true } });
        const done = await backfillMapping(ws.actors.growth, purchase.id, { destination_id: late.id, dry_run: false });
        assert.ok((done.queued ?? 0) > 0, "backfilled rows");
      }
    }
    await aggregateRollups();
    const { events, deliveries, statuses: labelFree } = await assertExact(ws.workspace.id);
    assert.ok(
      Object.keys(labelFree.rollup).some((k) => /^[^|]*\|\|[^|]+\|held$/.test(k)),
      "held events count under their mapping (no canonical event)",
    );
    const statuses = new Set(Object.keys(events.scan).map((k) => k.split("|")[5]));
    for (const status of ["accepted", "held", "unmapped", "rejected", "duplicate_conflict", "duplicate"])
      assert.ok(statuses.has(status), `the mix holds ${status} events`);
    for (const outcome of ["queued", "sent", "retrying", "dead"])
      assert.ok(deliveries.outcomes.has(outcome), `${outcome} counted`);
    const reasons = new Set(Object.keys(deliveries.scan).map((k) => k.split("|")[4]));
    for (const reason of ["platform_rejected", "retries_exhausted"])
      assert.ok(reasons.has(reason), `${reason} counted`);
    // Running again with nothing new counts nothing more.
    await aggregateRollups();
    await assertExact(ws.workspace.id);
    // The migrations that added the coarser rollups fill them from the detailed ones: the same numbers.
    const migrations = await listMigrations();
    const backfill = (name: string) => {
      const sql = migrations.find((m) => m.name.endsWith(name))!.sql;
      return sql.slice(sql.indexOf("-- Backfill"));
    };
    await database().raw.exec(
      `DELETE FROM "EventStatusRollup"; DELETE FROM "DeliveryHealthRollup"; DELETE FROM "DeliveryDayRollup";
       ${backfill("_label_free_rollups")}; ${backfill("_delivery_day_rollup")}`,
    );
    await assertExact(ws.workspace.id);
  });

  test("a run killed after counting and before its checkpoint counts nothing; the next counts once", async () => {
    await aggregateRollups();
    await sendMix(25);
    clock += 60_000;
    await runOnce("rollup-test", options());
    // (the worker pass aggregates too) — these are surely left to count: new events, and
    // deliveries sent without the worker's other queues (where the aggregator runs).
    await sendMix(5);
    const killId = `kill_${Date.now()}`;
    for (let i = 0; i < 2; i++)
      await capture(key, {
        event: "purchase",
        event_id: `${killId}_${i}`,
        user_id: "u1",
        properties: { order_id: `k${i}`, value: 1, currency: "EUR" },
      });
    // An exact repeat: the duplicates stream has something to count too.
    await capture(key, {
      event: "purchase",
      event_id: `${killId}_0`,
      user_id: "u1",
      properties: { order_id: "k0", value: 1, currency: "EUR" },
    });
    clock += 60_000;
    const claimed = await claimBatch("rollup-test", options());
    assert.ok(claimed.length > 0, "deliveries to count");
    await deliverClaimed(claimed, options());
    const before = { rollup: {}, scan: {} } as Awaited<ReturnType<typeof eventCounts>>;
    for (const stream of STREAMS) {
      // First step takes the watermark; the second counts up to it and is killed before committing.
      const first = await aggregateStep(stream);
      assert.equal(
        first.waiting,
        false,
        `${stream.name}: ${JSON.stringify(first, (_, v) => (typeof v === "bigint" ? String(v) : v))}`,
      );
      if (stream.name === "events") Object.assign(before, await eventCounts(ws.workspace.id));
      await assert.rejects(
        aggregateStep(stream, {
          afterCounting: async () => {
            throw new Error("worker killed");
          },
        }),
        /worker killed/,
        stream.name,
      );
    }
    assert.deepEqual((await eventCounts(ws.workspace.id)).rollup, before.rollup, "nothing counted by the killed run");
    const deliveries = await deliveryCounts(ws.workspace.id);
    assert.notDeepEqual(deliveries.rollup, deliveries.scan, "the killed run's attempts are not counted");
    assert.notDeepEqual(before.rollup, before.scan, "there was something to count");
    await aggregateRollups();
    await assertExact(ws.workspace.id);
  });

  test(
    "a transaction that began before the watermark and commits late is counted once, not skipped",
    SECOND_CONNECTION,
    async () => {
      await besideOpenTransaction(
        // Takes a seq now, commits after later events have committed with larger seqs.
        [
          `INSERT INTO "Event" ("id","workspaceId","eventId","status","sourceEvent","payloadHash","occurredAt","receivedAt")
           VALUES (gen_random_uuid()::text, $1, 'late_commit', 'unmapped', 'Late Label', 'h', now(), now())`,
        ],
        async () => {
          const meanwhile = await eventCounts(ws.workspace.id);
          assert.ok(!Object.keys(meanwhile.rollup).some((k) => k.includes("Late Label")));
          assert.notDeepEqual(meanwhile.rollup, meanwhile.scan, "later events wait for the open transaction");
        },
        "COMMIT",
      );
      await aggregateRollups();
      const { events } = await assertExact(ws.workspace.id);
      assert.equal(Object.entries(events.rollup).find(([k]) => k.includes("Late Label"))?.[1], 1);
    },
  );

  test(
    "a long transaction that writes no event (a report, a recompute) does not hold the rollups back",
    SECOND_CONNECTION,
    async () => {
      await besideOpenTransaction(
        // Reads events and writes another table, and stays open.
        [
          `SELECT count(*) FROM "Event" WHERE "workspaceId" = $1`,
          `DELETE FROM "ComputedTraitInput" WHERE "workspaceId" = $1`,
        ],
        () => assertExact(ws.workspace.id).then(() => undefined),
        "ROLLBACK",
      );
    },
  );
});
