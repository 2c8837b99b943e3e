// "Validate with GA4 debug" against the GA4 mock: a sample purchase is valid, a stored event without a
// client_id gets GA4's VALUE_REQUIRED, the mapping's event name is what GA4 sees, nothing is recorded.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { createDestination } from "@/lib/delivery/manage-destinations";
import { validateWithGa4Debug } from "@/lib/delivery/validate-ga4";
import { updateMapping } from "@/lib/registry/mappings/update-mapping";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { capture, writeKeyFor } from "./ingest-helpers";
import type { PlatformMock } from "./platform-mocks/core";
import { startGa4Mock } from "./platform-mocks/ga4";

let ws: TestWorkspace;
let key: string;
let mock: PlatformMock;
let ga4: string;

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws);
  mock = await startGa4Mock();
  ga4 = (
    await createDestination(ws.actors.admin, {
      type: "ga4",
      name: "GA4",
      config: { measurement_id: "G-VALIDATE1", base_url: mock.url },
      secrets: { api_secret: "validate-secret" },
      enabled: true,
      test_mode: false,
    })
  ).id;
});
after(async () => {
  await mock.close();
  await closeDatabase();
});

describe("POST /api/destinations/{id}/validate (GA4 debug)", () => {
  test("a sample purchase is valid; the request went to /debug/mp/collect without the secret in the log; nothing recorded", async () => {
    mock.reset();
    const result = await validateWithGa4Debug(ws.actors.engineer, ga4, {});
    assert.equal(result.verdict, "valid");
    assert.deepEqual(result.validation_messages, []);
    assert.equal(result.event.sample, true);
    assert.deepEqual(
      mock.received.map((r) => r.path),
      ["/debug/mp/collect"],
    );
    assert.equal(mock.received[0]!.query.get("api_secret"), "validate-secret");
    assert.ok(!JSON.stringify(result.request).includes("validate-secret"));
    assert.equal(mock.accepted.size, 0, "the debug endpoint records nothing");
    assert.equal(
      await db().auditLog.count({ where: { workspaceId: ws.workspace.id, action: "destination.validate" } }),
      1,
    );
  });

  test("a chosen stored event: GA4's messages come back (no client_id), and the mapping's event name is used", async () => {
    const purchase = await db().mapping.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, sourceEvent: "purchase" },
    });
    await updateMapping(ws.actors.growth, purchase.id, {
      destinations: { [ga4]: { enabled: true, event_name: "big_purchase" } },
    });
    await capture(key, {
      event: "purchase",
      event_id: "val_no_client",
      user_id: "val_user",
      source: "heap",
      properties: { order_id: "o1", value: 5, currency: "EUR" },
    });
    mock.reset();
    const result = await validateWithGa4Debug(ws.actors.admin, ga4, { event_id: "val_no_client" });
    assert.equal(result.verdict, "invalid");
    assert.deepEqual(
      result.validation_messages.map((m) => `${m.validationCode} ${m.fieldPath}`),
      ["VALUE_REQUIRED client_id"],
    );
    assert.equal((mock.received[0]!.json as { events: { name: string }[] }).events[0]!.name, "big_purchase");
  });

  test("unknown events are 404, other destination types 422, viewers and growth are refused", async () => {
    await rejectsWith(validateWithGa4Debug(ws.actors.engineer, ga4, { event_id: "no_such_event" }), "not_found");
    const meta = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id, type: "meta" } });
    const wrongType = await rejectsWith(validateWithGa4Debug(ws.actors.engineer, meta.id, {}), "unprocessable");
    assert.match(wrongType.message, /Only GA4/);
    await rejectsWith(validateWithGa4Debug(ws.actors.viewer, ga4, {}), "forbidden");
    await rejectsWith(validateWithGa4Debug(ws.actors.growth, ga4, {}), "forbidden");
  });

  test("an unreachable debug endpoint is reported, not mistaken for valid", async () => {
    const closed = await startGa4Mock();
    await closed.close();
    const id = (
      await createDestination(ws.actors.admin, {
        type: "ga4",
        name: "GA4 down",
        config: { measurement_id: "G-DOWN1", base_url: closed.url },
        secrets: { api_secret: "s" },
        enabled: false,
        test_mode: true,
      })
    ).id;
    const result = await validateWithGa4Debug(ws.actors.engineer, id, {});
    assert.equal(result.verdict, "unreachable");
    assert.equal(result.valid, false);
  });
});
