// A local webhook receiver for specs (tests/receiver.ts, answering 200 {"ok":true}) and a webhook
// destination pointing at it.
import { type APIRequestContext, expect } from "@playwright/test";
import { receiver } from "../../tests/receiver";

export interface Receiver {
  url: string;
  bodies: string[];
  close(): void;
}

/** A receiver answering 200 {"ok":true}, its URL ending in `path`. */
export async function startReceiver(path = "/in"): Promise<Receiver> {
  const started = await receiver('{"ok":true}');
  return { url: `${started.url}${path}`, bodies: started.bodies, close: () => void started.close() };
}

/** Adds an enabled webhook destination pointing at a receiver (admin API); returns its id. */
export async function addWebhookDestination(
  admin: APIRequestContext,
  name: string,
  url: string,
  testMode: boolean,
): Promise<string> {
  const created = await admin.post("/api/destinations", {
    data: {
      type: "webhook",
      name,
      config: { url },
      secrets: { signing_secret: "e2e-receiver-signing-secret" },
      enabled: true,
      test_mode: testMode,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  return (await created.json()).id as string;
}
