// A local mock of the audience APIs for sync tests: records every request (method, path,
// headers, parsed body) and answers 200 with a platform-like body, or with injected faults.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: any;
}

export interface AudienceMock {
  url: string;
  received: Received[];
  /** Answers for the next requests, in order ({ status, body }); then 200s. */
  faults: { status: number; body?: unknown }[];
  close(): Promise<void>;
}

export async function startAudienceMock(): Promise<AudienceMock> {
  const received: Received[] = [];
  const faults: AudienceMock["faults"] = [];
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      let body: unknown = raw;
      try {
        body = JSON.parse(raw);
      } catch {
        // keep the text
      }
      received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, body });
      const fault = faults.shift();
      if (fault)
        return res
          .writeHead(fault.status, { "content-type": "application/json" })
          .end(JSON.stringify(fault.body ?? { error: "injected" }));
      const elements = (body as { elements?: unknown[] }).elements;
      const answer = elements
        ? { elements: elements.map(() => ({ status: 201 })) }
        : { audience_id: "1", num_received: 1, requestId: "req-1" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    faults,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
