// A destination's outbox at a glance (destinations page, API, overview, backlog alert): backlog and
// dead letters counted up to the cap, the oldest waiting row, the newest error — per destination,
// never another workspace's rows.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { closeDatabase, database, db } from "@/lib/db";
import { listDestinations } from "@/lib/delivery/manage-destinations";
import { OUTBOX_COUNT_CAP } from "@/lib/delivery/outbox-state";
import { readOverview } from "@/lib/metrics/overview";
import { ago, HOUR, insertEvent, MIN } from "./event-fixtures";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

let ws: TestWorkspace;
let other: TestWorkspace;
before(async () => {
  ws = await createTestWorkspace();
  other = await createTestWorkspace();
});
after(() => closeDatabase());

const destination = (w: TestWorkspace, name: string) =>
  db().destination.create({ data: { workspaceId: w.workspace.id, type: "webhook", name, config: {} } });

/** `n` deliveries of one event each to the destination, in `status`, created `createdAt`. */
async function deliveries(
  w: TestWorkspace,
  destinationId: string,
  status: string,
  n: number,
  createdAt: Date,
  lastError: string | null = null,
) {
  const eventId = await insertEvent(w, { status: "accepted", sourceEvent: "purchase" });
  // One event, one delivery per destination: the other rows hang off copies of that event.
  await database().raw.query(
    `WITH ev AS (
       INSERT INTO "Event" ("id","workspaceId","eventId","status","sourceEvent","payloadHash","occurredAt","receivedAt")
       SELECT $1 || '_' || i, "workspaceId", "eventId" || '_' || i, "status", "sourceEvent", "payloadHash", "occurredAt", "receivedAt"
       FROM "Event", generate_series(1, $2::int) AS i WHERE "id" = $1 RETURNING "id", "workspaceId")
     INSERT INTO "Delivery" ("id","workspaceId","eventRowId","destinationId","status","createdAt","updatedAt","lastError")
     SELECT 'dl_' || ev."id", ev."workspaceId", ev."id", $3, $4::"DeliveryStatus", $5::timestamp, $5::timestamp, $6 FROM ev`,
    [eventId, n, destinationId, status, createdAt.toISOString(), lastError],
  );
}

describe("outbox state", () => {
  test("backlog, dead letters, the oldest waiting row and the newest error, per destination", async () => {
    const hook = await destination(ws, "Outbox hook");
    const quiet = await destination(ws, "Outbox quiet");
    await deliveries(ws, hook.id, "pending", 3, ago(40 * MIN));
    await deliveries(ws, hook.id, "retrying", 2, ago(2 * HOUR), "HTTP 503 older");
    await deliveries(ws, hook.id, "dead", 4, ago(10 * MIN), "HTTP 400 newest");
    await deliveries(ws, hook.id, "succeeded", 5, ago(3 * HOUR));
    // Another workspace's rows never count.
    const theirs = await destination(other, "Outbox hook");
    await deliveries(other, theirs.id, "dead", 7, ago(MIN), "not yours");

    const { rows } = await listDestinations(ws.actors.viewer);
    const health = (id: string) => rows.find((r) => r.id === id)?.health;
    assert.deepEqual(health(hook.id), {
      backlog: 5,
      backlog_capped: false,
      dead: 4,
      dead_capped: false,
      success_rate_24h: null,
      p95_latency_ms_24h: null,
      last_error: "HTTP 400 newest",
    });
    assert.equal(health(quiet.id)?.backlog, 0);
    assert.equal(health(quiet.id)?.last_error, null);

    const overview = await readOverview(ws.actors.viewer, { period: "24h" });
    const shown = overview.destinations.find((d) => d.id === hook.id)!;
    assert.equal(shown.backlog, 5);
    assert.equal(Math.round((Date.now() - shown.oldestPendingAt!.getTime()) / MIN), 120, "the retrying row is oldest");
  });

  test("counts stop at the cap and say so", async () => {
    const busy = await destination(ws, "Outbox busy");
    await deliveries(ws, busy.id, "dead", OUTBOX_COUNT_CAP + 5, ago(HOUR), "HTTP 500");
    const { rows } = await listDestinations(ws.actors.viewer);
    const health = rows.find((r) => r.id === busy.id)?.health;
    assert.deepEqual([health?.dead, health?.dead_capped, health?.backlog_capped], [OUTBOX_COUNT_CAP, true, false]);
  });
});
