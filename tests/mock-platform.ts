// A local mock destination for engine tests: records what it receives, dedups by event id
// like a real platform, and injects faults on demand (status codes, Retry-After, hangs, drops).
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Fault = { status: number; retryAfter?: string; body?: unknown } | "hang" | "drop";

export interface MockPlatform {
  url: string;
  /** Every request body received, in order. */
  received: { events: { event_id: string }[] }[];
  /** event ids the platform accepted (each counted once, as platform-side dedup would). */
  accepted: Set<string>;
  /** Event ids sent more than once. */
  resent: string[];
  faults: Fault[];
  close(): Promise<void>;
}

export async function startMockPlatform(): Promise<MockPlatform> {
  const state = { received: [] as MockPlatform["received"], accepted: new Set<string>(), resent: [] as string[], faults: [] as Fault[] };
  const sockets = new Set<import("node:net").Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as { events: { event_id: string }[] };
      state.received.push(body);
      const fault = state.faults.shift();
      if (fault === "hang") return; // never answers: the client times out
      if (fault === "drop") return req.socket.destroy();
      if (fault) {
        res.writeHead(fault.status, { "content-type": "application/json", ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}) });
        return res.end(JSON.stringify(fault.body ?? { error: "injected" }));
      }
      for (const e of body.events) {
        if (state.accepted.has(e.event_id)) state.resent.push(e.event_id);
        state.accepted.add(e.event_id);
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ received: body.events.length, trace: "mock-trace" }));
    });
  });
  server.on("connection", (s) => (sockets.add(s), s.on("close", () => sockets.delete(s))));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ...state,
    get faults() {
      return state.faults;
    },
    set faults(v) {
      state.faults = v;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
