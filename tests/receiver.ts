// A local HTTP receiver that records every request as text (path, headers, body): tests check
// where a credential went, wherever a platform carries it (header, query or body).
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Receiver {
  url: string;
  /** Every request received, as text: wherever a platform carries its credential (header, query, body). */
  requests: string[];
  close: () => Promise<void>;
}

export async function receiver(): Promise<Receiver> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let text = `${req.url} ${JSON.stringify(req.headers)} `;
    req.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on("end", () => {
      requests.push(text);
      res.writeHead(200, { "content-type": "application/json" }).end('{"events_received":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
