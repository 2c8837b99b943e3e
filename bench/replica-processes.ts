// bench:replicas — the processes around the app replicas: a round-robin proxy in front of them,
// the webhook receiver that counts each event_id, and `npm run worker` processes.
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const closer = (server: http.Server) => () => new Promise<void>((resolve) => server.close(() => resolve()));

/** Forwards each request to the next target in turn, as a load balancer would. */
export async function startProxy(targets: string[]) {
  let next = 0;
  const server = http.createServer((req, res) => {
    const target = new URL(req.url ?? "/", targets[next++ % targets.length]);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return { url: await listen(server), close: closer(server) };
}

/** A webhook endpoint that answers 200 and counts how often each event_id arrived. */
export async function startReceiver() {
  const seen = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      for (const e of (JSON.parse(body) as { events: { event_id: string }[] }).events)
        seen.set(e.event_id, (seen.get(e.event_id) ?? 0) + 1);
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  return {
    url: await listen(server),
    close: closer(server),
    distinct: () => seen.size,
    missing: (ids: string[]) => ids.filter((id) => !seen.has(id)),
    resent: () => [...seen.values()].filter((n) => n > 1).length,
  };
}

/** `npm run worker` with this process's environment (DATABASE_URL, secrets, lease). */
export function startWorkerProcess() {
  const child: ChildProcess = spawn("node_modules/.bin/tsx", ["scripts/worker.ts"], {
    env: process.env,
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  return {
    kill: () => signal("SIGKILL"),
    stop: async () => {
      signal("SIGTERM");
      await new Promise((r) => setTimeout(r, 2_000));
      signal("SIGKILL");
    },
  };
}
