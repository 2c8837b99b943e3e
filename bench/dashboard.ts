// `npm run bench:dashboard` — every dashboard page (HTML) and list / detail API timed on a
// throw-away PostgreSQL database holding N events (default 10,000,000; see dashboard-data.ts),
// beside the same views of an empty workspace in the same run. Flags a view whose p95 is over
// 300 ms or over 3 × its empty-workspace p95; exits non-zero when any is flagged.
// Usage: npm run bench:dashboard [-- --events=200000] [--requests=20] [--port=3290]
//   --keep leaves the loaded database in place (its name is printed); --database=<name> times that database
//   again without loading (migrating it first, as an upgrade would), so one 10M load serves several runs.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { startServer } from "./server";

const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const EVENTS = Number(arg("events", "10000000"));
const REQUESTS = Math.max(20, Number(arg("requests", "20")));
const PORT = Number(arg("port", "3290"));
const LIMIT_MS = 300;
const LIMIT_RATIO = 3;
const KEEP = process.argv.includes("--keep");
const REUSE = arg("database", "");

process.env.NEXTAUTH_SECRET ??= randomBytes(32).toString("base64url");
process.env.TRACKLAYER_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
// The app only serves: the rollups are filled before it starts, and no worker competes for the machine.
process.env.TRACKLAYER_WORKER = "off";

interface Client {
  /** Bearer token for the API, cookies (session + workspace) for pages. */
  token: string;
  cookie: string;
}

/** next-auth's credentials flow by hand: csrf cookie + token, then the session cookie. */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = new Map<string, string>();
  const keep = (r: Response) => {
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, v] = pair!.split("=");
      jar.set(k!, v ?? "");
    }
  };
  keep(csrf);
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  keep(res);
  if (![...jar.keys()].some((k) => k.includes("session-token"))) throw new Error(`sign-in failed: ${res.status}`);
  return cookie();
}

async function get(base: string, client: Client, path: string): Promise<Response> {
  const api = path.startsWith("/api/");
  return fetch(`${base}${path}`, {
    headers: api ? { authorization: `Bearer ${client.token}` } : { cookie: client.cookie },
    redirect: "manual",
  });
}

