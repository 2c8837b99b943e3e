// `npm run bench:ingest` — ingest throughput and latency against references measured in the
// same run on the same machine: (N) this app's no-database POST /api/health (N100: the same
// route given a 100-event batch body, the ceiling of any batch route here), (B1) a bare
// node:http + pg server inserting one row per request, (B2) the same with multi-row INSERTs. In
// PostgreSQL mode it also samples how far the rollups (counted by the server's in-process worker)
// trail the stored events during the peak single-capture and /api/batch loads (bench/freshness.ts).
// Usage: npm run bench:ingest [-- --mode=postgres|embedded|both] [--seconds=10] [--skip-1m]
import pg from "pg";
import { batchOf, purchase, withDatabase } from "./batch-ingest";
import { type FreshnessResult, printFreshness, startFreshnessSampler, waitUntilCounted } from "./freshness";
import { type LoadResult, printResults, runLoad } from "./load";
import { startReference } from "./references";
import { type RunningServer, startServer } from "./server";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const MODE = arg("mode", "both");
const SECONDS = Number(arg("seconds", "10"));
const SKIP_1M = process.argv.includes("--skip-1m");
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const run = Date.now().toString(36);

function singleLoads(server: RunningServer, label: string, rate?: number, repeatShare = 0) {
  return runLoad({
    label,
    url: `${server.url}/api/capture`,
    headers: { authorization: `Bearer ${server.writeKey}` },
    seconds: SECONDS,
    rate,
    // With repeatShare, that share of requests replays an earlier event_id with the same payload.
    body: (i) =>
      purchase(
        repeatShare && i > 10 && i % Math.round(1 / repeatShare) === 0
          ? `${label}_${run}_${i - 7}`
          : `${label}_${run}_${i}`,
      ),
  });
}

