// PostgreSQL going away under the worker: terminated connections neither crash the process nor
// lose a delivery, and an outage is logged as one line, not a stack trace per attempt.
import assert from "node:assert/strict";
import { after, before, mock as mocking, test } from "node:test";
import { closeDatabase, database } from "@/lib/db";
import { isDatabaseUnavailable } from "@/lib/db/outage";
import { startWorker } from "@/lib/worker/start-worker";
import { deliveryOf, type EngineFixture, engineOptions, sendPurchases, setUpEngine } from "./engine-harness";

const skip =
  database().mode !== "postgres" ? "PostgreSQL only: the embedded database has no connections to lose" : false;
let engine: EngineFixture;

before(async () => {
  if (!skip) engine = await setUpEngine();
});
after(async () => {
  await engine?.mock.close();
  await closeDatabase();
});

/** The test's own queries meet the terminated connections too: retried until the pool has reconnected. */
async function untilReachable<T>(query: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await query();
    } catch (error) {
      if (attempt >= 20 || !isDatabaseUnavailable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

test("a connection terminated while checked out does not crash the process", { skip }, async () => {
  await database().session(async (raw) => {
    const [own] = await raw.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    await database().raw.query("SELECT pg_terminate_backend($1)", [own!.pid]);
    // The connection's 'error' event arrives while this client is checked out and between queries.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(raw.query("SELECT 1"));
  });
  assert.deepEqual(await database().raw.query("SELECT 1 AS one"), [{ one: 1 }], "the pool connects afresh");
});

test("the worker survives every connection being terminated under load, says so once per outage, and finishes the backlog", {
  skip,
}, async () => {
  const ids = await sendPurchases(engine.key, 40);
  const logged: string[] = [];
  const errors: unknown[] = [];
  const log = mocking.method(console, "error", (...args: unknown[]) => logged.push(args.map(String).join(" ")));
  const worker = startWorker(
    engineOptions(engine.mock.url, {
      batchSize: 3,
      leaseMs: 2_000,
      idleMs: 20,
      onError: (error) => errors.push(error),
    }),
  );
  try {
    for (let i = 0; i < 5; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      await untilReachable(() =>
        database().raw.query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ),
      );
    }
    const deadline = Date.now() + 30_000;
    const done = async () =>
      (await untilReachable(() => Promise.all(ids.map((id) => deliveryOf(engine.ws, id))))).every(
        (d) => d.status === "succeeded",
      );
    while (!(await done()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    await worker.stop();
    log.mock.restore();
  }
  for (const id of ids) assert.equal((await deliveryOf(engine.ws, id)).status, "succeeded", `${id} delivered`);
  assert.deepEqual(errors, [], "no database error reached onError");
  const outageLines = logged.filter((line) => line.includes("database unavailable"));
  assert.ok(outageLines.length <= 5, `at most one line per outage, got ${outageLines.length}`);
  assert.ok(
    logged.every((line) => !/\n\s+at /.test(line)),
    `no stack traces: ${logged.join("\n---\n")}`,
  );
});
