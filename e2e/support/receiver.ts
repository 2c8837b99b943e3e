// A local webhook receiver for specs (records each body, answers 200 {"ok":true}) and a webhook
// destination pointing at it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { type APIRequestContext, expect } from "@playwright/test";

export interface Receiver {
  url: string;
  bodies: string[];
  close(): void;
}

export async function startReceiver(path = "/in"): Promise<Receiver> {
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      bodies.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    bodies,
    close: () => void server.close(),
  };
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
