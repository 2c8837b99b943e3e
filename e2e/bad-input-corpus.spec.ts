// The bad-input corpus sent to EVERY route that takes a body (each POST / PUT / PATCH under
// app/api and app/v1): a NUL character, invalid UTF-8, a chunked body over the route's cap with no
// Content-Length, and a gzip bomb. Never a 5xx; each gets its 4xx code. A route file added
// without a row here fails the first test.
import { createHmac } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { expect, request as playwrightRequest, test } from "@playwright/test";
import { createWriteKey } from "./support/ingest";
import { apiAs } from "./support/session";
import { ADMIN, E2E_PORT, storageStateOf } from "./support/users";

const KB = 1024;
const MB = 1024 * KB;

/** How a route reads its body: its cap, and whether a NUL fails the body or only its item. */
interface Route {
  method: "POST" | "PUT" | "PATCH";
  /** The route file (relative to app/), to match the enumeration. */
  file: string;
  path: () => string;
  auth: "session" | "writeKey" | "heap" | "none";
  /** Bytes it accepts; undefined when it reads no body (it must still answer < 500). */
  cap?: number;
  /** A body holding a NUL that reaches the reader (batches: inside one item). */
  nulBody?: string;
  /** Batches answer 200 with the item refused. */
  itemLevel?: boolean;
}

let writeKey = "";
let heapPath = "";
let heapSecret = "";
let cookie = "";

