// `npm run bench:delivery` — how fast the outbox drains to a local mock destination against the
// batched ingest rate measured just before in the same run (`/api/batch` x100 on the built server,
// as bench:ingest measures it): with 1 and 2 worker processes (bench/delivery-worker.ts; two
// processes use two cores, as two deployed workers would), and with 100k deliveries pending vs an
// empty queue. PostgreSQL (throw-away databases on the machine's server).
// Usage: npm run bench:delivery [-- --seconds=10] [--port=3450] [--ingest-rate=N (skips measuring it)]
//   [--deliveries=60000 (per drain: a drain of a few seconds, so one slow second does not decide the ratio)]

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import pg from "pg";
import { measureBatchIngest } from "./batch-ingest";
import { cpuMeter, describeCpu } from "./cpu";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const GIVEN_INGEST_RATE = arg("ingest-rate", "");
const SECONDS = Number(arg("seconds", "10"));
const DRAIN = Number(arg("deliveries", "60000"));
const PORT = Number(arg("port", "3450"));
const run = Date.now().toString(36);
process.env.TRACKLAYER_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.TRACKLAYER_DELIVERY_BASE_DELAY_MS ??= "1000";
// The receiver listens on 127.0.0.1: let the guarded fetch reach it.
process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK ??= "true";

async function mockDestination() {
  let events = 0;
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      events += (JSON.parse(body) as { events: unknown[] }).events.length;
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: () => events,
    close: () => new Promise((r) => server.close(r)),
  };
}

type StepTimings = Record<string, { n: number; ms: number }>;
const perBatch = (steps: StepTimings) =>
  Object.entries(steps)
    .map(([step, s]) => `${step} ${(s.ms / s.n).toFixed(1)} ms ×${s.n}`)
    .join(" · ");