async function loadMillion(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  // With their dedup ledger rows and payload rows, as ingest writes them (lib/ingest/store-events.ts).
  await client.query(`WITH ev AS (
    INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceId","sourceEvent","canonicalEventId","mappingId","userId","anonymousId","resolvedUserId","properties","payloadHash","occurredAt","receivedAt")
    SELECT 'bulk_' || i, w.id, 'bulk_' || i, 'bulk_' || i, 'accepted', 'capture', s.id, 'Order Completed', NULL, NULL, 'cust_' || (i % 50000), 'anon_bulk_' || i, 'cust_' || (i % 50000),
      jsonb_build_object('order_id', 'bulk_' || i, 'value', 10, 'currency', 'EUR'), md5(i::text), now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
    FROM generate_series(1, 1000000) AS i, "Workspace" w JOIN "Source" s ON s."workspaceId" = w.id AND s.key = 'heap' WHERE w.slug = 'demo'
    RETURNING "id", "workspaceId", "dedupKey", "receivedAt"),
    pay AS (INSERT INTO "EventPayload" ("workspaceId","eventRowId","receivedAt","payload") SELECT "workspaceId", "id", "receivedAt", '{}'::jsonb FROM ev)
    INSERT INTO "EventDedup" ("workspaceId","dedupKey","month","eventRowId","eventReceivedAt")
    SELECT "workspaceId", "dedupKey", date_trunc('month', "receivedAt")::date, "id", "receivedAt" FROM ev`);
  await client.query(`ANALYZE "Event"; ANALYZE "EventDedup"; ANALYZE "EventPayload"`);
  await client.end();
  console.log(`  stored 1,000,000 events in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * A database that has stored 1M events over time has them counted in its rollups and vacuumed
 * (autovacuum keeps up with a steady stream). The bulk load leaves neither: measured at once, the
 * server's worker would be counting 1M events and autovacuum scanning 1 GB of new pages beside the
 * load. So the run waits for the worker's aggregator to count them, then vacuums, and says how long each took.
 */
async function steadyState(databaseUrl: string) {
  const countedInMs = await waitUntilCounted(databaseUrl);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  await client.query(`VACUUM (ANALYZE) "Event", "EventDedup", "EventPayload"`);
  await client.end();
  console.log(
    `  rollups counted them in ${(countedInMs / 1000).toFixed(0)} s; VACUUM (ANALYZE) took ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

/** A few seconds of both routes first, so neither measured run pays for JIT and cold caches. */
let warmUps = 0;
async function warmUp(server: RunningServer) {
  const tag = `${run}_${++warmUps}`;
  await runLoad({
    label: "warm-up",
    url: `${server.url}/api/health`,
    seconds: 3,
    body: (i) => purchase(`wn_${tag}_${i}`),
  });
  await runLoad({
    label: "warm-up",
    url: `${server.url}/api/capture`,
    headers: { authorization: `Bearer ${server.writeKey}` },
    seconds: 3,
    body: (i) => purchase(`wc_${tag}_${i}`),
  });
}

const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : "n/a");

async function benchPostgres(port: number) {
  return withDatabase(ADMIN_URL, `tracklayer_bench_${run}`, async (databaseUrl) => {
    const rows: LoadResult[] = [];
    const b1 = await startReference(databaseUrl, "single");
    rows.push(
      await runLoad({
        label: "B1 node:http + pg, one INSERT per event",
        url: b1.url,
        seconds: SECONDS,
        body: (i) => purchase(`b1_${run}_${i}`),
      }),
    );
    await b1.close();
    const b2 = await startReference(databaseUrl, "batch");
    rows.push(
      await runLoad({
        label: "B2 node:http + pg, multi-row INSERT x100",
        url: b2.url,
        seconds: SECONDS,
        eventsPerRequest: 100,
        body: (i) => ({ batch: batchOf("b2", run, i) }),
      }),
    );
    await b2.close();

    const server = await startServer(port, databaseUrl);
    const freshness = await startFreshnessSampler(databaseUrl);
    let lags: FreshnessResult[] = [];
    try {
      await warmUp(server);
      const n = await runLoad({
        label: "N  POST /api/health (no database)",
        url: `${server.url}/api/health`,
        seconds: SECONDS,
        body: (i) => purchase(`n_${run}_${i}`),
      });
      rows.push(n);
      // The same no-database route given the batch body: the most any batch route can do here.
      const n100 = await runLoad({
        label: "N100 POST /api/health, 100-event body",
        url: `${server.url}/api/health`,
        seconds: SECONDS,
        eventsPerRequest: 100,
        body: (i) => ({ batch: batchOf("n100", run, i) }),
      });
      rows.push(n100);
      const peak = await freshness.during("capture single, peak", () =>
        singleLoads(server, "capture single, unique ids"),
      );
      rows.push(peak);
      const at70 = await singleLoads(
        server,
        "capture single @70% of peak",
        Math.max(1, Math.round(peak.requestsPerSec * 0.7)),
      );
      rows.push(at70);
      const dup = await singleLoads(server, "capture single, 10% repeated ids", undefined, 0.1);
      rows.push(dup);
      const batch = await freshness.during("/api/batch x100", () =>
        runLoad({
          label: "/api/batch x100",
          url: `${server.url}/api/batch`,
          headers: { authorization: `Bearer ${server.writeKey}` },
          seconds: SECONDS,
          eventsPerRequest: 100,
          body: (i) => ({ batch: batchOf("ab", run, i).map((e) => ({ type: "capture", ...e })) }),
        }),
      );
      rows.push(batch);
      const v1 = await runLoad({
        label: "/v1/batch x100 (Segment shape)",
        url: `${server.url}/v1/batch`,
        headers: { authorization: `Basic ${Buffer.from(`${server.writeKey}:`).toString("base64")}` },
        seconds: SECONDS,
        eventsPerRequest: 100,
        body: (i) => ({
          batch: batchOf("v1", run, i).map((e) => ({
            type: "track",
            event: e.event,
            messageId: e.event_id,
            userId: e.user_id,
            anonymousId: e.anonymous_id,
            properties: e.properties,
          })),
        }),
      });
      rows.push(v1);
      await freshness.stop();
      lags = freshness.results();
      let full: { peak: LoadResult; at70: LoadResult } | undefined;
      if (!SKIP_1M) {
        await server.stop();
        await loadMillion(databaseUrl);
        const again = await startServer(port, databaseUrl, server.writeKey);
        await steadyState(databaseUrl);
        await warmUp(again); // like the empty run: a just-started server would be measured with a cold JIT
        const p = await singleLoads(again, "capture single, 1M events stored");
        const a = await singleLoads(
          again,
          "capture @70%, 1M events stored",
          Math.max(1, Math.round(peak.requestsPerSec * 0.7)),
        );
        rows.push(p, a);
        full = { peak: p, at70: a };
        await again.stop();
      }
      printResults("PostgreSQL mode", rows);
      const [b1r, b2r] = rows;
      console.log("\n  ratios (PostgreSQL)");
      console.log(
        `  capture / N                      ${ratio(peak.requestsPerSec, n.requestsPerSec)}   (target ≥ 0.7)`,
      );
      console.log(`  capture / B1                     ${ratio(peak.requestsPerSec, b1r!.requestsPerSec)}`);
      console.log(
        `  p99 at 70% of peak               ${at70.p99} ms   (target ≤ 50 ms), 5xx: ${Object.entries(at70.statuses).filter(([c]) => c.startsWith("5")).length ? "yes" : "none"}`,
      );
      console.log(
        `  10% repeats / unique             ${ratio(dup.requestsPerSec, peak.requestsPerSec)}   (target ≥ 0.9)`,
      );
      console.log(
        `  /api/batch events/s             ${batch.eventsPerSec.toFixed(0)}   (target ≥ 10000), / B2 ${ratio(batch.eventsPerSec, b2r!.eventsPerSec)} (target ≥ 0.5)`,
      );
      console.log(
        `  /v1/batch events/s              ${v1.eventsPerSec.toFixed(0)}   (target ≥ 10000), / B2 ${ratio(v1.eventsPerSec, b2r!.eventsPerSec)} (target ≥ 0.5)`,
      );
      console.log(
        `  N100 / B2                        ${ratio(n100.eventsPerSec, b2r!.eventsPerSec)}   (a batch route that only parses its body, no database)`,
      );
      console.log(
        `  /api/batch, /v1/batch / N100     ${ratio(batch.eventsPerSec, n100.eventsPerSec)}, ${ratio(v1.eventsPerSec, n100.eventsPerSec)}`,
      );
      if (full) {
        console.log(
          `  1M stored / empty                ${ratio(full.peak.requestsPerSec, peak.requestsPerSec)}   (target ≥ 0.8)`,
        );
        console.log(`  p99 @70%, 1M stored / empty      ${ratio(full.at70.p99, at70.p99)}   (target ≤ 1.5)`);
      }
      printFreshness(lags);
    } finally {
      await freshness.stop().catch(() => undefined);
      await server.stop().catch(() => undefined);
    }
  });
}

async function benchEmbedded(port: number) {
  const server = await startServer(port);
  try {
    await warmUp(server);
    const n = await runLoad({
      label: "N  POST /api/health (no database)",
      url: `${server.url}/api/health`,
      seconds: SECONDS,
      body: (i) => purchase(`en_${run}_${i}`),
    });
    const peak = await singleLoads(server, "embedded capture single");
    const batch = await runLoad({
      label: "embedded /api/batch x100",
      url: `${server.url}/api/batch`,
      headers: { authorization: `Bearer ${server.writeKey}` },
      seconds: SECONDS,
      eventsPerRequest: 100,
      body: (i) => ({ batch: batchOf("eb", run, i).map((e) => ({ type: "capture", ...e })) }),
    });
    printResults("Embedded (PGlite) mode", [n, peak, batch]);
    console.log("\n  ratios (embedded)");
    console.log(`  capture / N                      ${ratio(peak.requestsPerSec, n.requestsPerSec)}   (target ≥ 0.5)`);
  } finally {
    await server.stop();
  }
}

const port = Number(arg("port", "3400"));
if (MODE === "postgres" || MODE === "both") await benchPostgres(port);
if (MODE === "embedded" || MODE === "both") await benchEmbedded(port + 1);
