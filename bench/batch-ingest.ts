// The batched ingest load the benchmarks share: 100-event `/api/batch` bodies of purchases with
// unique ids, and one measurement of it on a throw-away PostgreSQL database (bench:delivery
// compares its drain rate with it, measured back to back in the same run).
import { createHash } from "node:crypto";
import pg from "pg";
import { type LoadResult, runLoad } from "./load";
import { startServer } from "./server";

/**
 * One of 10,000 customers, picked by the event_id: each has a few of a run's events, as a shop's
 * customers do. (A customer's computed traits are recounted over their events as new ones arrive, so
 * a handful of customers owning every event of a run would time that recount growing through the
 * run, not ingest.)
 */
const customerOf = (id: string) => `cust_${createHash("sha1").update(id).digest().readUInt32BE(0) % 10_000}`;

export const purchase = (id: string) => ({
  event: "Order Completed",
  event_id: id,
  user_id: customerOf(id),
  anonymous_id: `anon_${id}`,
  properties: { order_id: id, value: 129.95, currency: "EUR" },
  source: "heap",
});

/** Request i's 100 purchases, ids unique per prefix, run and i. */
export const batchOf = (prefix: string, run: string, i: number) =>
  Array.from({ length: 100 }, (_, j) => purchase(`${prefix}_${run}_${i}_${j}`));

/** A throw-away database on the machine's server for the length of `fn`. */
export async function withDatabase<T>(adminUrl: string, name: string, fn: (url: string) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/**
 * `/api/batch` x100 events/s as bench:ingest measures it: the built server started as `npm start`
 * does on its own throw-away database, warmed up for 3 s, then driven for `seconds`.
 */
export async function measureBatchIngest(
  adminUrl: string,
  run: string,
  port: number,
  seconds: number,
): Promise<LoadResult> {
  return withDatabase(adminUrl, `tracklayer_bench_ingest_${run}`, async (databaseUrl) => {
    // A first build after a change may take many minutes on a busy machine.
    const server = await startServer(port, databaseUrl, undefined, 900_000);
    const load = (label: string, prefix: string, s: number) =>
      runLoad({
        label,
        url: `${server.url}/api/batch`,
        headers: { authorization: `Bearer ${server.writeKey}` },
        seconds: s,
        eventsPerRequest: 100,
        body: (i) => ({ batch: batchOf(prefix, run, i).map((e) => ({ type: "capture", ...e })) }),
      });
    try {
      await load("warm-up", "wb", 3);
      return await load("/api/batch x100", "ab", seconds);
    } finally {
      await server.stop();
    }
  });
}
