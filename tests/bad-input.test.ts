// Input that can never be stored is the client's to fix: 4xx with field paths on every ingest
// route, never a retryable 503 — and the server log names ids and codes, never the payload.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { POST as batchRoute } from "@/app/api/batch/route";
import { POST as captureRoute } from "@/app/api/capture/route";
import { POST as identifyRoute } from "@/app/api/identify/route";
import { POST as segmentRoute } from "@/app/v1/[type]/route";
import { createAudience } from "@/lib/audiences/manage-audiences";
import { closeDatabase } from "@/lib/db";
import { toErrorBody } from "@/lib/errors";
import { ingestError, segmentError } from "@/lib/ingest/http";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { chunked, gzipBomb, type RouteHandler, send, streamOf } from "./http-helpers";
import { writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let key: string;
let n = 0;
const uid = (p: string) => `${p}_${++n}_${Math.random().toString(36).slice(2, 7)}`;

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws, "heap");
  await createAudience(ws.actors.growth, { key: "nul", name: "NUL", description: "", destinations: [] });
});
after(() => closeDatabase());

const membersRoute = async (): Promise<RouteHandler> =>
  (await import("@/app/api/audiences/[key]/members/route")).POST as RouteHandler;

/** Captures console.error while fn runs. */
async function logged(fn: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) =>
    lines.push(args.map((a) => (a instanceof Error ? a.stack : String(a))).join(" "));
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return lines.join("\n");
}

const order = (overrides: Record<string, unknown> = {}) => ({
  event: "Order Completed",
  event_id: uid("nul"),
  user_id: "cust_nul",
  properties: { order_id: "o1", value: 1, currency: "EUR" },
  ...overrides,
});