const nul = '{"name":"a\\u0000b","key":"x\\u0000"}';
const ROUTES: Route[] = [
  // Ingest (write key).
  { method: "POST", file: "api/capture/route.ts", path: () => "/api/capture", auth: "writeKey", cap: 32 * KB },
  { method: "POST", file: "api/identify/route.ts", path: () => "/api/identify", auth: "writeKey", cap: 32 * KB },
  {
    method: "POST",
    file: "api/batch/route.ts",
    path: () => "/api/batch",
    auth: "writeKey",
    cap: 500 * KB,
    nulBody: '{"batch":[{"type":"capture","event":"x\\u0000","event_id":"nul1","user_id":"u"}]}',
    itemLevel: true,
  },
  { method: "POST", file: "v1/[type]/route.ts", path: () => "/v1/track", auth: "writeKey", cap: 32 * KB },
  {
    method: "POST",
    file: "v1/[type]/route.ts",
    path: () => "/v1/batch",
    auth: "writeKey",
    cap: 500 * KB,
    nulBody: '{"batch":[{"type":"track","event":"x\\u0000","userId":"u"}]}',
    itemLevel: true,
  },
  { method: "POST", file: "api/health/route.ts", path: () => "/api/health", auth: "writeKey", cap: 32 * KB },
  {
    method: "POST",
    file: "api/audiences/[key]/members/route.ts",
    path: () => "/api/audiences/corpus/members",
    auth: "writeKey",
    cap: 24 * MB,
  },
  {
    method: "PUT",
    file: "api/audiences/[key]/members/route.ts",
    path: () => "/api/audiences/corpus/members",
    auth: "writeKey",
    cap: 24 * MB,
  },
  {
    method: "POST",
    file: "api/integrations/heap/segment-sync/route.ts",
    path: () => heapPath,
    auth: "heap",
    cap: 24 * MB,
  },
  // next-auth's sign-in (no credential yet; 16 KB): its body goes through the same reader.
  {
    method: "POST",
    file: "api/auth/[...nextauth]/route.ts",
    path: () => "/api/auth/callback/credentials",
    auth: "none",
    cap: 16 * KB,
  },
  // Management (session cookie; 256 KB).
  ...(
    [
      ["POST", "api/audiences/route.ts", "/api/audiences"],
      ["PATCH", "api/audiences/[key]/route.ts", "/api/audiences/corpus"],
      ["POST", "api/canonical-events/route.ts", "/api/canonical-events"],
      ["PATCH", "api/canonical-events/[id]/route.ts", "/api/canonical-events/nope"],
      ["POST", "api/computed-traits/route.ts", "/api/computed-traits"],
      ["PATCH", "api/computed-traits/[id]/route.ts", "/api/computed-traits/nope"],
      ["POST", "api/deliveries/replay/route.ts", "/api/deliveries/replay"],
      ["POST", "api/destinations/route.ts", "/api/destinations"],
      ["PATCH", "api/destinations/[id]/route.ts", "/api/destinations/nope"],
      ["POST", "api/destinations/[id]/validate/route.ts", "/api/destinations/nope/validate"],
      ["POST", "api/integrations/heap/route.ts", "/api/integrations/heap"],
      ["POST", "api/mappings/route.ts", "/api/mappings"],
      ["PATCH", "api/mappings/[id]/route.ts", "/api/mappings/nope"],
      ["POST", "api/mappings/[id]/[action]/route.ts", "/api/mappings/nope/reject"],
      ["POST", "api/mappings/[id]/backfill/route.ts", "/api/mappings/nope/backfill"],
      ["POST", "api/mappings/[id]/validations/route.ts", "/api/mappings/nope/validations"],
      ["POST", "api/mappings/bulk/route.ts", "/api/mappings/bulk"],
      ["POST", "api/members/route.ts", "/api/members"],
      ["PATCH", "api/members/[id]/route.ts", "/api/members/nope"],
      ["POST", "api/sources/route.ts", "/api/sources"],
      ["POST", "api/sources/[id]/keys/route.ts", "/api/sources/nope/keys"],
      ["POST", "api/tokens/route.ts", "/api/tokens"],
      ["PATCH", "api/workspace/route.ts", "/api/workspace"],
      ["POST", "api/workspaces/route.ts", "/api/workspaces"],
      ["POST", "api/workspaces/switch/route.ts", "/api/workspaces/switch"],
      ["POST", "api/invitations/route.ts", "/api/invitations"],
      ["POST", "api/invitations/accept/route.ts", "/api/invitations/accept"],
      ["POST", "api/account/password/route.ts", "/api/account/password"],
      ["POST", "api/password-resets/route.ts", "/api/password-resets"],
      ["POST", "api/password-resets/complete/route.ts", "/api/password-resets/complete"],
      ["POST", "api/privacy/deletions/route.ts", "/api/privacy/deletions"],
      ["POST", "api/privacy/suppressions/route.ts", "/api/privacy/suppressions"],
      ["POST", "api/alert-rules/route.ts", "/api/alert-rules"],
      ["PATCH", "api/alert-rules/[id]/route.ts", "/api/alert-rules/nope"],
      ["POST", "api/alert-channels/route.ts", "/api/alert-channels"],
      ["PATCH", "api/alert-channels/[id]/route.ts", "/api/alert-channels/nope"],
      ["POST", "api/alerts/[id]/snooze/route.ts", "/api/alerts/nope/snooze"],
      ["POST", "api/alerts/[id]/mute/route.ts", "/api/alerts/nope/mute"],
    ] as const
  ).map(([method, file, p]): Route => ({ method, file, path: () => p, auth: "session", cap: 256 * KB })),
  // Registry bundles (session cookie; 4 MB).
  ...(
    [
      ["POST", "api/registry/plan/route.ts", "/api/registry/plan"],
      ["POST", "api/registry/apply/route.ts", "/api/registry/apply"],
    ] as const
  ).map(([method, file, p]): Route => ({ method, file, path: () => p, auth: "session", cap: 4 * MB })),
  // Management routes that read no body: whatever is sent, never a 5xx.
  ...(
    [
      ["POST", "api/deliveries/[id]/retry/route.ts", "/api/deliveries/nope/retry"],
      ["POST", "api/destinations/[id]/test/route.ts", "/api/destinations/nope/test"],
      ["POST", "api/alert-channels/[id]/test/route.ts", "/api/alert-channels/nope/test"],
    ] as const
  ).map(([method, file, p]): Route => ({ method, file, path: () => p, auth: "session" })),
];

