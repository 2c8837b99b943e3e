// bench:dashboard — the data: N events loaded with SQL (generate_series, in chunks), not through
// the API, in the demo workspace's registry: 70 % accepted / 10 % rejected on its approved mappings,
// 20 % unmapped over 2,000 labels, 50,000 users (with profiles), deliveries of accepted events to
// three destinations with every outcome, their attempts and exchanges, audit entries, alerts with
// their history; then the real aggregator fills the rollups. Also the empty workspace beside it (one
// event, for the detail views). A database loaded before is reused as it is (reuseWorkspaces).
import { randomUUID } from "node:crypto";
import pg from "pg";
import { ensureDefaultRules } from "@/lib/alerts/defaults";
import type { Actor } from "@/lib/auth/actor";
import { database, db } from "@/lib/db";
import { migrate } from "@/lib/db/migrate";
import type { Role } from "@/lib/generated/prisma/enums";
import { aggregateRollups } from "@/lib/metrics/aggregate";
import { createWriteKey } from "@/lib/registry/sources";
import { seedDemo } from "@/lib/workspace/seed-demo";
import { createToken } from "@/lib/workspace/tokens";

export const BENCH_EMAIL = "bench-admin@tracklayer.local";
export const BENCH_PASSWORD = "bench-dashboard-password-1";
export const UNMAPPED_LABELS = 2000;
export const USERS = 50_000;
const DAYS = 30;
const CHUNK = 250_000;

export interface BenchWorkspace {
  id: string;
  token: string;
  writeKey: string;
}

async function adminOf(workspaceId: string): Promise<Actor> {
  const user = await db().user.findUniqueOrThrow({ where: { email: BENCH_EMAIL } });
  const role: Role = "admin";
  return { userId: user.id, email: BENCH_EMAIL, label: BENCH_EMAIL, workspaceId, role, via: "session" };
}

async function adminToken(workspaceId: string): Promise<string> {
  return (await createToken(await adminOf(workspaceId), { name: "bench:dashboard" })).token;
}

/**
 * A database a previous run loaded and kept: applies migrations added since (their backfills bring
 * new rollups along), then new tokens and a write key for the two workspaces (keys are stored hashed).
 */
export async function reuseWorkspaces(): Promise<{ full: BenchWorkspace; empty: BenchWorkspace }> {
  await migrate(database());
  const made: BenchWorkspace[] = [];
  for (const slug of ["demo", "empty"]) {
    const ws = await db().workspace.findUnique({ where: { slug } });
    if (!ws) throw new Error(`no "${slug}" workspace: not a database bench:dashboard loaded`);
    const source = await db().source.findFirstOrThrow({ where: { workspaceId: ws.id, key: "heap" } });
    const key = await createWriteKey(await adminOf(ws.id), source.id, {
      name: `bench ${Date.now().toString(36)}`,
      allowed_sources: [],
      test: false,
    });
    made.push({ id: ws.id, token: await adminToken(ws.id), writeKey: key.key });
  }
  return { full: made[0]!, empty: made[1]! };
}

/** How many events the full workspace holds (from the labels rollup). */
export async function countEvents(workspaceId: string): Promise<number> {
  const [row] = await database().raw.query<{ n: string | null }>(
    `SELECT sum("count")::text AS "n" FROM "EventLabel" WHERE "workspaceId" = $1`,
    [workspaceId],
  );
  return Number(row?.n ?? 0);
}

/** Migrates, seeds the full and the empty workspace (same registry) and three webhook destinations in each. */
export async function prepareWorkspaces(): Promise<{ full: BenchWorkspace; empty: BenchWorkspace }> {
  await migrate(database());
  const made: BenchWorkspace[] = [];
  for (const slug of ["demo", "empty"]) {
    const seeded = await seedDemo(database().prisma, {
      slug,
      name: slug === "demo" ? "Bench (full)" : "Bench (empty)",
      email: BENCH_EMAIL,
      password: BENCH_PASSWORD,
    });
    const ws = await db().workspace.findUniqueOrThrow({ where: { slug } });
    for (const n of [1, 2, 3])
      await db().destination.create({
        data: {
          workspaceId: ws.id,
          type: "webhook",
          name: `Bench receiver ${n}`,
          config: { url: "http://127.0.0.1:9/" },
        },
      });
    made.push({ id: ws.id, token: await adminToken(ws.id), writeKey: seeded.writeKeys[0]?.key ?? "" });
  }
  return { full: made[0]!, empty: made[1]! };
}

