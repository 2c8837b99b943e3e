// A local webhook receiver for specs: records each body and answers 200 {"ok":true}.
import http from "node:http";
import type { AddressInfo } from "node:net";

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
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`, bodies, close: () => void server.close() };
}