/** Every route file under app/ exporting POST, PUT or PATCH, with its methods. */
function bodyRoutes(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        const source = readFileSync(full, "utf8");
        for (const method of ["POST", "PUT", "PATCH"])
          if (new RegExp(`export (const|async function) ${method}\\b`).test(source))
            found.push(`${method} ${path.relative("app", full)}`);
      }
    }
  };
  walk("app");
  return found.sort();
}

interface Answer {
  /** 0: the server answered a streamed oversize body by closing the connection (RFC 9110 §15.5.14 allows it). */
  status: number;
  body: string;
}

/**
 * Sends with node:http (Playwright cannot stream): a Buffer goes with Content-Length; an
 * iterable of chunks goes chunked, and sending stops once the server has answered.
 */
function sendRaw(route: Route, body: Buffer | (() => Iterable<Buffer>), headers: Record<string, string> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const auth: Record<string, string> =
      route.auth === "writeKey" ? { authorization: `Bearer ${writeKey}` } : route.auth === "session" ? { cookie } : {};
    const extra =
      route.auth === "heap" && Buffer.isBuffer(body)
        ? {
            "heap-hash": ((ts) =>
              `ts:${ts},hmac:${createHmac("sha256", heapSecret)
                .update(`${ts}${body.toString("latin1")}`)
                .digest("base64")}`)(Date.now()),
          }
        : {};
    let answered = false;
    const request = http.request(
      {
        host: "localhost",
        port: E2E_PORT,
        method: route.method,
        path: route.path(),
        headers: { "content-type": "application/json", ...auth, ...extra, ...headers },
      },
      (response) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on("data", (c: Buffer) => chunks.push(c));
        response.on("end", () => resolve({ status: response.statusCode!, body: Buffer.concat(chunks).toString() }));
      },
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      if (answered) return;
      // A server may stop a body it refuses by closing the connection while the client still sends.
      const closed = !Buffer.isBuffer(body) && (error.code === "EPIPE" || error.code === "ECONNRESET");
      if (closed) resolve({ status: 0, body: "the server closed the connection" });
      else reject(new Error(`${route.method} ${route.path()}: ${error.message}`));
    });
    if (Buffer.isBuffer(body)) return request.end(body);
    const chunks = body()[Symbol.iterator]();
    const pump = () => {
      for (;;) {
        if (answered) return request.destroy();
        const next = chunks.next();
        if (next.done) return request.end();
        if (!request.write(next.value)) return request.once("drain", pump);
      }
    };
    pump();
  });
}

const code = (answer: Answer) => {
  try {
    const parsed = JSON.parse(answer.body);
    return parsed.error?.code ?? parsed.code;
  } catch {
    return undefined;
  }
};

function* spaces(total: number) {
  const chunk = Buffer.alloc(64 * KB, 0x20);
  for (let sent = 0; sent < total; sent += chunk.byteLength) yield chunk;
}

test.beforeAll(async ({ baseURL }) => {
  const admin = await apiAs("admin", baseURL);
  writeKey = await createWriteKey(baseURL, "corpus");
  await admin.post("/api/audiences", { data: { key: "corpus", name: "Corpus", description: "", destinations: [] } });
  const integration = await (await admin.post("/api/integrations/heap", { data: { identity_kind: "user_id" } })).json();
  heapPath = integration.webhook_path;
  heapSecret = integration.secret;
  const state = JSON.parse(readFileSync(storageStateOf("admin"), "utf8")) as {
    cookies: { name: string; value: string }[];
  };
  cookie = state.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
});

test("the corpus covers every route that takes a body", () => {
  const covered = [...new Set(ROUTES.map((r) => `${r.method} ${r.file}`))].sort();
  expect(covered).toEqual(bodyRoutes());
});

