// `npm run bench:replicas` — proves the production layout: two app instances and two workers on one
// PostgreSQL, behind a small round-robin proxy. It checks, and exits non-zero when any claim fails:
//  1. concurrent duplicates sent to both instances store one event (one 202, one 200 duplicate);
//  2. a mapping approved through one instance is used by the other within the registry cache's TTL;
//  3. the live inspector on one instance shows events received by the other;
//  4. killing one worker (SIGKILL, mid-drain) loses no delivery and records none twice.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startProxy, startReceiver, startWorkerProcess } from "./replica-processes";
import { startServer } from "./server";

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const PORTS = [Number(arg("port", "3601")), Number(arg("port", "3601")) + 1];
const EVENTS = Number(arg("events", "3000"));
const REGISTRY_TTL_MS = 5_000;

// One secret set for every process: sessions, tokens and sealed destination secrets work on any replica.
process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");
process.env.TRACKLAYER_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK = "true"; // the receiver listens on 127.0.0.1
process.env.TRACKLAYER_WORKER = "off"; // the app replicas only serve; the two worker processes deliver
process.env.TRACKLAYER_WORKER_LEASE_MS ??= "5000"; // how long the killed worker's rows wait

const results: { claim: string; ok: boolean; detail: string }[] = [];
function claim(name: string, ok: boolean, detail: string) {
  results.push({ claim: name, ok, detail });
  console.log(`${ok ? "PASS" : "FAIL"}  ${name} — ${detail}`);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function post(url: string, auth: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `tracklayer_bench_replicas_${Date.now().toString(36)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const dbUrl = new URL(ADMIN_URL);
  dbUrl.pathname = `/${name}`;
  process.env.DATABASE_URL = dbUrl.toString();
  const stops: (() => Promise<unknown>)[] = [];
  try {
    const setup = await import("./replica-setup");
    const ws = await setup.prepareWorkspace();
    const receiver = await startReceiver();
    stops.push(receiver.close);
    await setup.sendPurchasesTo(ws, `${receiver.url}/hook`);

    console.log(`starting two app instances on ports ${PORTS.join(" and ")} (one PostgreSQL: ${name})`);
    // One after the other: the first builds the app if no current build exists.
    const a = await startServer(PORTS[0]!, process.env.DATABASE_URL, ws.writeKey);
    const b = await startServer(PORTS[1]!, process.env.DATABASE_URL, ws.writeKey);
    stops.push(a.stop, b.stop);
    const proxy = await startProxy([a.url, b.url]);
    stops.push(proxy.close);

    // 1. The same event_id sent to both instances at once, 200 times.
    const pairs = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const event = setup.purchase(`dup_${i}`);
        const answers = await Promise.all([a, b].map((s) => post(`${s.url}/api/capture`, ws.writeKey, event)));
        return answers.map((r) => r.status).sort();
      }),
    );
    const stored = await setup.storedEvents(ws.workspaceId, "dup_");
    const oneEach = pairs.every(([x, y]) => x === 200 && y === 202);
    claim(
      "concurrent duplicates across instances store one event",
      stored === 200 && oneEach,
      `${stored} events stored for 200 event_ids sent twice; answers ${oneEach ? "one 202 + one 200 duplicate each" : JSON.stringify(pairs.slice(0, 5))}`,
    );

    // 2. A mapping approved on instance A, used by instance B within the registry cache's TTL.
    const label = `Replica Trial Started ${Date.now()}`;
    const send = (i: number) =>
      post(`${b.url}/api/capture`, ws.writeKey, {
        event: label,
        event_id: `ttl_${i}`,
        user_id: "u_ttl",
        source: "heap",
        properties: {},
      });
    const before = await send(0);
    const created = await post(`${a.url}/api/mappings`, ws.analystToken, {
      source: "heap",
      source_event: label,
      canonical_event: "start_trial",
      required_properties: [],
    });
    const id = String((created.body as { id?: string }).id);
    await post(`${a.url}/api/mappings/${id}/submit`, ws.analystToken, {});
    const approved = await post(`${a.url}/api/mappings/${id}/approve`, ws.growthToken, {});
    const approvedAt = Date.now();
    let seenAfter = Number.POSITIVE_INFINITY;
    for (let i = 1; Date.now() - approvedAt < REGISTRY_TTL_MS * 3; i++) {
      if ((await send(i)).body.status === "accepted") {
        seenAfter = Date.now() - approvedAt;
        break;
      }
      await sleep(100);
    }
    claim(
      "a mapping approved on one instance is used by the other within the cache TTL",
      before.body.status === "unmapped" && approved.status === 200 && seenAfter <= REGISTRY_TTL_MS + 1_000,
      `before: ${String(before.body.status)}; approve answered ${approved.status}; instance B accepted it ${seenAfter} ms later (TTL ${REGISTRY_TTL_MS} ms)`,
    );

    // 3. The live inspector on A shows an event received by B.
    const liveId = `live_${Date.now()}`;
    const seenLive = await setup.watchLive(`${a.url}/api/inspector/stream`, ws.adminToken, liveId, () =>
      post(`${b.url}/api/capture`, ws.writeKey, setup.purchase(liveId)),
    );
    claim(
      "the live inspector on one instance shows events received by the other",
      seenLive !== null,
      seenLive === null ? "not seen within 10 s" : `seen on instance A ${seenLive} ms after instance B answered`,
    );

    // 4. Two workers drain a backlog sent through the proxy; one is killed with SIGKILL mid-drain.
    const workers = [startWorkerProcess(), startWorkerProcess()];
    stops.push(...workers.map((w) => w.stop));
    const ids = await setup.sendBacklog(proxy.url, ws.writeKey, EVENTS);
    while (receiver.distinct() < EVENTS / 4) await sleep(20);
    workers[0]!.kill();
    const killedAt = receiver.distinct();
    const drained = await setup.untilDelivered(ws.workspaceId, ids, 120_000);
    const perEvent = await setup.deliveryRowsPerEvent(ws.workspaceId, ids);
    claim(
      "killing one worker loses and doubles nothing",
      drained.succeeded === ids.length && receiver.missing(ids).length === 0 && perEvent.max === 1,
      `${drained.succeeded}/${ids.length} deliveries succeeded in ${Math.round(drained.ms / 1000)} s after the kill at ${killedAt} received; ` +
        `receiver got every event_id (${receiver.missing(ids).length} missing); one delivery row per event (max ${perEvent.max}); ` +
        `${receiver.resent()} event_ids arrived twice (the killed worker's request in flight, re-sent after its lease with the same event_id for the platform to deduplicate)`,
    );
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    const { closeDatabase } = await import("@/lib/db");
    await closeDatabase().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
  const failed = results.filter((r) => !r.ok);
  console.log(failed.length ? `${failed.length} claim(s) failed` : "all claims hold");
  process.exit(failed.length ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