/** A bench worker process (this process's environment: DATABASE_URL, key); resolves once it is up. */
async function startBenchWorker() {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/delivery-worker.ts"], {
    env: process.env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let ready: () => void = () => undefined;
  const up = new Promise<void>((resolve) => {
    ready = resolve;
  });
  createInterface({ input: child.stdout! }).on("line", (line) => {
    lines.push(line);
    if (line === "ready") ready();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  await Promise.race([up, exited.then((code) => Promise.reject(new Error(`bench worker exited (${code})`)))]);
  return {
    pid: child.pid!,
    /** Stops it (SIGTERM: it finishes what it claimed) and returns its step timings. */
    stop: async (): Promise<StepTimings> => {
      child.kill("SIGTERM");
      await exited;
      return JSON.parse(lines.at(-1) ?? "{}") as StepTimings;
    },
  };
}

async function main() {
  let ingestRate = Number(GIVEN_INGEST_RATE);
  if (!GIVEN_INGEST_RATE) {
    console.log(
      `\nBatched ingest (PostgreSQL, /api/batch x100 for ${SECONDS} s, the built server as npm start runs it)`,
    );
    const ingest = await measureBatchIngest(ADMIN_URL, run, PORT, SECONDS);
    ingestRate = ingest.eventsPerSec;
    console.log(
      `  /api/batch x100                                  ${ingestRate.toFixed(0).padStart(6)} events/s  p99 ${ingest.p99} ms  ${JSON.stringify(ingest.statuses)}`,
    );
  }
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `tracklayer_bench_delivery_${run}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const mock = await mockDestination();
  const { database, closeDatabase } = await import("@/lib/db");
  const { migrate } = await import("@/lib/db/migrate");
  const { seedDemo } = await import("@/lib/workspace/seed-demo");
  const { sealSecrets } = await import("@/lib/delivery/secret-box");
  const { aggregateRollups } = await import("@/lib/metrics/aggregate");
  try {
    await migrate(database());
    await seedDemo(database().prisma, { password: "bench-password-1" });
    const prisma = database().prisma;
    const ws = await prisma.workspace.findUniqueOrThrow({ where: { slug: "demo" } });
    const mapping = await prisma.mapping.findFirstOrThrow({
      where: { workspaceId: ws.id, sourceEvent: "Order Completed" },
      include: { liveRevision: true },
    });
    const destination = await prisma.destination.create({
      data: {
        workspaceId: ws.id,
        type: "webhook",
        name: "bench mock",
        enabled: true,
        testMode: false,
        config: { url: mock.url, max_batch: 500 },
        secretsEncrypted: sealSecrets({ signing_secret: "bench-signing-secret-0123" }),
      },
    });
    await prisma.mappingDestination.create({
      data: { mappingId: mapping.id, destinationId: destination.id, enabled: true },
    });

    let serial = 0;
    const enqueue = async (count: number, dueInMs = 0) => {
      const from = serial + 1;
      serial += count;
      await database().raw.query(
        `WITH ev AS (
           INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceEvent","canonicalEventId","mappingId","mappingRevisionId","userId","resolvedUserId","properties","payloadHash","occurredAt","receivedAt")
           SELECT 'be_' || i, $1, 'be_' || i, 'be_' || i, 'accepted', 'capture', 'Order Completed', $2, $3, $4, 'cust_' || (i % 1000), 'cust_' || (i % 1000),
             jsonb_build_object('order_id', 'o_' || i, 'value', 10, 'currency', 'EUR'), md5(i::text), now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
           FROM generate_series($5::int, $6::int) AS i RETURNING "id", "receivedAt"),
         pay AS (INSERT INTO "EventPayload" ("workspaceId","eventRowId","receivedAt","payload") SELECT $1, "id", "receivedAt", '{}'::jsonb FROM ev)
         INSERT INTO "Delivery" ("id","workspaceId","eventRowId","eventReceivedAt","canonicalEventId","destinationId","status","attempts","nextAttemptAt","createdAt","updatedAt")
         SELECT 'bd_' || ev."id", $1, ev."id", ev."receivedAt", $2, $7, 'pending', 0, (now() AT TIME ZONE 'UTC') + ($8::int * interval '1 millisecond'), now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC' FROM ev`,
        [
          ws.id,
          mapping.liveRevision!.canonicalEventId,
          mapping.id,
          mapping.liveRevisionId,
          from,
          serial,
          destination.id,
          dueInMs,
        ],
      );
    };
    // Due rows not yet settled (claimed ones included): read through the due-queue index, so
    // polling costs the database little however many rows are done or pending for later.
    const due = async () =>
      (
        await database().raw.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Delivery" WHERE "status" IN ('pending', 'retrying') AND "nextAttemptAt" <= now() AT TIME ZONE 'UTC'`,
        )
      )[0]!.n;
    const succeeded = async () =>
      (
        await database().raw.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "Delivery" WHERE "status" = 'succeeded'`,
        )
      )[0]!.n;

    /**
     * Delivers `count` rows, queued by `queue` once `workers` worker processes are up and idle
     * (bench/delivery-worker.ts: each its own process, as deployed workers are); returns
     * deliveries/s and the first worker's step timings.
     */
    const drain = async (label: string, count: number, workers: number, queue: () => Promise<void>) => {
      // Each drain starts from a settled database: the rollups have counted every earlier event and
      // attempt (else the workers' aggregator would count the previous drain's deliveries in
      // this one's time) and the tables are vacuumed (else autovacuum, woken by the 100k rows queued or
      // the 40,000 settled, would run beside some drains and not others).
      // (Not before the first drain: statistics of empty tables would have the planner scan them
      // whole per row once a drain's rows are queued, until autovacuum analyzes them again.)
      while ((await aggregateRollups({ maxSteps: 100 })) > 0);
      if (await succeeded()) await database().raw.query(`VACUUM (ANALYZE) "Delivery", "Event", "EventPayload"`);
      const processes = await Promise.all(Array.from({ length: workers }, () => startBenchWorker()));
      // A worker's first pass (partitions ahead, retention, alert rules, table upkeep: due at start,
      // then once a minute) is not the drain's work: let it finish before queueing.
      await new Promise((r) => setTimeout(r, 3_000));
      const before = await succeeded();
      const sentBefore = mock.received();
      // Timed from the rows' commit (queueing the events is not the workers' time): they may be
      // claimed from the moment it commits, a few ms before the statement returns here.
      await queue();
      const started = performance.now();
      const cpu = cpuMeter(processes.map((p) => p.pid));
      // Waits on the mock's count first (no query: counting the due rows every 50 ms cost the
      // database a tenth of what the drain did), then for the last outcomes to be written.
      while (mock.received() < sentBefore + count) await new Promise((r) => setTimeout(r, 10));
      while ((await due()) > 0) await new Promise((r) => setTimeout(r, 10));
      const seconds = (performance.now() - started) / 1000;
      const used = cpu();
      const steps = await Promise.all(processes.map((p) => p.stop()));
      const delivered = (await succeeded()) - before;
      if (delivered !== count) throw new Error(`${label}: ${delivered} of ${count} deliveries succeeded`);
      const rate = count / seconds;
      console.log(
        `  ${label.padEnd(48)} ${count.toString().padStart(7)} in ${seconds.toFixed(2).padStart(6)} s  → ${rate.toFixed(0).padStart(6)} deliveries/s`,
      );
      console.log(
        `    CPU: ${describeCpu(used, workers > 1 ? "worker processes" : "worker process")} (this process: the mock destination and polling)`,
      );
      console.log(
        `    ${workers > 1 ? "first worker's" : "the worker's"} steps per batch of 500: ${perBatch(steps[0]!)}`,
      );
      return rate;
    };

    console.log("\nDelivery drain (PostgreSQL, local mock webhook, batches of up to 500, worker processes)");
    const one = await drain("1 worker, empty queue", DRAIN, 1, () => enqueue(DRAIN));
    console.log(
      `    one worker's wall time per batch of 500: ${((500 / one) * 1000).toFixed(1)} ms (the next claim runs while a full batch is sent and recorded, and its outcomes are written while the next batch is sent)`,
    );
    const two = await drain("2 workers, empty queue", DRAIN, 2, () => enqueue(DRAIN));
    // 100k not yet due stay in the table and indexes while the due ones drain.
    await enqueue(100_000, 3_600_000);
    const backlog = await drain("1 worker, 100k more pending", DRAIN, 1, () => enqueue(DRAIN));
    console.log("\n  ratios");
    console.log(`  2 workers / 1 worker              ${(two / one).toFixed(2)}`);
    console.log(`  100k pending / empty queue        ${(backlog / one).toFixed(2)}   (target ≥ 0.7)`);
    console.log(
      `  drain (1 worker) / ingest ${ingestRate.toFixed(0)}/s   ${(one / ingestRate).toFixed(2)}   (target ≥ 1.5)${GIVEN_INGEST_RATE ? "  (ingest rate given, not measured)" : ""}`,
    );
    console.log(
      `  drain (2 workers) / ingest ${ingestRate.toFixed(0)}/s  ${(two / ingestRate).toFixed(2)}   (target ≥ 2)`,
    );
    console.log(`  mock destination received ${mock.received()} events`);
    // The statistics each connection reported so far (a second or so behind): how many of the
    // outbox's row rewrites (leases, outcomes, give-backs) wrote no index entry.
    const [updates] = await database().raw.query<{ updated: number; hot: number }>(
      `SELECT n_tup_upd::int AS updated, n_tup_hot_upd::int AS hot FROM pg_stat_user_tables WHERE relname = 'Delivery'`,
    );
    console.log(
      `  Delivery row updates ${updates!.updated}, HOT (no index written) ${((100 * updates!.hot) / Math.max(1, updates!.updated)).toFixed(0)} %`,
    );
  } finally {
    await closeDatabase();
    await mock.close();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

await main();
