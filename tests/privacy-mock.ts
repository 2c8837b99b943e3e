// A local mock of the erasure APIs: HubSpot's GDPR delete (bearer token) and Heap's user deletion
// (auth_token by Basic app_id:api_key, then user_deletion with the bearer token). Records every
// request and answers like the platforms, or with injected faults.
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ErasureRequest {
  method: string;
  path: string;
  authorization: string;
  body: any;
}

export interface ErasureMock {
  url: string;
  received: ErasureRequest[];
  /** Statuses answered (in order) instead of the normal answer. */
  faults: number[];
  close(): Promise<void>;
}

const HEAP_APP = "123";
const HEAP_KEY = "heap-api-key";

export async function startErasureMock(): Promise<ErasureMock> {
  const mock = { received: [], faults: [] } as unknown as ErasureMock;
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      const authorization = req.headers.authorization ?? "";
      const body = raw ? JSON.parse(raw) : null;
      mock.received.push({ method: req.method ?? "", path: req.url ?? "", authorization, body });
      const reply = (status: number, json?: unknown) =>
        res
          .writeHead(status, { "content-type": "application/json" })
          .end(json === undefined ? "" : JSON.stringify(json));
      const fault = mock.faults.shift();
      if (fault) return reply(fault, { status: "error", message: `injected ${fault}` });
      if (req.url === "/crm/v3/objects/contacts/gdpr-delete") {
        if (!authorization.startsWith("Bearer ")) return reply(401, { message: "missing token" });
        if (body?.idProperty !== "email" || !String(body?.objectId).includes("@"))
          return reply(400, { message: "bad input" });
        return reply(204);
      }
      if (req.url === "/api/public/v0/auth_token") {
        const expected = `Basic ${Buffer.from(`${HEAP_APP}:${HEAP_KEY}`).toString("base64")}`;
        return authorization === expected
          ? reply(200, { access_token: "heap-session" })
          : reply(401, { error: "bad key" });
      }
      if (req.url === "/api/public/v0/user_deletion") {
        if (authorization !== "Bearer heap-session") return reply(401, { error: "bad token" });
        if (!Array.isArray(body?.users) || body.users.some((u: { identity?: string }) => !u.identity))
          return reply(400, { error: "users[].identity is required" });
        return reply(200, { deletion_request_id: "heap-del-1" });
      }
      return reply(404, { message: "unknown path" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  mock.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  mock.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return mock;
}

export const HEAP_CREDENTIALS = { app_id: HEAP_APP, api_key: HEAP_KEY };