test("NUL (U+0000): 400 invalid_character on every route that reads a body, never a 5xx", async () => {
  test.setTimeout(120_000);
  for (const route of ROUTES) {
    const answer = await sendRaw(route, Buffer.from(route.nulBody ?? nul));
    const what = `${route.method} ${route.path()} → ${answer.status} ${answer.body.slice(0, 300)}`;
    expect(answer.status, what).toBeLessThan(500);
    if (!route.cap) continue;
    if (route.itemLevel) {
      expect(answer.body, what).toContain("invalid_character");
      continue;
    }
    expect([answer.status, code(answer)], what).toEqual([400, "invalid_character"]);
  }
});

test("invalid UTF-8: 400 invalid_encoding everywhere, never a 5xx", async () => {
  test.setTimeout(120_000);
  const bad = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
  for (const route of ROUTES) {
    const answer = await sendRaw(route, bad);
    const what = `${route.method} ${route.path()} → ${answer.status} ${answer.body.slice(0, 300)}`;
    expect(answer.status, what).toBeLessThan(500);
    if (route.cap) expect([answer.status, code(answer)], what).toEqual([400, "invalid_encoding"]);
  }
});

test("a chunked body over the cap (no Content-Length): 413 payload_too_large, never a 5xx", async () => {
  test.setTimeout(240_000);
  for (const route of ROUTES) {
    const started = Date.now();
    const answer = await sendRaw(route, () => spaces((route.cap ?? 256 * KB) + MB));
    const what = `${route.method} ${route.path()} → ${answer.status} ${answer.body.slice(0, 300)}`;
    expect(answer.status, what).toBeLessThan(500);
    if (route.cap && answer.status !== 0)
      expect([answer.status, code(answer)], what).toEqual([413, "payload_too_large"]);
    expect(Date.now() - started, what).toBeLessThan(20_000);
  }
});

test("a gzip bomb (100 MB of spaces in ~100 KB), chunked: 413 at the cap, quickly, never a 5xx", async () => {
  test.setTimeout(240_000);
  const bomb = gzipSync(Buffer.alloc(100 * MB, 0x20), { level: 9 });
  for (const route of ROUTES) {
    const started = Date.now();
    const answer = await sendRaw(
      route,
      function* () {
        for (let i = 0; i < bomb.byteLength; i += 16 * KB) yield bomb.subarray(i, i + 16 * KB);
      },
      { "content-encoding": "gzip" },
    );
    const took = Date.now() - started;
    const what = `${route.method} ${route.path()} → ${answer.status} ${answer.body.slice(0, 300)} in ${took} ms`;
    expect(answer.status, what).toBeLessThan(500);
    if (route.cap && answer.status !== 0)
      expect([answer.status, code(answer)], what).toEqual([413, "payload_too_large"]);
    expect(took, what).toBeLessThan(5_000);
  }
});

test("[admin] signs in with a gzip-compressed form; an unreadable sign-in body is a 4xx, never a 500", async ({
  baseURL,
}) => {
  const api = await playwrightRequest.newContext({ baseURL });
  const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const post = (body: Buffer, type: string) =>
    api.post("/api/auth/callback/credentials", {
      data: body,
      headers: { "content-type": type, "content-encoding": "gzip" },
      maxRedirects: 0,
    });
  const garbled = await post(gzipSync("{not json"), "application/json");
  expect([garbled.status(), code({ status: garbled.status(), body: await garbled.text() })]).toEqual([
    400,
    "invalid_json",
  ]);
  const form = new URLSearchParams({ csrfToken, email: ADMIN.email, password: ADMIN.password, json: "true" });
  const signedIn = await post(gzipSync(form.toString()), "application/x-www-form-urlencoded");
  expect(signedIn.status(), await signedIn.text()).toBe(200);
  const session = await (await api.get("/api/auth/session")).json();
  expect(session?.user?.email).toBe(ADMIN.email);
  await api.dispose();
});