describe("NUL (U+0000) is refused with 400 invalid_character and the field path", () => {
  test("/api/capture: in the event name, a property key and a property value", async () => {
    for (const [body, path] of [
      [order({ event: "Order\u0000Completed" }), "event"],
      [order({ properties: { "a\u0000b": 1 } }), "properties.a\\u0000b"],
      [order({ properties: { order_id: "o\u0000", nested: [{ deep: "\u0000" }] } }), "properties.order_id"],
      [order({ context: { page: { title: "x\u0000" } } }), "context.page.title"],
    ] as const) {
      const answer = await send(captureRoute as RouteHandler, "/api/capture", { key, body: JSON.stringify(body) });
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.headers.get("retry-after"), null);
      assert.equal(answer.body.error.code, "invalid_character");
      assert.ok(
        answer.body.error.issues.some((i: { path: string }) => i.path === path),
        JSON.stringify(answer.body),
      );
    }
  });

  test("/api/identify: in a trait", async () => {
    const answer = await send(identifyRoute as RouteHandler, "/api/identify", {
      key,
      body: JSON.stringify({ user_id: "u_nul", traits: { plan: "pro\u0000" } }),
    });
    assert.equal(answer.status, 400);
    assert.deepEqual(
      answer.body.error.issues.map((i: { path: string }) => i.path),
      ["traits.plan"],
    );
  });

  test("/api/batch: the item holding a NUL fails alone; its neighbours are stored", async () => {
    const answer = await send(batchRoute as RouteHandler, "/api/batch", {
      key,
      body: JSON.stringify({
        batch: [
          { type: "capture", ...order() },
          { type: "capture", ...order({ properties: { note: "\u0000" } }) },
        ],
      }),
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.results[0].http_status, 202);
    assert.equal(answer.body.results[1].http_status, 400);
    assert.equal(answer.body.results[1].error.code, "invalid_character");
    assert.equal(answer.body.results[1].error.issues[0].path, "properties.note");
  });

  test("/v1/track and /v1/batch (Segment's error shape)", async () => {
    const track = await send(segmentRoute as unknown as RouteHandler, "/v1/track", {
      key,
      params: { type: "track" },
      body: JSON.stringify({ event: "Order\u0000Completed", userId: "u", messageId: uid("seg") }),
    });
    assert.equal(track.status, 400);
    assert.equal(track.body.code, "invalid_character");
    assert.equal(track.body.issues[0].path, "event");
    const batch = await send(segmentRoute as unknown as RouteHandler, "/v1/batch", {
      key,
      params: { type: "batch" },
      body: JSON.stringify({
        batch: [
          {
            type: "track",
            event: "Order Completed",
            userId: "u",
            messageId: uid("seg"),
            properties: { order_id: "1" },
          },
          { type: "track", event: "Order Completed", userId: "u\u0000", messageId: uid("seg") },
        ],
      }),
    });
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    assert.equal(batch.body.results[1].status, 400);
    assert.equal(batch.body.results[1].body.code, "invalid_character");
  });

  test("POST /api/audiences/{key}/members", async () => {
    const answer = await send(await membersRoute(), "/api/audiences/nul/members", {
      key,
      params: { key: "nul" },
      body: JSON.stringify({ add: [{ user_id: "a\u0000" }] }),
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, "invalid_character");
    assert.equal(answer.body.error.issues[0].path, "add.0.user_id");
  });
});

describe("database data errors are 4xx, never a retryable 503", () => {
  // The shapes each layer raises: pg / PGlite, Prisma's driver adapters, Prisma's raw-query wrapper.
  const pgError = (code: string) =>
    Object.assign(new Error('invalid input syntax for type json: "secret@example.com"'), {
      code,
      where: 'JSON data, line 1: {"email":"secret@example.com"',
    });
  const adapterError = (code: string) =>
    Object.assign(new Error("x"), {
      name: "DriverAdapterError",
      cause: { kind: "postgres", code, originalCode: code },
    });

  test("classes 22, 23 and 54 map to 4xx; ingest answers them without Retry-After", async () => {
    for (const [code, status] of [
      ["22P05", 400],
      ["22021", 400],
      ["22003", 400],
      ["23503", 409],
      ["23514", 422],
      ["54000", 413],
    ] as const) {
      for (const error of [pgError(code), adapterError(code)]) {
        assert.equal(toErrorBody(error).status, status, code);
        const ingest = ingestError(error);
        assert.equal(ingest.status, status, code);
        assert.equal(ingest.headers.get("retry-after"), null);
        assert.equal(segmentError(error).status, status, code);
      }
    }
    assert.equal(toErrorBody(pgError("22P05")).body.error.code, "invalid_character");
  });

  test("an unexpected error is logged with a reference, its name and code — never its message or payload", async () => {
    const output = await logged(async () => {
      assert.equal(toErrorBody(pgError("XX000")).status, 500);
      const outage = ingestError(pgError("57P01"));
      assert.equal(outage.status, 503);
      assert.equal(outage.headers.get("retry-after"), "1", "SDKs retry a database outage");
    });
    assert.match(output, /ref=\w+ Error code=XX000/);
    assert.match(output, /database unavailable code=57P01/, "an outage is named by its code");
    assert.doesNotMatch(output, /secret@example\.com/);
  });

  test("a payload PostgreSQL refuses never reaches the log", async () => {
    const output = await logged(() =>
      send(captureRoute as RouteHandler, "/api/capture", {
        key,
        body: JSON.stringify(order({ properties: { email: "secret@example.com", bad: "\u0000" } })),
      }),
    );
    assert.doesNotMatch(output, /secret@example\.com/);
  });
});

describe("invalid UTF-8 is refused with 400 invalid_encoding, never stored as U+FFFD", () => {
  // {"...": "caf\xC3"} — a lone lead byte: not UTF-8.
  const withBadByte = (json: string) => {
    const [before, after] = json.split("@@");
    return Buffer.concat([Buffer.from(before!), Buffer.from([0xc3, 0x28]), Buffer.from(after!)]);
  };

  test("/api/capture, /api/batch, /v1/track and the members route", async () => {
    const eventId = uid("utf8");
    const capture = await send(captureRoute as RouteHandler, "/api/capture", {
      key,
      body: withBadByte(JSON.stringify(order({ event_id: eventId, properties: { name: "caf@@" } }))),
    });
    assert.equal(capture.status, 400, JSON.stringify(capture.body));
    assert.equal(capture.body.error.code, "invalid_encoding");
    const batch = await send(batchRoute as RouteHandler, "/api/batch", {
      key,
      body: withBadByte(JSON.stringify({ batch: [{ type: "capture", ...order({ event: "x@@" }) }] })),
    });
    assert.equal(batch.status, 400);
    assert.equal(batch.body.error.code, "invalid_encoding");
    const track = await send(segmentRoute as unknown as RouteHandler, "/v1/track", {
      key,
      params: { type: "track" },
      body: withBadByte(JSON.stringify({ event: "Order Completed", userId: "u@@", messageId: uid("seg") })),
    });
    assert.equal(track.status, 400);
    assert.equal(track.body.code, "invalid_encoding");
    const members = await send(await membersRoute(), "/api/audiences/nul/members", {
      key,
      params: { key: "nul" },
      body: withBadByte(JSON.stringify({ add: [{ user_id: "a@@" }] })),
    });
    assert.equal(members.status, 400);
    assert.equal(members.body.error.code, "invalid_encoding");
  });
});

describe("bodies are capped while they stream: chunked oversize bodies and gzip bombs stop at the cap", () => {
  test("/api/capture: a 4 MB chunked body (no Content-Length) is 413 after reading little more than 32 KB", async () => {
    const body = streamOf(4 * 1024 * 1024);
    const answer = await send(captureRoute as RouteHandler, "/api/capture", { key, body: body.stream });
    const read = body.pulled();
    assert.equal(answer.status, 413, JSON.stringify(answer.body));
    assert.equal(answer.body.error.code, "payload_too_large");
    assert.ok(read < 512 * 1024, `read ${read} bytes`);
  });

  test("the members route (24 MB cap): a 40 MB chunked body is refused before it is read whole", async () => {
    const body = streamOf(40 * 1024 * 1024);
    const answer = await send(await membersRoute(), "/api/audiences/nul/members", {
      key,
      params: { key: "nul" },
      body: body.stream,
    });
    const read = body.pulled();
    assert.equal(answer.status, 413);
    assert.ok(read < 26 * 1024 * 1024, `read ${read} bytes`);
  });

  test("a 100 MB gzip bomb, chunked, is 413 at the inflated cap, in well under a second or two", async () => {
    const bomb = gzipBomb(100 * 1024 * 1024);
    for (const [handler, path, params] of [
      [captureRoute as RouteHandler, "/api/capture", {}],
      [await membersRoute(), "/api/audiences/nul/members", { key: "nul" }],
      [segmentRoute as unknown as RouteHandler, "/v1/batch", { type: "batch" }],
    ] as const) {
      const started = performance.now();
      const answer = await send(handler, path, {
        key,
        params,
        headers: { "content-encoding": "gzip" },
        body: chunked(bomb).stream,
      });
      const took = performance.now() - started;
      assert.equal(answer.status, 413, `${path}: ${JSON.stringify(answer.body)}`);
      assert.ok(took < 3_000, `${path} took ${Math.round(took)} ms`);
    }
  });

  test("a compressed body over the cap is 413 without inflating it; bad gzip is 400", async () => {
    const body = streamOf(2 * 1024 * 1024, new Uint8Array(64 * 1024).fill(0x1f));
    const big = await send(captureRoute as RouteHandler, "/api/capture", {
      key,
      headers: { "content-encoding": "gzip" },
      body: body.stream,
    });
    const read = body.pulled();
    assert.ok([400, 413].includes(big.status), String(big.status));
    assert.ok(read < 512 * 1024, `read ${read} bytes`);
    const bad = await send(captureRoute as RouteHandler, "/api/capture", {
      key,
      headers: { "content-encoding": "gzip" },
      body: "not gzip at all",
    });
    assert.equal(bad.status, 400);
    assert.match(bad.body.error.message, /gzip/);
  });
});
