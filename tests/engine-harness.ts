// The delivery engine's test harness: a minimal JSON destination module, a workspace whose
// purchase mapping sends to a local mock platform, and helpers to send events and read deliveries.
import { z } from "zod";
import { db } from "@/lib/db";
import { withDeliveryLog } from "@/lib/delivery/attempt-log";
import type { DestinationModule, Outcome } from "@/lib/delivery/destinations/types";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { type WorkerOptions, workerSettings } from "@/lib/worker/options";
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
