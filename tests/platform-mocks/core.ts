// The core every platform mock shares: an HTTP server that records requests, injects faults on
// demand (status codes with Retry-After, hangs, dropped connections) and counts accepted events by
// the platform's own dedup key. Each platform file only validates bodies and shapes answers.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

// The mocks listen on 127.0.0.1: tests sending to them let the guarded fetch reach private networks.
process.env.TRACKLAYER_ALLOW_PRIVATE_NETWORK ||= "true";

export type Fault = { status: number; retryAfter?: string; body?: unknown } | "hang" | "drop";

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** Parsed JSON body, or undefined when it was not JSON. */
  json: unknown;
  /** Event ids the platform refuses as invalid (set by a test: a rule the sender cannot check, e.g. an undecodable gclid). */
  invalid: ReadonlySet<string>;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Dedup keys of the events this request made the platform accept. */
  accepted?: string[];
  /** Why the platform refused (all or part of) the request; empty when it took everything. */
  problems?: string[];
}

export interface PlatformMock {
  name: string;
  url: string;
  received: Received[];
  /** Accepted events: dedup key → how many times it was accepted. */
  accepted: Map<string, number>;
  /** Dedup keys accepted more than once (a correct sender never causes one). */
  duplicates(): string[];
  /** Every problem the platform reported, with the request path. */
  problems: { path: string; status: number; problem: string }[];
  /** Faults applied to the next requests, one each, in order. */
  faults: Fault[];
  /** Event ids (the platform's own id of the event: event_id, transactionId, eventId, uuid) refused per item as invalid. */
  invalid: Set<string>;
  /** Forget what was received, accepted and marked invalid (faults stay). */
  reset(): void;
  close(): Promise<void>;
}

export type Handler = (request: Received) => Reply;

function parse(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

export async function startPlatformMock(name: string, handle: Handler): Promise<PlatformMock> {
  const sockets = new Set<Socket>();
  const mock = {
    name,
    url: "",
    received: [] as Received[],
    accepted: new Map<string, number>(),
    problems: [] as PlatformMock["problems"],
    faults: [] as Fault[],
    invalid: new Set<string>(),
    duplicates: () => [...mock.accepted].filter(([, n]) => n > 1).map(([k]) => k),
    reset: () => {
      mock.received.length = 0;
      mock.accepted.clear();
      mock.problems.length = 0;
      mock.invalid.clear();
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://mock");
      const text = Buffer.concat(chunks).toString("utf8");
      const request: Received = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        text,
        json: parse(text),
        invalid: mock.invalid,
      };
      mock.received.push(request);
      const fault = mock.faults.shift();
      if (fault === "hang") return; // never answers: the client times out
      if (fault === "drop") return req.socket.destroy();
      if (fault) {
        res.writeHead(fault.status, {
          "content-type": "application/json",
          ...(fault.retryAfter ? { "retry-after": fault.retryAfter } : {}),
        });
        return res.end(JSON.stringify(fault.body ?? { error: { message: "injected fault" } }));
      }
      const reply = handle(request);
      for (const key of reply.accepted ?? []) mock.accepted.set(key, (mock.accepted.get(key) ?? 0) + 1);
      for (const problem of reply.problems ?? [])
        mock.problems.push({ path: request.path, status: reply.status, problem });
      const hasBody = reply.body !== undefined && reply.status !== 204;
      res.writeHead(reply.status, { ...(hasBody ? { "content-type": "application/json" } : {}), ...reply.headers });
      res.end(hasBody ? JSON.stringify(reply.body) : undefined);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...mock,
    get faults() {
      return mock.faults;
    },
    set faults(v: Fault[]) {
      mock.faults = v;
    },
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// Validation helpers the platform files share --------------------------------------------------

export const SHA256_HEX = /^[0-9a-f]{64}$/;
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
export const bearer = (r: Received) => /^Bearer \S+/.test(String(r.headers.authorization ?? ""));
/** Values given as a string or an array of strings, as several platforms allow. */
export const values = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