async function getJson<T>(base: string, client: Client, path: string): Promise<T> {
  const res = await get(base, client, path);
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The views, with ids looked up in each workspace (its newest event, delivery, mapping). */
async function viewsOf(base: string, client: Client): Promise<string[]> {
  const events = await getJson<{ rows: { id: string }[]; next_cursor: string | null }>(
    base,
    client,
    "/api/events?status=accepted&per_page=25",
  );
  const event = events.rows[0]?.id ?? "none";
  const deliveries = await getJson<{ rows: { id: string }[] }>(base, client, "/api/deliveries?per_page=1");
  const delivery = deliveries.rows[0]?.id ?? "none";
  const mappings = await getJson<{ rows: { id: string }[] }>(base, client, "/api/mappings?per_page=1");
  const mapping = mappings.rows[0]?.id ?? "none";
  const cursor = events.next_cursor ? `&cursor=${events.next_cursor}` : "";
  return [
    "/",
    "/?period=30d",
    "/events",
    "/events?status=unmapped",
    "/events?status=rejected",
    "/events?q=cust_123",
    "/events?q=label%2012",
    `/events?status=accepted${cursor}`,
    `/events/${event}`,
    "/inspector",
    "/unmapped",
    "/unmapped?q=label%2019",
    "/violations",
    "/deliveries",
    "/deliveries?status=dead",
    `/deliveries/${delivery}`,
    "/mappings",
    `/mappings/${mapping}`,
    "/destinations",
    "/canonical-events",
    "/sources",
    "/profiles?user_id=cust_123",
    "/audit",
    "/api/events",
    "/api/events?status=unmapped",
    "/api/events?q=cust_123",
    "/api/events?q=evt_4242",
    "/api/events?q=label%2012",
    `/api/events?status=accepted${cursor}`,
    `/api/events/${event}`,
    `/api/events/${event}/trace`,
    "/api/deliveries",
    "/api/deliveries?status=dead",
    `/api/deliveries/${delivery}`,
    "/api/mappings",
    `/api/mappings/${mapping}`,
    "/api/destinations",
    "/api/audit-log",
    "/api/profiles?user_id=cust_123",
    "/api/onboarding",
  ];
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

/** Two warm-up requests, then REQUESTS timed one after the other. */
async function time(base: string, client: Client, path: string) {
  const ms: number[] = [];
  let status = 0;
  for (let i = 0; i < REQUESTS + 2; i++) {
    const started = performance.now();
    const res = await get(base, client, path);
    await res.arrayBuffer();
    status = res.status;
    if (i >= 2) ms.push(performance.now() - started);
  }
  ms.sort((a, b) => a - b);
  return { p50: pct(ms, 50), p95: pct(ms, 95), status };
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = REUSE || `tracklayer_bench_dashboard_${Date.now().toString(36)}`;
  if (!REUSE) await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  let stop: (() => Promise<void>) | undefined;
  try {
    const data = await import("./dashboard-data");
    const { full, empty } = REUSE ? await data.reuseWorkspaces() : await data.prepareWorkspaces();
    // Built and started first (a build can take many minutes on a busy machine); it sits idle while the data loads.
    console.log(`starting the app on port ${PORT} (building it if sources changed)`);
    const server = await startServer(PORT, process.env.DATABASE_URL, full.writeKey, 30 * 60_000);
    stop = server.stop;
    if (REUSE) {
      await data.catchUpRollups();
    } else {
      console.log(`loading ${EVENTS.toLocaleString("en")} events into ${name}`);
      const started = Date.now();
      await data.loadEvents(process.env.DATABASE_URL, full, empty, EVENTS);
      console.log(`  loaded in ${((Date.now() - started) / 60_000).toFixed(1)} min`);
    }
    const { closeDatabase } = await import("@/lib/db");
    await closeDatabase();
    const session = await signIn(server.url, data.BENCH_EMAIL, data.BENCH_PASSWORD);
    const clients = {
      full: { token: full.token, cookie: `${session}; tl_workspace=${full.id}` },
      empty: { token: empty.token, cookie: `${session}; tl_workspace=${empty.id}` },
    };
    const [fullViews, emptyViews] = [await viewsOf(server.url, clients.full), await viewsOf(server.url, clients.empty)];

    console.log(
      `\n${REQUESTS} requests per view, one at a time; ms (p50 / p95), ${EVENTS.toLocaleString("en")} events vs empty`,
    );
    console.log(
      `${"view".padEnd(52)} ${"full p50".padStart(9)} ${"p95".padStart(7)} ${"empty p50".padStart(10)} ${"p95".padStart(7)} ${"ratio".padStart(6)}`,
    );
    const flagged: string[] = [];
    for (const [i, view] of fullViews.entries()) {
      const f = await time(server.url, clients.full, view);
      const e = await time(server.url, clients.empty, emptyViews[i]!);
      const ratio = f.p95 / Math.max(e.p95, 1);
      const bad = f.p95 > LIMIT_MS || ratio > LIMIT_RATIO || f.status >= 400;
      const label = view.replace(/cursor=[^&]+/, "cursor=…").replace(/\/(ev|dl)_[\w-]+|\/c[a-z0-9]{20,}/g, "/<id>");
      if (bad) flagged.push(label);
      console.log(
        `${label.slice(0, 52).padEnd(52)} ${f.p50.toFixed(0).padStart(9)} ${f.p95.toFixed(0).padStart(7)} ${e.p50.toFixed(0).padStart(10)} ${e.p95
          .toFixed(0)
          .padStart(
            7,
          )} ${ratio.toFixed(1).padStart(6)}${f.status >= 400 ? `  HTTP ${f.status}` : ""}${bad ? "  !" : ""}`,
      );
    }
    console.log(
      flagged.length
        ? `\n${flagged.length} view(s) over ${LIMIT_MS} ms p95 or ${LIMIT_RATIO} × empty (marked !): ${flagged.join(", ")}`
        : `\nevery view within ${LIMIT_MS} ms p95 and ${LIMIT_RATIO} × its empty-workspace time`,
    );
    process.exitCode = flagged.length ? 1 : 0;
  } finally {
    await stop?.();
    if (KEEP || REUSE) console.log(`\nkept database ${name}: time it again with --database=${name}`);
    else await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
