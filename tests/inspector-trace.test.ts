// Events through ingestion → the real destination modules → local mock platforms, then the trace
// and its four checks as GET /api/events/{event_id}/trace returns them.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { createDestination } from "@/lib/delivery/manage-destinations";
import { getTrace } from "@/lib/inspector/trace";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { defaultWorkerOptions } from "@/lib/worker/options";
import { runOnce } from "@/lib/worker/run-once";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { capture, identify, writeKeyFor } from "./ingest-helpers";

/** A platform that answers every request with `answer` (status 200 unless `fail` is set). */
async function platform(answer: (body: Record<string, unknown>) => unknown) {
  const state = { fail: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c: Buffer) => (raw += c.toString()));
    req.on("end", () => {
      state.requests++;
      if (state.fail > 0) {
        state.fail--;
        return res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: "unavailable" }));
      }
      const body = answer(JSON.parse(raw || "{}") as Record<string, unknown>);
      res.writeHead(200, { "content-type": "application/json" }).end(body === undefined ? "" : JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    close: () => new Promise((r) => server.close(r)),
  };
}

let ws: TestWorkspace;
let key: string;
let meta: Awaited<ReturnType<typeof platform>>;
let hook: Awaited<ReturnType<typeof platform>>;
let hubspot: Awaited<ReturnType<typeof platform>>;
let clock = Date.now();
const options = () => defaultWorkerOptions({ now: () => new Date(clock), timeoutMs: 2_000 });
const deliver = async () => {
  for (let i = 0; i < 3; i++) {
    await runOnce("inspector-test", options());
    clock += 120_000;
  }
};
const statuses = (trace: Awaited<ReturnType<typeof getTrace>>) =>
  Object.fromEntries(trace.checks.map((c) => [c.key, c.status]));

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  meta = await platform((b) => ({ events_received: (b.data as unknown[]).length, fbtrace_id: "fb-trace-1" }));
  hook = await platform(() => ({ ok: true }));
  hubspot = await platform(() => undefined);
  const admin = ws.actors.admin;
  const destinations = await Promise.all([
    createDestination(admin, {
      type: "meta",
      name: "Meta",
      enabled: true,
      test_mode: true,
      config: { pixel_id: "123", test_event_code: "TEST1", base_url: meta.url },
      secrets: { access_token: "tok" },
    }),
    createDestination(admin, {
      type: "webhook",
      name: "Hook",
      enabled: true,
      test_mode: false,
      config: { url: `${hook.url}/in` },
      secrets: { signing_secret: "a-signing-secret-of-length" },
    }),
  ]);
  const purchase = await db().mapping.findFirstOrThrow({
    where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
  });
  await updateMapping(ws.actors.growth, purchase.id, {
    destinations: Object.fromEntries(destinations.map((d) => [d.id, true])),
  });
  await identify(key, { user_id: "user_1", anonymous_id: "anon_1", traits: { email: "Ada@Example.com" } });
});
after(async () => {
  await Promise.all([meta.close(), hook.close(), hubspot.close()]);
  await closeDatabase();
});