// One statement per chunk: event i of the run gets its label, status, user and time from i alone.
// Labels: mapped ones take turns for accepted / rejected, unmapped ones are 'Unmapped label <k>'.
const EVENTS_SQL = `
WITH m AS (SELECT row_number() OVER (ORDER BY mp."id") - 1 AS k, mp."id", mp."sourceId", mp."sourceEvent", r."id" AS rev, r."canonicalEventId",
             -- order_id is the business id (lib/inspector/business-key.ts) unless lead_id is required or implied
             ('order_id' = ANY(r."requiredProperties") OR NOT ('lead_id' = ANY(r."requiredProperties")
               OR c."name" IN ('qualify_lead', 'generate_lead'))) AS "byOrder"
           FROM "Mapping" mp JOIN "MappingRevision" r ON r."id" = mp."liveRevisionId" JOIN "CanonicalEvent" c ON c."id" = r."canonicalEventId"
           WHERE mp."workspaceId" = $1),
     mc AS (SELECT count(*) AS n FROM m),
     src AS (SELECT "id" FROM "Source" WHERE "workspaceId" = $1 ORDER BY "key" DESC LIMIT 1),
     g AS (SELECT i, (i * 7919) % 100 AS pct, i % ${USERS} AS u,
             now() AT TIME ZONE 'UTC' - make_interval(secs => ($4::bigint - i) * (${DAYS} * 86400.0 / $4::bigint)) AS at
           FROM generate_series($2::bigint, $3::bigint) AS i),
     ev AS (
INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceId","sourceEvent","canonicalEventId","mappingId",
  "mappingRevisionId","userId","anonymousId","resolvedUserId","properties","payloadHash","problems","occurredAt","receivedAt","orderKey")
SELECT 'ev_' || lpad(g.i::text, 9, '0'), $1, 'evt_' || g.i, CASE WHEN g.pct < 70 OR g.pct >= 80 THEN 'evt_' || g.i END,
  (CASE WHEN g.pct < 70 THEN 'accepted' WHEN g.pct < 80 THEN 'rejected' ELSE 'unmapped' END)::"EventStatus", 'track',
  coalesce(m."sourceId", (SELECT "id" FROM src)), coalesce(m."sourceEvent", 'Unmapped label ' || (g.i % ${UNMAPPED_LABELS})),
  m."canonicalEventId", m."id", m.rev, 'cust_' || g.u, 'anon_' || g.u, 'cust_' || g.u,
  jsonb_build_object('order_id', 'ord_' || g.i, 'value', 10 + g.i % 90, 'currency', 'EUR'),
  md5(g.i::text), CASE WHEN g.pct BETWEEN 70 AND 79 THEN '[{"path":"properties.value","message":"is required"}]'::jsonb END,
  g.at, g.at, CASE WHEN m."byOrder" THEN 'ord_' || g.i END
FROM g LEFT JOIN m ON g.pct < 80 AND m.k = g.i % (SELECT n FROM mc)
RETURNING "id", "workspaceId", "sourceEvent", "eventId", "receivedAt")
-- The raw call, in its own table as ingest writes it (lib/ingest/store-events.ts).
INSERT INTO "EventPayload" ("workspaceId","eventRowId","receivedAt","payload")
SELECT "workspaceId", "id", "receivedAt", jsonb_build_object('event', "sourceEvent", 'event_id', "eventId") FROM ev`;

