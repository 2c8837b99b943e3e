// Retention settings and their validation, and dedup across a month boundary (the ledger's months).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { db } from "@/lib/db";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";
import { getWorkspace, updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace, rejectsWith } from "./helpers";
import { captureAt } from "./ingest-helpers";
import { purchase, retentionSuite } from "./retention-helpers";

const suite = retentionSuite();

describe("settings", () => {
  test("defaults are shown to every role; admins change them and the change is audited", async () => {
    const shown = await getWorkspace(suite.ws.actors.viewer);
    assert.deepEqual(shown.retention, {
      events_months: 13,
      payloads_days: 90,
      delivery_logs_days: 30,
      violation_samples_days: 90,
      dead_letters_days: 30,
      audit_log_days: 730,
    });
    const other = await createTestWorkspace();
    const saved = await updateWorkspace(other.actors.admin, { retention: { payloads_days: 30, audit_log_days: 400 } });
    assert.equal(saved.retention.payloads_days, 30);
    assert.equal(saved.retention.audit_log_days, 400);
    assert.equal(saved.retention.events_months, 13, "fields left out keep their value");
    const audit = await db().auditLog.findFirstOrThrow({
      where: { workspaceId: other.workspace.id, action: "workspace.settings" },
    });
    assert.deepEqual(
      [
        (audit.before as { retention: { payloads_days: number } }).retention.payloads_days,
        (audit.after as { retention: { payloads_days: number } }).retention.payloads_days,
      ],
      [90, 30],
    );
    await rejectsWith(updateWorkspace(other.actors.engineer, { retention: { payloads_days: 10 } }), "forbidden");
  });

  test("nothing may outlive the events: 422 naming each retention.<field>", async () => {
    const error = await rejectsWith(
      updateWorkspace(suite.ws.actors.admin, { retention: { events_months: 2 } }),
      "unprocessable",
    );
    assert.deepEqual(error.issues?.map((i) => i.path).sort(), [
      "retention.payloads_days",
      "retention.violation_samples_days",
    ]);
    assert.equal((await getWorkspace(suite.ws.actors.admin)).retention.events_months, 13, "nothing was saved");
  });

  test("bounds are field errors of the request: audit log at least a year, whole numbers", () => {
    const parsed = workspaceUpdateSchema.safeParse({ retention: { audit_log_days: 100, events_months: 1.5, logs: 3 } });
    assert.equal(parsed.success, false);
    const paths = parsed.error!.issues.map((i) => [...i.path, ...("keys" in i ? i.keys : [])].join(".")).sort();
    assert.deepEqual(paths, ["retention.audit_log_days", "retention.events_months", "retention.logs"]);
  });
});

describe("dedup across months", () => {
  test("a retry in the next month is 200 duplicate; another payload is still a conflict", async () => {
    const body = purchase();
    const first = await captureAt(suite.key, body, "2027-01-31T23:59:30.000Z");
    assert.equal(first.status, 202);
    const stored = await db().event.findFirstOrThrow({
      where: { workspaceId: suite.ws.workspace.id, eventId: body.event_id },
    });
    for (const at of ["2027-02-01T00:00:10.000Z", "2027-02-20T10:00:00.000Z"]) {
      const again = await captureAt(suite.key, body, at);
      assert.equal(again.status, 200, `retry at ${at}`);
      assert.equal(again.body.status, "duplicate");
      assert.equal((again.body.original as { id: string }).id, stored.id);
    }
    const clash = await captureAt(
      suite.key,
      { ...body, properties: { ...body.properties, value: 99 } },
      "2027-02-21T00:00:00.000Z",
    );
    assert.equal(clash.status, 409);
    const rows = await db().event.findMany({ where: { workspaceId: suite.ws.workspace.id, eventId: body.event_id } });
    assert.deepEqual(rows.map((r) => r.status).sort(), ["accepted", "duplicate_conflict"]);
  });

  test("two calls with one event_id on either side of a month boundary store one event", async () => {
    const body = purchase();
    const { commitCalls } = await import("@/lib/ingest/group-commit");
    const { captureCall } = await import("@/lib/ingest/capture-api");
    const { registrySnapshot } = await import("@/lib/ingest/registry-snapshot");
    const { authenticateWriteKey } = await import("@/lib/ingest/write-keys");
    const { captureSchema } = await import("@/lib/validations/ingest");
    const info = await authenticateWriteKey(suite.key);
    const call = captureCall(info, await registrySnapshot(info.workspaceId), captureSchema.parse(body), body);
    const results = await commitCalls([
      { ...call, receivedAt: "2027-02-28T23:59:59.900Z" } as typeof call,
      {
        ...call,
        rowId: `${(call as { rowId: string }).rowId}b`,
        receivedAt: "2027-03-01T00:00:00.100Z",
      } as typeof call,
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 202]);
    const stored = await db().event.findMany({ where: { workspaceId: suite.ws.workspace.id, eventId: body.event_id } });
    assert.equal(stored.length, 1);
    const ledger = await db().eventDedup.findMany({
      where: { workspaceId: suite.ws.workspace.id, dedupKey: body.event_id },
    });
    assert.ok(ledger.length >= 1);
    assert.ok(
      ledger.every((row) => row.eventRowId === stored[0]!.id),
      "every ledger row of the suite.key points at the stored event",
    );
  });
});
