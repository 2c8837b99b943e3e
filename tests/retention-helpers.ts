// Shared by the retention tests: a purchase call with a fresh event_id, day arithmetic, and catalog checks.
import { after, before } from "node:test";
import { closeDatabase, database } from "@/lib/db";
import { createTestWorkspace, type TestWorkspace } from "./helpers";
import { writeKeyFor } from "./ingest-helpers";

let n = 0;
export const uid = (p: string) => `${p}_${++n}_${Math.random().toString(36).slice(2, 7)}`;
export const purchase = (overrides: Record<string, unknown> = {}) => ({
  event: "purchase",
  event_id: uid("ord"),
  user_id: "cust_1",
  properties: { order_id: "ord_1", value: 10, currency: "EUR" },
  source: "heap",
  ...overrides,
});
export const DAY = 86_400_000;
export const daysAgo = (now: Date, days: number) => new Date(now.getTime() - days * DAY).toISOString();
/** Where a row physically is: an UPDATE moves it, so an unchanged ctid means the row was not rewritten. */
export const ctidOf = async (id: string) =>
  (await database().raw.query<{ ctid: string }>(`SELECT ctid::text AS "ctid" FROM "Event" WHERE "id" = $1`, [id]))[0]
    ?.ctid;
export const relationExists = async (name: string) =>
  (await database().raw.query<{ t: string | null }>(`SELECT to_regclass($1)::text AS "t"`, [`"${name}"`]))[0]?.t !==
  null;

/** A retention test file's workspace and its Heap write key (set up before its tests; the database closed after). */
export function retentionSuite(): { ws: TestWorkspace; key: string } {
  const suite = {} as { ws: TestWorkspace; key: string };
  before(async () => {
    suite.ws = await createTestWorkspace();
    suite.key = await writeKeyFor(suite.ws, "heap");
  });
  after(() => closeDatabase());
  return suite;
}