// Accepted events' deliveries to the three destinations: 90 % succeeded, 3 % dead, 2 % retrying,
// 3 % skipped, 2 % pending; each settled one has an attempt, 50 attempts share one exchange.
const DELIVERIES_SQL = `
WITH d AS (SELECT "id", row_number() OVER (ORDER BY "id") - 1 AS k FROM "Destination" WHERE "workspaceId" = $1 AND "name" LIKE 'Bench receiver %'),
     e AS (SELECT e."id", e."receivedAt", substring(e."id" from 4)::bigint AS i FROM "Event" e
           WHERE e."workspaceId" = $1 AND e."status" = 'accepted' AND e."id" >= 'ev_' || lpad($2::text, 9, '0') AND e."id" <= 'ev_' || lpad($3::text, 9, '0'))
INSERT INTO "Delivery" ("id","workspaceId","eventRowId","eventReceivedAt","destinationId","status","attempts","nextAttemptAt","lastError","deliveredAt","createdAt","updatedAt")
SELECT 'dl_' || e.i || '_' || d.k, $1, e."id", e."receivedAt", d."id",
  (CASE WHEN (e.i + d.k) % 100 < 90 THEN 'succeeded' WHEN (e.i + d.k) % 100 < 93 THEN 'dead' WHEN (e.i + d.k) % 100 < 95 THEN 'retrying'
        WHEN (e.i + d.k) % 100 < 98 THEN 'skipped' ELSE 'pending' END)::"DeliveryStatus",
  CASE WHEN (e.i + d.k) % 100 >= 98 THEN 0 ELSE 1 END, e."receivedAt" + interval '5 minutes',
  CASE WHEN (e.i + d.k) % 100 BETWEEN 90 AND 94 THEN 'HTTP 500 from the receiver' END,
  CASE WHEN (e.i + d.k) % 100 < 90 THEN e."receivedAt" + interval '2 seconds' END, e."receivedAt", e."receivedAt" + interval '2 seconds'
FROM e CROSS JOIN d`;

const IN_CHUNK = `dl."workspaceId" = $1 AND dl."status" <> 'pending'
  AND dl."eventRowId" >= 'ev_' || lpad($2::text, 9, '0') AND dl."eventRowId" <= 'ev_' || lpad($3::text, 9, '0')`;
/** The exchange that carried a delivery: one per destination per 50 consecutive events. */
const EXCHANGE_OF = `'hx_' || (split_part(dl."id", '_', 2)::bigint / 50) || '_' || dl."destinationId"`;

const EXCHANGES_SQL = `
WITH x AS (SELECT ${EXCHANGE_OF} AS "id", dl."destinationId" AS "dest", split_part(dl."id", '_', 2)::bigint / 50 AS b, max(dl."updatedAt") AS "at"
           FROM "Delivery" dl WHERE dl."status" <> 'skipped' AND ${IN_CHUNK} GROUP BY 1, 2, 3)
INSERT INTO "HttpExchange" ("id","destinationId","requestUrl","requestHeaders","requestBody","batchSize","responseStatus","responseBody","latencyMs","createdAt")
SELECT x."id", x."dest", 'http://127.0.0.1:9/', '{}'::jsonb, '{"batch":[]}'::json, 50, 200, '{}'::jsonb, 40 + (x.b * 37) % 400, x."at"
FROM x ON CONFLICT ("id", "createdAt") DO NOTHING`;

const ATTEMPTS_SQL = `
INSERT INTO "DeliveryAttempt" ("id","deliveryId","attempt","exchangeId","batchPosition","outcome","reason","nextAttemptAt","createdAt")
SELECT 'at_' || dl."id", dl."id", 1, CASE WHEN dl."status" = 'skipped' THEN NULL ELSE ${EXCHANGE_OF} END,
  0, CASE dl."status" WHEN 'succeeded' THEN 'success' WHEN 'skipped' THEN 'skipped' WHEN 'dead' THEN 'permanent' ELSE 'retry' END,
  coalesce(dl."lastError", ''), CASE WHEN dl."status" = 'retrying' THEN dl."nextAttemptAt" END,
  -- an attempt has its exchange's createdAt (the exchange's key is (id, createdAt))
  CASE WHEN dl."status" = 'skipped' THEN dl."updatedAt"
       ELSE max(dl."updatedAt") FILTER (WHERE dl."status" <> 'skipped') OVER (PARTITION BY ${EXCHANGE_OF}) END
FROM "Delivery" dl WHERE ${IN_CHUNK}`;

const PROFILES_SQL = `INSERT INTO "Profile" ("id","workspaceId","userId","traits")
  SELECT 'pr_' || u, $1, 'cust_' || u, jsonb_build_object('plan', CASE WHEN u % 3 = 0 THEN 'pro' ELSE 'free' END)
  FROM generate_series(0, ${USERS - 1}) AS u`;

const AUDIT_SQL = `INSERT INTO "AuditLog" ("id","workspaceId","actorLabel","action","entityType","entityId","summary","createdAt")
  SELECT 'au_' || i, $1, 'bench', 'mapping.update', 'mapping', 'bench_' || (i % 500), 'bench change ' || i,
    now() AT TIME ZONE 'UTC' - make_interval(secs => i * 60) FROM generate_series(1, 20000) AS i`;

