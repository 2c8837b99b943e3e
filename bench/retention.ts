// `npm run bench:retention` — what retention costs and saves on PostgreSQL (a throw-away database on
// the machine's server): 1M events loaded by SQL into one month (with their dedup ledger and payload
// rows, as ingest writes them), disk per million events (Event partition + its indexes + TOAST, its
// EventPayload partition, the ledger) before payload retention and after the job drops the payload
// month (the disk returned), and the time to detach + drop the payload month and then the events'
// month against a DELETE of the same number of rows (a copy in the next month), in the same run; then the
// delivery log: as many attempt rows (one exchange per 50, as a batch request carries them) in one day,
// the time to detach + drop that day against a DELETE of a copy of it in the next day.
import { randomBytes } from "node:crypto";
import pg from "pg";

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback;
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const EVENTS = Number(arg("events", "1000000"));
const CHUNK = 100_000;
const run = Date.now().toString(36);
process.env.TRACKLAYER_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const perMillion = (bytes: number) => mb((bytes * 1_000_000) / EVENTS);

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const name = `tracklayer_bench_retention_${run}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  const { database, closeDatabase } = await import("@/lib/db");
  const { migrate } = await import("@/lib/db/migrate");
  const { seedDemo } = await import("@/lib/workspace/seed-demo");
  const { keepPartitions, monthStart, partitionName } = await import("@/lib/retention/partitions");
  try {
    await migrate(database());
    await seedDemo(database().prisma, { password: "bench-password-1" });
    const raw = database().raw;
    const ws = await database().prisma.workspace.findUniqueOrThrow({ where: { slug: "demo" } });
    const now = new Date();
    const month = monthStart(now);
    const next = monthStart(now, 1);
    const seconds = (next.getTime() - month.getTime()) / 1000;
    const time = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      const result = await work();
      return { result, ms: performance.now() - started };
    };
    const sizeOf = async (table: string) =>
      Number(
        (
          await raw.query<{ bytes: string }>(`SELECT pg_total_relation_size(format('%I', $1::text)) AS bytes`, [table])
        )[0]!.bytes,
      );

    // 1M events spread over this month, shaped like a capture with context (the payload is the call as received).
    const load = await time(async () => {
      for (let from = 1; from <= EVENTS; from += CHUNK) {
        const to = Math.min(EVENTS, from + CHUNK - 1);
        await raw.query(
          `WITH ev AS (
             INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceEvent","userId","anonymousId","resolvedUserId",
               "properties","context","payloadHash","occurredAt","receivedAt")
             SELECT 'br_' || i, $1, 'ord_' || i || '_purchase', 'ord_' || i || '_purchase', 'unmapped', 'capture', 'purchase',
               'cust_' || (i % 50000), 'anon_' || md5(i::text), 'cust_' || (i % 50000),
               p.props, p.ctx, md5('payload' || i), r.at, r.at
             FROM generate_series($2::int, $3::int) AS i
             CROSS JOIN LATERAL (SELECT $4::timestamp + (i % $5::int) * interval '1 second' AS at) r
             CROSS JOIN LATERAL (SELECT jsonb_build_object('order_id', 'ord_' || i, 'value', (i % 500) + 0.95, 'currency', 'EUR') AS props,
               jsonb_build_object('ip', '203.0.113.' || (i % 250), 'userAgent', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1.15',
                 'page', jsonb_build_object('url', 'https://shop.example/checkout/' || i, 'referrer', 'https://shop.example/cart')) AS ctx) p
             RETURNING "id", "workspaceId", "dedupKey", "receivedAt", "userId", "anonymousId", "properties", "context"),
           pay AS (
             INSERT INTO "EventPayload" ("workspaceId","eventRowId","receivedAt","payload")
             SELECT "workspaceId", "id", "receivedAt",
               jsonb_build_object('event', 'purchase', 'event_id', "dedupKey", 'user_id', "userId", 'anonymous_id', "anonymousId",
                 'properties', "properties", 'context', "context", 'source', 'heap', 'timestamp', to_char("receivedAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
             FROM ev)
           INSERT INTO "EventDedup" ("workspaceId","dedupKey","month","eventRowId","eventReceivedAt")
           SELECT "workspaceId", "dedupKey", date_trunc('month', "receivedAt")::date, "id", "receivedAt" FROM ev`,
          [ws.id, from, to, month.toISOString().replace("T", " ").replace("Z", ""), Math.floor(seconds)],
        );
      }
      await raw.exec(`ANALYZE "Event"; ANALYZE "EventDedup"; ANALYZE "EventPayload"`);
    });
    const eventPart = partitionName("Event", month);
    const ledgerPart = partitionName("EventDedup", month);
    const payloadPart = partitionName("EventPayload", month);
    const before = {
      events: await sizeOf(eventPart),
      payloads: await sizeOf(payloadPart),
      ledger: await sizeOf(ledgerPart),
    };

    // The reference: the same rows again in next month, deleted below with DELETE.
    await raw.query(
      `WITH ev AS (
         INSERT INTO "Event" ("id","workspaceId","eventId","dedupKey","status","kind","sourceEvent","userId","anonymousId","resolvedUserId",
           "properties","context","payloadHash","occurredAt","receivedAt")
         SELECT 'bc_' || substr(e."id", 4), e."workspaceId", e."eventId" || '_copy', e."dedupKey" || '_copy', e."status", e."kind", e."sourceEvent",
           e."userId", e."anonymousId", e."resolvedUserId", e."properties", e."context", e."payloadHash", e."occurredAt",
           e."receivedAt" + interval '1 month'
         FROM "${eventPart}" e WHERE e."id" LIKE 'br\\_%'
         RETURNING "id", "workspaceId", "dedupKey", "receivedAt"),
       pay AS (
         INSERT INTO "EventPayload" ("workspaceId","eventRowId","receivedAt","payload")
         SELECT p."workspaceId", 'bc_' || substr(p."eventRowId", 4), p."receivedAt" + interval '1 month', p."payload"
         FROM "${payloadPart}" p WHERE p."eventRowId" LIKE 'br\\_%')
       INSERT INTO "EventDedup" ("workspaceId","dedupKey","month","eventRowId","eventReceivedAt")
       SELECT "workspaceId", "dedupKey", date_trunc('month', "receivedAt")::date, "id", "receivedAt" FROM ev`,
    );

    // Payload retention as the job does it once every workspace's payload retention has passed the
    // month's end: the payload month is detached and dropped, the events' month stays.
    const keepEvents = monthStart(month, -1);
    const keepLogs = new Date(0); // the delivery log's days are not measured here
    const payloadsDropped = await time(() =>
      keepPartitions(raw, now, { events: keepEvents, payloads: next, deliveryLogs: keepLogs }),
    );
    const after = { events: await sizeOf(eventPart), ledger: await sizeOf(ledgerPart) };
    const total = (d: { events: number; ledger: number; payloads?: number }) => d.events + d.ledger + (d.payloads ?? 0);

    const nextPart = partitionName("Event", next);
    const deleted = await time(async () => {
      await raw.query(
        `WITH gone AS (DELETE FROM "Event" WHERE "receivedAt" >= $1::timestamp AND "receivedAt" < $2::timestamp AND "id" LIKE 'bc\\_%'
           RETURNING "workspaceId", "dedupKey", "id", "receivedAt"),
         payloads AS (DELETE FROM "EventPayload" p USING gone WHERE p."eventRowId" = gone."id" AND p."receivedAt" = gone."receivedAt")
         DELETE FROM "EventDedup" d USING gone WHERE d."workspaceId" = gone."workspaceId" AND d."dedupKey" = gone."dedupKey" AND d."eventRowId" = gone."id"`,
        [next.toISOString(), monthStart(next, 1).toISOString()],
      );
    });
    const dropped = await time(() =>
      keepPartitions(raw, now, { events: next, payloads: next, deliveryLogs: keepLogs }),
    );

    console.log(
      `bench:retention — PostgreSQL, ${EVENTS.toLocaleString("en")} events in one month (${nextPart} holds the DELETE reference)`,
    );
    console.log(`  load (SQL, with ledger and payload rows) ${(load.ms / 1000).toFixed(1)} s`);
    console.log(
      `  disk per 1M events, before payload retention  ${perMillion(total(before))} = ${perMillion(before.events)} Event partition (table, TOAST, indexes) + ${perMillion(before.payloads)} EventPayload + ${perMillion(before.ledger)} ledger`,
    );
    console.log(
      `  disk per 1M events, payload month dropped     ${perMillion(total(after))} = ${perMillion(after.events)} Event + ${perMillion(after.ledger)} ledger (${perMillion(total(before) - total(after))} returned to the OS)`,
    );
    console.log(
      `  detach + drop the payload month            ${(payloadsDropped.ms / 1000).toFixed(3)} s   dropped ${payloadsDropped.result.dropped.join(", ")}`,
    );
    console.log(
      `  DELETE of 1M rows + ledger + payloads      ${(deleted.ms / 1000).toFixed(2)} s   (reference, ${nextPart})`,
    );
    console.log(
      `  detach + drop the events' month            ${(dropped.ms / 1000).toFixed(3)} s   dropped ${dropped.result.dropped.join(", ")}`,
    );
    console.log(`  ratio DELETE / drop                        ${(deleted.ms / dropped.ms).toFixed(0)} ×`);
    const log = await deliveryLogDay(raw, ws.id, now, time);
    console.log(
      `  delivery log: ${EVENTS.toLocaleString("en")} attempts + ${(EVENTS / 50).toLocaleString("en")} exchanges in one day, loaded in ${(log.load / 1000).toFixed(1)} s`,
    );
    console.log(`  DELETE of a day of the log                 ${(log.deleted / 1000).toFixed(2)} s   (reference)`);
    console.log(
      `  detach + drop a day of the log             ${(log.dropped.ms / 1000).toFixed(3)} s   dropped ${log.dropped.result.dropped.join(", ")}`,
    );
    console.log(`  ratio DELETE / drop                        ${(log.deleted / log.dropped.ms).toFixed(1)} ×`);
    console.log("  (the machine may be shared: compare the ratio, not the absolute times)");
  } finally {
    await closeDatabase();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

type Raw = Awaited<ReturnType<typeof import("@/lib/db")["database"]>>["raw"];
type Timer = <T>(work: () => Promise<T>) => Promise<{ result: T; ms: number }>;

/** Two days of the log 40 and 39 days back (their own partitions, made here): the first dropped, the second deleted. */
async function deliveryLogDay(raw: Raw, workspaceId: string, now: Date, time: Timer) {
  const { dayStart, keepPartitions, partitionName } = await import("@/lib/retention/partitions");
  const [destination] = await raw.query<{ id: string }>(
    `SELECT "id" FROM "Destination" WHERE "workspaceId" = $1 LIMIT 1`,
    [workspaceId],
  );
  const days = [dayStart(now, -40), dayStart(now, -39)];
  const sql = (d: Date) => d.toISOString().replace("T", " ").replace("Z", "");
  const load = await time(async () => {
    for (const [k, day] of days.entries()) {
      for (const table of ["HttpExchange", "DeliveryAttempt"])
        await raw.exec(
          `CREATE TABLE IF NOT EXISTS "${partitionName(table, day, "day")}" PARTITION OF "${table}" FOR VALUES FROM ('${sql(day)}') TO ('${sql(dayStart(day, 1))}')`,
        );
      for (let from = 0; from < EVENTS; from += CHUNK) {
        const to = Math.min(EVENTS, from + CHUNK) - 1;
        // A request body of 50 events (~9 KB) and the platform's answer, as the engine logs a batch.
        await raw.query(
          `WITH x AS (
             INSERT INTO "HttpExchange" ("id","destinationId","requestUrl","requestHeaders","requestBody","batchSize","responseStatus","responseBody","latencyMs","createdAt")
             SELECT 'bx_' || $5::int || '_' || b, $1, 'https://graph.facebook.com/v21.0/123/events', '{"content-type":"application/json"}'::jsonb,
               json_build_object('data', (SELECT json_agg(json_build_object('event_name', 'Purchase', 'event_id', 'ord_' || (b * 50 + j), 'event_time', 1764700000 + j,
                 'user_data', json_build_object('em', md5('e' || j), 'ph', md5('p' || j)), 'custom_data', json_build_object('value', j + 0.95, 'currency', 'EUR')))
                 FROM generate_series(0, 49) AS j)),
               50, 200, '{"events_received":50,"fbtrace_id":"AbCdEf"}'::jsonb, 80 + b % 300, $2::timestamp + (b % 86400) * interval '1 second'
             FROM generate_series($3::int / 50, $4::int / 50) AS b
             RETURNING "id", "createdAt")
           INSERT INTO "DeliveryAttempt" ("id","deliveryId","attempt","exchangeId","batchPosition","outcome","reason","createdAt")
           SELECT 'ba_' || $5::int || '_' || i, 'bd_' || i, 1, 'bx_' || $5::int || '_' || (i / 50), i % 50, 'success', 'accepted',
             $2::timestamp + ((i / 50) % 86400) * interval '1 second'
           FROM generate_series($3::int, $4::int) AS i`,
          [destination!.id, sql(day), from, to, k],
        );
      }
    }
    await raw.exec(`ANALYZE "HttpExchange"; ANALYZE "DeliveryAttempt"`);
  });
  const deleteDay = days[1]!;
  const deleted = await time(() =>
    raw.exec(
      `DELETE FROM "DeliveryAttempt" WHERE "createdAt" >= '${sql(deleteDay)}' AND "createdAt" < '${sql(dayStart(deleteDay, 1))}';
       DELETE FROM "HttpExchange" WHERE "createdAt" >= '${sql(deleteDay)}' AND "createdAt" < '${sql(dayStart(deleteDay, 1))}';`,
    ),
  );
  // Only the first day has ended before the cutoff; events and payloads are left alone.
  const dropped = await time(() =>
    keepPartitions(raw, now, { events: new Date(0), payloads: new Date(0), deliveryLogs: deleteDay }),
  );
  return { load: load.ms, deleted: deleted.ms, dropped };
}

await main();
