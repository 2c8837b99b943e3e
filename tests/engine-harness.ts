// The delivery engine's test harness: a minimal JSON destination module, a workspace whose
// purchase mapping sends to a local mock platform, and helpers to send events and read deliveries.
import { after, before, beforeEach } from "node:test";
import { z } from "zod";
import { closeDatabase, db } from "@/lib/db";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import type { DestinationModule, Outcome } from "@/lib/delivery/destinations/types";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { type WorkerOptions, workerSettings } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, ofEvents, writeKeyFor } from "./ingest-helpers";
import { type MockPlatform, startMockPlatform } from "./mock-platform";

/** A minimal JSON destination: enough to exercise the engine (real platforms have their own tests). */
export const testModule: DestinationModule = {
  type: "webhook",
  label: "test",
  configSchema: z.object({}).passthrough(),
  secretsSchema: z.record(z.string(), z.string()),
  maxBatch: 3,
  buildRequest(events, settings) {
    const body = JSON.stringify({ events: events.map((e) => ({ event_id: e.eventId, event: e.canonicalEvent })) });
    return {
      method: "POST",
      url: `${settings.baseUrl}/collect`,
      headers: { "content-type": "application/json" },
      body,
      log: { url: `${settings.baseUrl}/collect`, headers: {}, body: JSON.parse(body) },
    };
  },
  classify(answer): Outcome {
    if ("networkError" in answer) return { outcome: "retry", reason: answer.networkError };
    if (answer.status < 300) return { outcome: "success", ack: answer.body as Record<string, unknown> };
    if (answer.status === 429 || answer.status >= 500) {
      const retryAfter = Number(answer.headers["retry-after"]);
      return {
        outcome: "retry",
        reason: `HTTP ${answer.status}`,
        ...(retryAfter ? { retryAfterMs: retryAfter * 1000 } : {}),
      };
    }
    return { outcome: "permanent", reason: `HTTP ${answer.status}` };
  },
};

export interface EngineFixture {
  ws: TestWorkspace;
  key: string;
  mock: MockPlatform;
  destinationId: string;
  mappingId: string;
}

/** A workspace whose purchase mapping sends to one enabled destination answered by a mock platform. */
export async function setUpEngine(): Promise<EngineFixture> {
  const ws = await createTestWorkspace();
  const key = await writeKeyFor(ws);
  const mock = await startMockPlatform();
  const destination = await db().destination.create({
    data: { workspaceId: ws.workspace.id, type: "webhook", name: "Mock", enabled: true, config: {} },
  });
  const purchase = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, purchase.id, { destinations: { [destination.id]: true } });
  return { ws, key, mock, destinationId: destination.id, mappingId: purchase.id };
}

/** Worker options that send every destination to the mock with the test module and a short policy. */
export const engineOptions = (mockUrl: string, over: Partial<WorkerOptions> = {}): WorkerOptions => ({
  ...workerSettings(),
  modules: { webhook: testModule } as WorkerOptions["modules"],
  baseUrlFor: () => mockUrl,
  policy: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 10_000, maxAgeMs: 86_400_000 },
  timeoutMs: 300,
  ...over,
});

/** An engine test file's fixture and clock (the engine's `now`: tests move it instead of sleeping). */
export interface EngineSuite extends EngineFixture {
  clock: number;
  /** Worker options on the suite's clock. */
  options(over?: Partial<WorkerOptions>): WorkerOptions;
  /** Runs the worker until nothing is due now, moving the clock past each retry. */
  drain(opts?: WorkerOptions, rounds?: number): Promise<void>;
  /** Captures `count` purchases (due on the clock once captured); their event_ids. */
  send(count: number): Promise<string[]>;
  /** The delivery of an event (by event_id) with its log. */
  statusOf(eventId: string): ReturnType<typeof deliveryOf>;
}

/**
 * Registers the file's hooks: the fixture is set up before its tests, each test starts with no
 * faults and nothing due (earlier tests' leftovers must not leak into its counts or batches), and the mock
 * and the database close after. Read the fixture's fields inside tests (they are set by `before`).
 */
export function engineSuite(): EngineSuite {
  const suite = { clock: Date.now() } as EngineSuite;
  suite.options = (over = {}) => engineOptions(suite.mock.url, { now: () => new Date(suite.clock), ...over });
  suite.drain = async (opts = suite.options(), rounds = 10) => {
    for (let i = 0; i < rounds; i++) {
      await runOnce("test-worker", opts);
      suite.clock += 60_000;
    }
  };
  suite.send = async (count) => {
    const ids = await sendPurchases(suite.key, count);
    suite.clock = Math.max(suite.clock, Date.now()); // the rows are due from their capture
    return ids;
  };
  suite.statusOf = (eventId) => deliveryOf(suite.ws, eventId);
  before(async () => {
    Object.assign(suite, await setUpEngine());
  });
  beforeEach(async () => {
    suite.mock.faults = [];
    // Every workspace's, not only this one's: a worker claims from the whole queue, and on PostgreSQL
    // the database outlives each test file (another file's last test may leave a backfilled row due).
    await db().delivery.updateMany({ where: { status: { in: ["pending", "retrying"] } }, data: { status: "dead" } });
  });
  after(async () => {
    await suite.mock.close();
    await closeDatabase();
  });
  return suite;
}

let sent = 0;

/** Captures `count` purchases through the ingest path; returns their event_ids. */
export async function sendPurchases(key: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `engine_${++sent}_${Math.random().toString(36).slice(2, 6)}`);
  for (const id of ids)
    await capture(key, {
      event: "purchase",
      event_id: id,
      user_id: "u",
      properties: { order_id: id, value: 1, currency: "EUR" },
      source: "heap",
    });
  return ids;
}

/** The delivery of an event (by event_id) with its log and exchange rows. */
export const deliveryOf = async (ws: TestWorkspace, eventId: string) => {
  const row = await db().delivery.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, ...(await ofEvents(eventId, ws.workspace.id)) },
  });
  return (await withDeliveryLog([row]))[0]!;
};