// Alert history: 50 subjects per default rule, one in ten still firing, 20 history entries each.
const ALERTS_SQL = `INSERT INTO "Alert" ("id","workspaceId","ruleId","subjectKey","state","title","message","firedAt","resolvedAt","updatedAt")
  SELECT 'al_' || r."id" || '_' || s, $1, r."id", 'bench_subject_' || s, CASE WHEN s % 10 = 0 THEN 'firing' ELSE 'resolved' END,
    r."name" || ': bench subject ' || s, 'bench alert ' || s, now() AT TIME ZONE 'UTC' - make_interval(hours => s * 7),
    CASE WHEN s % 10 <> 0 THEN now() AT TIME ZONE 'UTC' - make_interval(hours => s * 7 - 2) END, now() AT TIME ZONE 'UTC'
  FROM "AlertRule" r CROSS JOIN generate_series(1, 50) AS s WHERE r."workspaceId" = $1`;

const ALERT_EVENTS_SQL = `INSERT INTO "AlertEvent" ("id","workspaceId","alertId","kind","message","createdAt")
  SELECT 'ae_' || a."id" || '_' || k, $1, a."id", CASE k % 3 WHEN 0 THEN 'fired' WHEN 1 THEN 'reminder' ELSE 'resolved' END,
    'bench history ' || k, a."firedAt" + make_interval(mins => k * 5)
  FROM "Alert" a CROSS JOIN generate_series(1, 20) AS k WHERE a."workspaceId" = $1`;

async function timed(label: string, fn: () => Promise<unknown>) {
  const started = Date.now();
  await fn();
  console.log(`  ${label} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Loads `events` events into the full workspace, and one into the empty one; then the rollups. */
export async function loadEvents(databaseUrl: string, full: BenchWorkspace, empty: BenchWorkspace, events: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (let from = 1; from <= events; from += CHUNK) {
      const to = Math.min(events, from + CHUNK - 1);
      await timed(`events ${from.toLocaleString("en")}–${to.toLocaleString("en")} with deliveries`, async () => {
        await client.query(EVENTS_SQL, [full.id, from, to, events]);
        for (const sql of [DELIVERIES_SQL, EXCHANGES_SQL, ATTEMPTS_SQL]) await client.query(sql, [full.id, from, to]);
      });
    }
    await ensureDefaultRules(full.id);
    await timed("profiles, audit entries and alert history", async () => {
      await client.query(PROFILES_SQL, [full.id]);
      await client.query(AUDIT_SQL, [full.id]);
      await client.query(ALERTS_SQL, [full.id]);
      await client.query(ALERT_EVENTS_SQL, [full.id]);
    });
    // The empty workspace: ids of its own, one accepted event with its deliveries for the detail views.
    const one = `ev_${randomUUID().slice(0, 6)}`;
    await client.query(
      EVENTS_SQL.replace(`'ev_' || lpad(g.i::text, 9, '0')`, `'${one}'`).replace("(i * 7919) % 100", "0"),
      [empty.id, 1, 1, 1],
    );
    await client.query(
      `INSERT INTO "Delivery" ("id","workspaceId","eventRowId","destinationId","status","attempts")
       SELECT 'dl_' || $2, $1, $2, "id", 'succeeded', 1 FROM "Destination" WHERE "workspaceId" = $1 LIMIT 1`,
      [empty.id, one],
    );
    await timed("vacuum analyze", () => client.query(`VACUUM ANALYZE`));
  } finally {
    await client.end();
  }
  await catchUpRollups();
}

/** The worker's aggregator run to the end (nothing to do on a database loaded before), then statistics. */
export async function catchUpRollups() {
  await timed("rollups (the worker's aggregator, to the end)", async () => {
    for (;;) {
      await aggregateRollups({ maxSteps: 100 });
      const [left] = await database().raw.query<{ n: number }>(
        `SELECT count(*)::int AS "n" FROM (VALUES ('events', '"Event_seq_seq"'), ('delivery_attempts', '"DeliveryAttempt_seq_seq"')) AS s(stream, seq)
         LEFT JOIN "RollupCheckpoint" c ON c."stream" = s.stream
         WHERE coalesce(c."position", 0) < coalesce(pg_sequence_last_value(s.seq::regclass), 0)`,
      );
      if (left?.n === 0) break;
    }
    await database().raw.query(
      `ANALYZE "EventRollup", "EventLabel", "EventStatusRollup", "DeliveryRollup", "DeliveryHealthRollup", "DeliveryDayRollup"`,
    );
  });
}
