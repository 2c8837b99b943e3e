// A local HTTP receiver for tests and specs: records every request's body, and the whole request as
// text (path, headers, body) so a test can check where a credential went, wherever a platform
// carries it. Answers 200 with `answer`.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Receiver {
  url: string;
  /** Every request received, as text: path, headers, body. */
  requests: string[];
  /** Every request's body. */
  bodies: string[];
  close: () => Promise<void>;
}

export async function receiver(answer = '{"events_received":1}'): Promise<Receiver> {
  const requests: string[] = [];
  const bodies: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      requests.push(`${req.url} ${JSON.stringify(req.headers)} ${body}`);
      bodies.push(body);
      res.writeHead(200, { "content-type": "application/json" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
