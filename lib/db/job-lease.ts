// A job that one process at a time runs (retention): a row naming its holder until a time (the
// database's clock), taken and given back with one statement each; a holder that dies lets it lapse.
// A row, not a session advisory lock: a transaction-mode pooler (PgBouncer) may run each transaction
// on another server connection, so a session lock could be taken on one and "released" on another,
// and stay held for good by a connection idle in the pooler.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { RawSql } from "@/lib/db/connection";

/** This process, as a lease holder. */
export const PROCESS_HOLDER = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/** Takes the lease `name` for `ms` if it is free, lapsed or already ours; says whether we hold it. */
export async function takeLease(raw: RawSql, name: string, ms: number, holder = PROCESS_HOLDER): Promise<boolean> {
  const rows = await raw.query(
    `INSERT INTO "JobLease" ("name", "holder", "until")
     VALUES ($1, $2, (now() AT TIME ZONE 'UTC') + $3::int * interval '1 millisecond')
     ON CONFLICT ("name") DO UPDATE SET "holder" = EXCLUDED."holder", "until" = EXCLUDED."until"
     WHERE "JobLease"."until" < (now() AT TIME ZONE 'UTC') OR "JobLease"."holder" = EXCLUDED."holder"
     RETURNING "holder"`,
    [name, holder, ms],
  );
  return rows.length > 0;
}

/** Gives the lease back (if still ours): free at once for any process. */
export async function releaseLease(raw: RawSql, name: string, holder = PROCESS_HOLDER): Promise<void> {
  await raw.query(`UPDATE "JobLease" SET "until" = timestamp '1970-01-01' WHERE "name" = $1 AND "holder" = $2`, [
    name,
    holder,
  ]);
}
