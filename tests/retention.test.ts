// Retention: settings and their validation, month partitions created ahead and dropped on time (events
// and, on their own retention, raw payloads), dedup across a month boundary, per-workspace expiry in
// bounded batches — on a controlled clock.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { getEvent } from "@/lib/events/get-event";
import { EXPIRED_PAYLOAD } from "@/lib/events/payloads";
import { monthPartitions, monthsBefore } from "@/lib/retention/partitions";
import { runRetention } from "@/lib/retention/run";
import { workspaceUpdateSchema } from "@/lib/validations/workspace";
import { getWorkspace, updateWorkspace } from "@/lib/workspace/workspaces";
import { createTestWorkspace, rejectsWith, type TestWorkspace } from "./helpers";
import { captureAt, storedEvent, writeKeyFor } from "./ingest-helpers";

let ws: TestWorkspace;
let key: string;
let n = 0;
const uid = (p: string) => `${p}_${++n}_${Math.random().toString(36).slice(2, 7)}`;
const purchase = (overrides: Record<string, unknown> = {}) => ({
  event: "purchase",
  event_id: uid("ord"),
  user_id: "cust_1",
  properties: { order_id: "ord_1", value: 10, currency: "EUR" },
  source: "heap",
  ...overrides,
});
const DAY = 86_400_000;
const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY).toISOString();
/** Where a row physically is: an UPDATE moves it, so an unchanged ctid means the row was not rewritten. */
const ctidOf = async (id: string) =>
  (await database().raw.query<{ ctid: string }>(`SELECT ctid::text AS "ctid" FROM "Event" WHERE "id" = $1`, [id]))[0]
    ?.ctid;
