// A request whose COMMIT was sent but whose answer was lost (the connection dropped) may be
// stored: it answers 503 commit_unknown, "may not be stored; retrying with the same event_id is
// safe" — and the retry does answer "duplicate". PostgreSQL only (a TCP proxy drops the connection
// right after forwarding the commit); the embedded database has no connection to lose.
import assert from "node:assert/strict";
import net from "node:net";
import { after, before, describe, test } from "node:test";
import { POST as captureRoute } from "@/app/api/capture/route";
import { POST as segmentRoute } from "@/app/v1/[type]/route";
import { closeDatabase } from "@/lib/db";
import { commitFailure } from "@/lib/db/connection";
import { CommitUnknownError } from "@/lib/errors";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { type RouteHandler, send } from "./http-helpers";
import { writeKeyFor } from "./ingest-helpers";

const target = process.env.DATABASE_URL?.startsWith("postgres") ? new URL(process.env.DATABASE_URL) : null;

/** Forwards to PostgreSQL; once armed, drops the client's connection right after forwarding a
 *  message that contains `pattern` (before PostgreSQL's answer can come back). */
function dropProxy(upstream: URL) {
  let armed: Buffer | null = null;
  let dropped = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const pg = net.connect(Number(upstream.port || 5432), upstream.hostname);
    for (const s of [client, pg]) {
      sockets.add(s);
      s.on("error", () => undefined);
      s.on("close", () => sockets.delete(s));
    }
    pg.on("data", (chunk) => client.write(chunk));
    pg.on("close", () => client.destroy());
    client.on("close", () => pg.end());
    client.on("data", (chunk: Buffer) => {
      pg.write(chunk);
      if (armed && chunk.includes(armed)) {
        armed = null;
        dropped++;
        client.destroy();
      }
    });
  });
  return {
    listen: () =>
      new Promise<number>((resolve) =>
        server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
      ),
    arm: (pattern: string) => {
      armed = Buffer.from(`${pattern}\u0000`);
    },
    dropped: () => dropped,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

const proxy = target ? dropProxy(target) : null;
let ws: TestWorkspace;
let key: string;

before(async () => {
  if (!proxy || !target) return;
  const port = await proxy.listen();
  const via = new URL(target);
  via.hostname = "127.0.0.1";
  via.port = String(port);
  process.env.DATABASE_URL = via.toString();
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws, "heap");
});
after(async () => {
  await closeDatabase();
  proxy?.close();
});

test("a commit PostgreSQL answered with an error is a plain failure; one without an answer is unknown", () => {
  assert.ok(commitFailure(Object.assign(new Error("x"), { code: "40001" })) instanceof Error);
  assert.ok(!(commitFailure(Object.assign(new Error("x"), { code: "40001" })) instanceof CommitUnknownError));
  assert.ok(!(commitFailure(Object.assign(new Error("x"), { code: "ECONNREFUSED" })) instanceof CommitUnknownError));
  assert.ok(commitFailure(new Error("Connection terminated unexpectedly")) instanceof CommitUnknownError);
  assert.ok(commitFailure(Object.assign(new Error("x"), { code: "57P01" })) instanceof CommitUnknownError);
});

describe("the connection drops after the commit was sent", { skip: !target && "PostgreSQL only" }, () => {
  const event = (eventId: string, withUser: boolean) => ({
    event: "Order Completed",
    event_id: eventId,
    ...(withUser ? { user_id: "cust_unknown" } : { anonymous_id: "anon_unknown" }),
    properties: { order_id: eventId, value: 1, currency: "EUR" },
  });

  for (const [label, withUser, pattern] of [
    ["a transaction (anonymous capture): COMMIT", false, "COMMIT"],
    ["a single statement (capture with user_id): the statement is the commit", true, "tl_store_events"],
  ] as const) {
    test(`${label} → 503 commit_unknown; the retry answers duplicate`, async () => {
      const eventId = `unknown_${withUser}_${Date.now()}`;
      // A first call warms the caches (write key, registry, prepared statements).
      await send(captureRoute as RouteHandler, "/api/capture", {
        key,
        body: JSON.stringify(event(`${eventId}_warm`, withUser)),
      });
      proxy!.arm(pattern);
      const lost = await send(captureRoute as RouteHandler, "/api/capture", {
        key,
        body: JSON.stringify(event(eventId, withUser)),
      });
      assert.equal(proxy!.dropped() > 0, true, "the proxy dropped a connection");
      assert.equal(lost.status, 503, JSON.stringify(lost.body));
      assert.equal(lost.headers.get("retry-after"), "1");
      assert.equal(lost.body.error.code, "commit_unknown");
      assert.match(lost.body.error.message, /may not be stored; retrying with the same event_id is safe/i);
      const retry = await send(captureRoute as RouteHandler, "/api/capture", {
        key,
        body: JSON.stringify(event(eventId, withUser)),
      });
      assert.equal(retry.status, 200, JSON.stringify(retry.body));
      assert.equal(retry.body.status, "duplicate");
    });
  }

  test("Segment's shape says the same", async () => {
    proxy!.arm("tl_store_events");
    const lost = await send(segmentRoute as unknown as RouteHandler, "/v1/track", {
      key,
      params: { type: "track" },
      body: JSON.stringify({
        event: "Order Completed",
        userId: "seg_u",
        messageId: `seg_unknown_${Date.now()}`,
        properties: { order_id: "seg", value: 1, currency: "EUR" },
      }),
    });
    assert.equal(lost.status, 503);
    assert.equal(lost.body.code, "commit_unknown");
  });
});