describe("event trace", () => {
  test("a clean purchase: every stage, one lane per destination with the ack, four green checks", async () => {
    const sent = await capture(key, {
      event: "purchase",
      event_id: "purchase_ord_1",
      anonymous_id: "anon_1",
      source: "heap",
      properties: { order_id: "ord_1", value: 42, currency: "EUR" },
    });
    assert.equal(sent.status, 202);
    const before = await getTrace(ws.actors.viewer, "purchase_ord_1");
    assert.equal(before.outcome, "pending");
    assert.equal(before.checks.find((c) => c.key === "accepted_downstream")?.status, "pending");

    await deliver();
    const trace = await getTrace(ws.actors.viewer, "purchase_ord_1");
    assert.deepEqual(statuses(trace), {
      same_user: "pass",
      same_business_id: "pass",
      stable_event_id: "pass",
      accepted_downstream: "pass",
    });
    assert.equal(trace.outcome, "pass");
    assert.equal(trace.stages.identity.resolved_via, "anonymous_id");
    assert.equal(trace.stages.identity.anonymous_linked_to?.user_id, "user_1");
    assert.equal(trace.stages.mapping?.revision.status, "approved");
    assert.equal(trace.stages.dedup.verdict, "first");
    const metaLane = trace.stages.destinations.find((l) => l.destination === "Meta");
    assert.deepEqual(metaLane?.ack, { events_received: 1, fbtrace_id: "fb-trace-1", messages: [] });
    assert.equal(metaLane?.log[0]?.response.status, 200);
    assert.equal(
      JSON.stringify(metaLane?.log[0]?.request).includes("tok"),
      false,
      "the access token is not in the trace",
    );
    assert.match(trace.checks[3]!.reasons.join(" "), /Meta \(test mode\) accepted/);
  });

  test("a retry shows as pending with the error, then passes once the platform recovers", async () => {
    meta.state.fail = 1;
    await capture(key, {
      event: "purchase",
      event_id: "purchase_ord_r",
      user_id: "user_1",
      source: "heap",
      properties: { order_id: "ord_r", value: 1, currency: "EUR" },
    });
    await runOnce("inspector-test", options());
    const retrying = await getTrace(ws.actors.viewer, "purchase_ord_r");
    assert.equal(retrying.checks[3]!.status, "pending");
    assert.match(retrying.checks[3]!.reasons.join(" "), /Meta: retrying \(HTTP 503/);
    await deliver();
    assert.equal((await getTrace(ws.actors.viewer, "purchase_ord_r")).outcome, "pass");
  });

  test("a random event_id, one order under two event_ids and a reused event_id fail the stable event_id check", async () => {
    await capture(key, {
      event: "purchase",
      event_id: "9b2f4c1e-77aa-4d0e-9d1a-5c3b2a1f0e9d",
      user_id: "user_1",
      source: "heap",
      properties: { order_id: "ord_2", value: 5, currency: "EUR" },
    });
    await capture(key, {
      event: "purchase",
      event_id: "purchase_ord_2",
      user_id: "user_1",
      source: "heap",
      properties: { order_id: "ord_2", value: 5, currency: "EUR" },
    });
    const reused = await capture(key, {
      event: "purchase",
      event_id: "purchase_ord_2",
      user_id: "user_1",
      source: "heap",
      properties: { order_id: "ord_2", value: 6, currency: "EUR" },
    });
    assert.equal(reused.status, 409);
    await deliver();

    const random = await getTrace(ws.actors.viewer, "9b2f4c1e-77aa-4d0e-9d1a-5c3b2a1f0e9d");
    const stable = random.checks.find((c) => c.key === "stable_event_id")!;
    assert.equal(stable.status, "fail");
    assert.match(stable.reasons.join("\n"), /does not contain or derive from order_id ord_2/);
    assert.match(stable.reasons.join("\n"), /order_id ord_2 also arrived under 1 other event_id\(s\): purchase_ord_2/);

    const twice = await getTrace(ws.actors.viewer, "purchase_ord_2");
    assert.match(
      twice.checks.find((c) => c.key === "stable_event_id")!.reasons.join("\n"),
      /reused with a different payload 1 time/,
    );
    assert.equal(twice.stages.dedup.reused_with_different_payload.length, 1);
  });

  test("a destination that drops the order_id fails the business id check naming that destination", async () => {
    const destination = await createDestination(ws.actors.admin, {
      type: "hubspot",
      name: "HubSpot",
      enabled: true,
      test_mode: false,
      config: { portal_id: "999", base_url: hubspot.url, property_map: { amount: "value" } },
      secrets: { access_token: "hs-token" },
    });
    const purchase = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [destination.id]: true } });
    await capture(key, {
      event: "purchase",
      event_id: "purchase_ord_3",
      user_id: "user_1",
      source: "heap",
      properties: { order_id: "ord_3", value: 7, currency: "EUR" },
    });
    await deliver();
    const trace = await getTrace(ws.actors.viewer, "purchase_ord_3");
    const business = trace.checks.find((c) => c.key === "same_business_id")!;
    assert.equal(business.status, "fail");
    assert.deepEqual(business.reasons, ["HubSpot: properties is missing (expected order_id ord_3)"]);
    assert.equal(trace.checks.find((c) => c.key === "accepted_downstream")!.status, "pass");
    await updateMapping(ws.actors.growth, purchase.id, { destinations: { [destination.id]: false } });
  });

  test("an anonymous event whose anonymous_id belongs to someone else fails the same user check", async () => {
    await capture(key, {
      event: "purchase",
      event_id: "purchase_ord_4",
      user_id: "user_2",
      anonymous_id: "anon_1",
      source: "heap",
      properties: { order_id: "ord_4", value: 7, currency: "EUR" },
    });
    const trace = await getTrace(ws.actors.viewer, "purchase_ord_4");
    const user = trace.checks.find((c) => c.key === "same_user")!;
    assert.equal(user.status, "fail");
    assert.match(user.reasons.join("\n"), /says user user_2 but its anonymous_id resolves to user_1/);
  });

  test("unknown ids are 404; another workspace's event is invisible", async () => {
    await assert.rejects(getTrace(ws.actors.viewer, "nope"), /Event not found/);
    const other = await createTestWorkspace();
    await assert.rejects(getTrace(other.actors.admin, "purchase_ord_1"), /Event not found/);
  });
});