const relationExists = async (name: string) =>
  (await database().raw.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS "t"`, [`"${name}"`]))[0]?.t !==
  null;

before(async () => {
  ws = await createTestWorkspace();
  key = await writeKeyFor(ws, "heap");
});
after(() => closeDatabase());

describe("settings", () => {
  test("defaults are shown to every role; admins change them and the change is audited", async () => {
    const shown = await getWorkspace(ws.actors.viewer);
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
      updateWorkspace(ws.actors.admin, { retention: { events_months: 2 } }),
      "unprocessable",
    );
    assert.deepEqual(error.issues?.map((i) => i.path).sort(), [
      "retention.payloads_days",
      "retention.violation_samples_days",
    ]);
    assert.equal((await getWorkspace(ws.actors.admin)).retention.events_months, 13, "nothing was saved");
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
    const first = await captureAt(key, body, "2027-01-31T23:59:30.000Z");
    assert.equal(first.status, 202);
    const stored = await db().event.findFirstOrThrow({
      where: { workspaceId: ws.workspace.id, eventId: body.event_id },
    });
    for (const at of ["2027-02-01T00:00:10.000Z", "2027-02-20T10:00:00.000Z"]) {
      const again = await captureAt(key, body, at);
      assert.equal(again.status, 200, `retry at ${at}`);
      assert.equal(again.body.status, "duplicate");
      assert.equal((again.body.original as { id: string }).id, stored.id);
    }
    const clash = await captureAt(
      key,
      { ...body, properties: { ...body.properties, value: 99 } },
      "2027-02-21T00:00:00.000Z",
    );
    assert.equal(clash.status, 409);
    const rows = await db().event.findMany({ where: { workspaceId: ws.workspace.id, eventId: body.event_id } });
    assert.deepEqual(rows.map((r) => r.status).sort(), ["accepted", "duplicate_conflict"]);
  });

  test("two calls with one event_id on either side of a month boundary store one event", async () => {
    const body = purchase();
    const { commitCalls } = await import("@/lib/ingest/group-commit");
    const { captureCall } = await import("@/lib/ingest/capture-api");
    const { registrySnapshot } = await import("@/lib/ingest/registry-snapshot");
    const { authenticateWriteKey } = await import("@/lib/ingest/write-keys");
    const { captureSchema } = await import("@/lib/validations/ingest");
    const info = await authenticateWriteKey(key);
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
    const stored = await db().event.findMany({ where: { workspaceId: ws.workspace.id, eventId: body.event_id } });
    assert.equal(stored.length, 1);
    const ledger = await db().eventDedup.findMany({ where: { workspaceId: ws.workspace.id, dedupKey: body.event_id } });
    assert.ok(ledger.length >= 1);
    assert.ok(
      ledger.every((row) => row.eventRowId === stored[0]!.id),
      "every ledger row of the key points at the stored event",
    );
  });
});

describe("expiry", () => {
  test("a workspace keeping events shorter expires them in place, in bounded batches, ledger included", async () => {
    const short = await createTestWorkspace();
    const shortKey = await writeKeyFor(short, "heap");
    await updateWorkspace(short.actors.admin, {
      retention: { events_months: 2, payloads_days: 30, violation_samples_days: 30 },
    });
    const now = new Date();
    const old = [purchase(), purchase(), purchase()];
    for (const body of old) await captureAt(shortKey, body, monthsBefore(now, 3).toISOString());
    const kept = purchase();
    await captureAt(shortKey, kept, daysAgo(now, 10));
    // The default workspace's events of the same age stay: its retention is the longest.
    const long = purchase();
    await captureAt(key, long, monthsBefore(now, 3).toISOString());

    const first = await runRetention({ now, batch: 2 });
    assert.equal(first?.expired[short.workspace.id]?.events, 2, "at most one batch per tick");
    const second = await runRetention({ now, batch: 2 });
    assert.equal(second?.expired[short.workspace.id]?.events, 1);
    assert.deepEqual(
      (await db().event.findMany({ where: { workspaceId: short.workspace.id } })).map((e) => e.eventId),
      [kept.event_id],
    );
    assert.equal(await db().event.count({ where: { workspaceId: ws.workspace.id, eventId: long.event_id } }), 1);
    // Its ledger row went with it: the same event_id now is a new event.
    assert.equal(
      await db().eventDedup.count({ where: { workspaceId: short.workspace.id, dedupKey: old[0]!.event_id } }),
      0,
    );
    assert.equal((await captureAt(shortKey, old[0]!, now.toISOString())).status, 202);
  });

  test("a workspace keeping payloads shorter loses only its own, from the payload table; retries are still told apart", async () => {
    const w = await createTestWorkspace();
    const wKey = await writeKeyFor(w, "heap");
    await updateWorkspace(w.actors.admin, { retention: { payloads_days: 5 } });
    const now = new Date();
    const oldBody = purchase();
    const newBody = purchase();
    const othersBody = purchase();
    await captureAt(wKey, oldBody, daysAgo(now, 6));
    await captureAt(wKey, newBody, daysAgo(now, 1));
    // The default workspace keeps payloads 90 days: its payload of the same age stays.
    await captureAt(key, othersBody, daysAgo(now, 6));
    const before = await storedEvent(w.workspace.id, oldBody.event_id);
    const place = await ctidOf(before.id);

    const run = await runRetention({ now });
    assert.equal(run?.expired[w.workspace.id]?.payloads, 1);
    const [oldRow, newRow, othersRow] = await Promise.all([
      storedEvent(w.workspace.id, oldBody.event_id),
      storedEvent(w.workspace.id, newBody.event_id),
      storedEvent(ws.workspace.id, othersBody.event_id),
    ]);
    assert.deepEqual(oldRow.payload, EXPIRED_PAYLOAD);
    assert.deepEqual(oldRow.properties, oldBody.properties, "canonical properties stay");
    assert.equal(await ctidOf(before.id), place, "the event row was not rewritten");
    assert.deepEqual((await getEvent(w.actors.admin, oldRow.id)).payload, EXPIRED_PAYLOAD, "the detail says expired");
    assert.deepEqual(newRow.payload, newBody);
    assert.deepEqual(othersRow.payload, othersBody, "another workspace's payload of the same age stays");
    assert.equal((await runRetention({ now }))?.expired[w.workspace.id]?.payloads, 0, "the cursor skips what is done");
    assert.equal((await captureAt(wKey, oldBody, now.toISOString())).status, 200);
    const changed = { ...oldBody, properties: { ...oldBody.properties, value: 11 } };
    assert.equal((await captureAt(wKey, changed, now.toISOString())).status, 409);
  });

  test("delivery logs, dead letters, violation samples and audit entries expire in bounded batches", async () => {
    const w = await createTestWorkspace();
    const wKey = await writeKeyFor(w, "heap");
    await updateWorkspace(w.actors.admin, {
      retention: { delivery_logs_days: 30, dead_letters_days: 45, violation_samples_days: 20 },
    });
    const now = new Date();
    const at = (days: number) => new Date(now.getTime() - days * DAY);
    const destination = await db().destination.create({
      data: { workspaceId: w.workspace.id, type: "webhook", name: "hook", config: { url: "https://hook.example/x" } },
    });
    const t = (id: string) => `${id}_${w.tag}`;
    const exchange = (id: string, days: number) => ({
      id: t(id),
      destinationId: destination.id,
      requestUrl: "https://hook.example/x",
      requestHeaders: {},
      requestBody: { secret: "body" },
      latencyMs: 5,
      createdAt: at(days),
    });
    // A delivery created 40 days ago was retried 10 days ago in one batch with a newer one (x_shared).
    await db().httpExchange.createMany({
      data: [
        exchange("x_sent", 10),
        exchange("x_shared", 10),
        exchange("x_dead_kept", 40),
        exchange("x_dead_old", 50),
        exchange("x_orphan", 40),
      ],
    });
    const delivery = (id: string, status: "succeeded" | "dead", days: number) => ({
      id: t(id),
      workspaceId: w.workspace.id,
      eventRowId: `ev_${id}`,
      destinationId: destination.id,
      status,
      createdAt: at(days),
      updatedAt: at(days),
    });
    await db().delivery.createMany({
      data: [
        delivery("d_sent_old", "succeeded", 40),
        delivery("d_sent_new", "succeeded", 12),
        delivery("d_dead_kept", "dead", 40),
        delivery("d_dead_old", "dead", 50),
      ],
    });
    await db().deliveryAttempt.createMany({
      data: [
        { id: t("a1"), deliveryId: t("d_sent_old"), attempt: 1, exchangeId: t("x_sent"), outcome: "retry" },
        { id: t("a2"), deliveryId: t("d_sent_old"), attempt: 2, exchangeId: t("x_shared"), outcome: "success" },
        { id: t("a3"), deliveryId: t("d_sent_new"), attempt: 1, exchangeId: t("x_shared"), outcome: "success" },
        { id: t("a4"), deliveryId: t("d_dead_kept"), attempt: 1, exchangeId: t("x_dead_kept"), outcome: "permanent" },
        { id: t("a5"), deliveryId: t("d_dead_old"), attempt: 1, exchangeId: t("x_dead_old"), outcome: "permanent" },
      ],
    });
    await db().auditLog.createMany({
      data: [1, 2, 3].map((i) => ({
        workspaceId: w.workspace.id,
        actorLabel: "t",
        action: "test.old",
        entityType: "t",
        entityId: String(i),
        createdAt: at(800),
      })),
    });
    const rejected = purchase({ properties: { value: "not a number" } });
    await captureAt(wKey, rejected, at(25).toISOString());

    const first = await runRetention({ now, batch: 2 });
    const got = first!.expired[w.workspace.id]!;
    assert.deepEqual([got.deliveryLogs, got.deadLetters, got.auditEntries, got.violationSamples], [1, 1, 2, 1]);
    assert.deepEqual(
      (await db().delivery.findMany({ where: { workspaceId: w.workspace.id }, orderBy: { id: "asc" } })).map(
        (d) => d.id,
      ),
      [t("d_dead_kept"), t("d_sent_new")],
    );
    assert.deepEqual(
      (await db().httpExchange.findMany({ where: { destinationId: destination.id }, orderBy: { id: "asc" } })).map(
        (x) => x.id,
      ),
      [t("x_dead_kept"), t("x_shared")],
      "an exchange goes with the last delivery that used it; a dead letter's stays while it is kept; orphans past retention go",
    );
    assert.equal(await db().deliveryAttempt.count({ where: { deliveryId: t("d_sent_old") } }), 0);
    const second = await runRetention({ now, batch: 2 });
    assert.equal(second!.expired[w.workspace.id]!.auditEntries, 1);
    assert.equal(await db().auditLog.count({ where: { workspaceId: w.workspace.id, action: "test.old" } }), 0);
  });
});

describe("partitions", () => {
  test("months ahead are created, stray rows leave DEFAULT, and a month is dropped once past the longest retention", async () => {
    const body = purchase();
    // No partition covers January 2020: the event lands in DEFAULT.
    assert.equal((await captureAt(key, body, "2020-01-15T12:00:00.000Z")).status, 202);
    const clock = new Date("2021-01-20T00:00:00.000Z");
    const run = await runRetention({ now: clock });
    assert.ok(run);
    for (const name of [
      "Event_y2020m01",
      "EventDedup_y2020m01",
      "Event_y2021m01",
      "Event_y2021m04",
      "EventDedup_y2021m04",
      "EventPayload_y2021m04",
    ])
      assert.ok(
        (await monthPartitions(database().raw, name.slice(0, name.indexOf("_y")))).some((p) => p.name === name),
        `${name} exists`,
      );
    const inDefault = await database().raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "Event_default" WHERE "workspaceId" = $1`,
      [ws.workspace.id],
    );
    assert.equal(inDefault[0]!.n, 0, "the row moved to its month");
    assert.equal(await db().event.count({ where: { workspaceId: ws.workspace.id, eventId: body.event_id } }), 1);

    // January 2020 ends 2020-02-01: it goes once that is more than the longest retention ago.
    const dropAt = monthsBefore(new Date("2020-02-01T00:00:00.000Z"), -run.longestMonths);
    const early = await runRetention({ now: new Date(dropAt.getTime() - 60_000) });
    assert.ok(!early?.dropped.includes("Event_y2020m01"), "kept a minute before");
    const late = await runRetention({ now: new Date(dropAt.getTime() + 60_000) });
    assert.ok(late?.dropped.includes("Event_y2020m01"));
    assert.ok(late?.dropped.includes("EventDedup_y2020m01"));
    assert.equal(await relationExists("EventPayload_y2020m01"), false, "its payloads went no later than it");
    assert.equal(await db().event.count({ where: { workspaceId: ws.workspace.id, eventId: body.event_id } }), 0);
  });

  test("a payload month is dropped once every workspace's payload retention has passed its end; the events stay", async () => {
    const body = purchase();
    // No partition covers March 2019: the event and its payload land in DEFAULT.
    assert.equal((await captureAt(key, body, "2019-03-10T12:00:00.000Z")).status, 202);
    const first = await runRetention({ now: new Date("2019-03-20T00:00:00.000Z") });
    assert.ok(first);
    assert.ok(await relationExists("EventPayload_y2019m03"), "the payload month was made and filled");
    const row = await storedEvent(ws.workspace.id, body.event_id);
    assert.deepEqual(row.payload, body);
    const inDefault = await database().raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "EventPayload_default" WHERE "eventRowId" = $1`,
      [row.id],
    );
    assert.equal(inDefault[0]!.n, 0, "the payload moved to its month");

    // March 2019 ends 2019-04-01: its payloads go once that is the longest payload retention ago.
    const dropAt = new Date(Date.parse("2019-04-01T00:00:00.000Z") + first.longestPayloadsDays * DAY);
    const early = await runRetention({ now: new Date(dropAt.getTime() - 60_000) });
    assert.ok(!early?.dropped.includes("EventPayload_y2019m03"), "kept a minute before");
    assert.deepEqual((await getEvent(ws.actors.admin, row.id)).payload, body);
    const late = await runRetention({ now: new Date(dropAt.getTime() + 60_000) });
    assert.ok(late?.dropped.includes("EventPayload_y2019m03"));
    assert.equal(await relationExists("EventPayload_y2019m03"), false, "the partition and its disk are gone");
    assert.ok(await relationExists("Event_y2019m03"), "the events' month stays");
    const detail = await getEvent(ws.actors.admin, row.id);
    assert.equal(detail.event_id, body.event_id, "the event row is intact");
    assert.deepEqual(detail.properties, body.properties);
    assert.deepEqual(detail.payload, EXPIRED_PAYLOAD, "the detail says the payload expired");
  });

  test("while another replica runs it (holding its lock), a run does nothing", async () => {
    const outcome = await database().session(async (raw) => {
      await raw.query("SELECT pg_advisory_lock(727274018)");
      try {
        // Embedded, the one connection is this session, which already holds the lock: the run goes ahead.
        return await runRetention();
      } finally {
        await raw.query("SELECT pg_advisory_unlock(727274018)");
      }
    });
    if (database().mode === "postgres") assert.equal(outcome, null);
    else assert.ok(outcome);
  });
});
