// Keyset paging of the lists over growing tables (events, deliveries, audit log): walking the
// cursors forwards and back visits every row once — no duplicate, no gap — while new rows arrive,
// and costs no count of the table.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { closeDatabase, db } from "@/lib/db";
import { listDeliveries } from "@/lib/delivery/deliveries";
import { listEvents } from "@/lib/events/list-events";
import { listAuditLog } from "@/lib/registry/audit";
import { auditListQuerySchema } from "@/lib/validations/audit";
import { deliveryListQuerySchema } from "@/lib/validations/delivery";
import { eventListQuerySchema } from "@/lib/validations/events";
import { createTestWorkspace, type TestWorkspace } from "./helpers";

after(() => closeDatabase());

let ws: TestWorkspace;
let destinationId: string;
const base = Date.now() - 60 * 60_000;
let serial = 0;

/** `n` events (each with a delivery); every third shares its instant with the one before (ties on time). */
async function insertEvents(n: number, at: () => number) {
  const ids: string[] = [];
  let time = at();
  for (let i = 0; i < n; i++) {
    if ((serial + i) % 3 !== 0) time = at();
    const id = randomUUID();
    const receivedAt = new Date(time);
    await db().event.create({
      data: {
        id,
        workspaceId: ws.workspace.id,
        eventId: `page_${serial + i}`,
        dedupKey: `page_${serial + i}`,
        status: "unmapped",
        sourceEvent: "Paged",
        payloadHash: "h",
        occurredAt: receivedAt,
        receivedAt,
      },
    });
    await db().delivery.create({
      data: { id: randomUUID(), workspaceId: ws.workspace.id, eventRowId: id, destinationId, createdAt: receivedAt },
    });
    ids.push(id);
  }
  serial += n;
  return ids;
}

type Page = { rows: { id: string }[]; next_cursor: string | null; prev_cursor: string | null };

/** Follows next_cursor to the end (or prev_cursor to the start), calling `between` after each page. */
async function walk(
  read: (cursor?: string) => Promise<Page>,
  dir: "next" | "prev",
  start?: string,
  between?: () => Promise<void>,
) {
  const seen: string[] = [];
  let cursor = start;
  for (let pages = 0; pages < 100; pages++) {
    const page = await read(cursor);
    seen.push(...(dir === "next" ? page.rows.map((r) => r.id) : page.rows.map((r) => r.id).reverse()));
    await between?.();
    const following = dir === "next" ? page.next_cursor : page.prev_cursor;
    if (!following) return { seen, last: page };
    cursor = following;
  }
  throw new Error("the cursors never ended");
}

const duplicates = (ids: string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);

before(async () => {
  ws = await createTestWorkspace();
  const destination = await db().destination.findFirstOrThrow({ where: { workspaceId: ws.workspace.id } });
  destinationId = destination.id;
  let t = base;
  await insertEvents(47, () => (t += 1000));
});

describe("keyset paging", () => {
  const events = (query: Record<string, unknown>) => (cursor?: string) =>
    listEvents(ws.actors.viewer, eventListQuerySchema.parse({ ...query, cursor }));

  test("events newest first: every row once while newer events arrive, then back to the newest", async () => {
    const before = await db().event.findMany({
      where: { workspaceId: ws.workspace.id },
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      select: { id: true },
    });
    const arrived: string[] = [];
    const forward = await walk(events({ per_page: 10 }), "next", undefined, async () => {
      arrived.push(...(await insertEvents(2, () => Date.now())));
    });
    assert.deepEqual(duplicates(forward.seen), []);
    assert.deepEqual(
      forward.seen,
      before.map((e) => e.id),
      "exactly the rows there were, in order",
    );
    assert.equal(forward.last.rows.length, 7);

    // Back from the last page: every earlier row, then the ones that arrived meanwhile.
    const back = await walk(events({ per_page: 10 }), "prev", forward.last.prev_cursor!);
    const all = [...back.seen.reverse(), ...forward.last.rows.map((r) => r.id)];
    assert.deepEqual(duplicates(all), []);
    assert.equal(all.length, before.length + arrived.length);
    assert.deepEqual(new Set(all), new Set([...before.map((e) => e.id), ...arrived]));
  });

  test("events oldest first: new events join the end of the walk, each once", async () => {
    const count = await db().event.count({ where: { workspaceId: ws.workspace.id } });
    const arrived: string[] = [];
    const forward = await walk(events({ per_page: 9, order: "asc" }), "next", undefined, async () => {
      if (arrived.length < 6) arrived.push(...(await insertEvents(3, () => Date.now())));
    });
    assert.deepEqual(duplicates(forward.seen), []);
    assert.equal(forward.seen.length, count + arrived.length);
    assert.deepEqual(forward.seen.slice(-arrived.length), arrived);
  });

  test("a filter pages the same way; the first page has no previous", async () => {
    const first = await events({ per_page: 5, status: "unmapped" })();
    assert.equal(first.prev_cursor, null);
    const second = await events({ per_page: 5, status: "unmapped" })(first.next_cursor!);
    assert.ok(second.prev_cursor);
    const again = await events({ per_page: 5, status: "unmapped" })(second.prev_cursor!);
    assert.deepEqual(
      again.rows.map((r) => r.id),
      first.rows.map((r) => r.id),
    );
    assert.equal((await events({ per_page: 5, status: "rejected" })()).next_cursor, null);
  });

  test("deliveries newest first: every row once while new ones are queued", async () => {
    const count = await db().delivery.count({ where: { workspaceId: ws.workspace.id } });
    const read = (cursor?: string) =>
      listDeliveries(ws.actors.viewer, deliveryListQuerySchema.parse({ per_page: 8, cursor }));
    const forward = await walk(read, "next", undefined, async () => void (await insertEvents(1, () => Date.now())));
    assert.deepEqual(duplicates(forward.seen), []);
    assert.equal(forward.seen.length, count);
    const back = await walk(read, "prev", forward.last.prev_cursor!);
    assert.deepEqual(duplicates(back.seen), []);
    assert.ok(back.seen.length >= count - forward.last.rows.length);
  });

  test("the audit log pages by cursor", async () => {
    for (let i = 0; i < 7; i++)
      await db().auditLog.create({
        data: {
          workspaceId: ws.workspace.id,
          actorLabel: "test",
          action: "test.page",
          entityType: "test",
          entityId: String(i),
          summary: `entry ${i}`,
        },
      });
    const read = (cursor?: string) =>
      listAuditLog(ws.actors.admin, auditListQuerySchema.parse({ action: "test.page", per_page: 3, cursor }));
    const { seen } = await walk(read, "next");
    assert.deepEqual(seen.map((id) => id).length, 7);
    assert.deepEqual(duplicates(seen), []);
  });

  test("a cursor that is not one is refused on its field", () => {
    for (const cursor of ["nonsense", Buffer.from('["x","y","next"]').toString("base64url")]) {
      const parsed = eventListQuerySchema.safeParse({ cursor });
      assert.equal(parsed.success, false);
      assert.deepEqual(parsed.error?.issues[0]?.path, ["cursor"]);
    }
  });
});
