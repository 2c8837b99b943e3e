// A local mock of Heap's add_user_properties endpoint: records each request, keeps the latest
// properties per identity (as Heap would) and injects faults on demand.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface HeapBody {
  app_id: string;
  users: { identity: string; properties: Record<string, string | number> }[];
}

export interface HeapMock {
  url: string;
  requests: { path: string; body: HeapBody }[];
  /** identity → its properties as Heap holds them now. */
  users: Map<string, Record<string, string | number>>;
  /** Statuses answered (in order) instead of 200. */
  faults: number[];
  close(): Promise<void>;
}

export async function startHeapMock(): Promise<HeapMock> {
  const mock = { requests: [], users: new Map(), faults: [] } as unknown as HeapMock;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as HeapBody;
      mock.requests.push({ path: req.url ?? "", body });
      const fault = mock.faults.shift();
      if (fault) return res.writeHead(fault, { "content-type": "text/plain" }).end("Heap is unavailable");
      for (const u of body.users) mock.users.set(u.identity, { ...mock.users.get(u.identity), ...u.properties });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mock.close = () => new Promise((resolve) => server.close(() => resolve()));
  return mock;
}
