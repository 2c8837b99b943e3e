// Each destination's outbox at a glance: backlog (pending + retrying) and dead letters counted up to
// a cap, the oldest waiting row and the newest error. Index probes on (workspace, destination,
// status, createdAt) only: a view never counts the whole outbox (millions of rows at scale).
import { database } from "@/lib/db";
import type { RawSql } from "@/lib/db/connection";

/** Counted exactly up to this many; a view says "1,000+" beyond it. */
export const OUTBOX_COUNT_CAP = 1_000;

export interface OutboxState {
  /** Pending and retrying rows, at most OUTBOX_COUNT_CAP. */
  backlog: number;
  dead: number;
  /** True when there are more than the count says (it stopped at the cap). */
  backlogCapped: boolean;
  deadCapped: boolean;
  /** When the oldest pending or retrying row was created. */
  oldestPendingAt: Date | null;
  /** The error of the newest retrying or dead row. */
  lastError: string | null;
}

const rows = (status: string) =>
  `"Delivery" x WHERE x."workspaceId" = d."workspaceId" AND x."destinationId" = d."id" AND x."status" = '${status}'`;
const capped = (statuses: string[]) =>
  `(SELECT count(*) FROM (SELECT 1 FROM (${statuses.map((s) => `(SELECT 1 FROM ${rows(s)} LIMIT $2)`).join(" UNION ALL ")}) u LIMIT $2) c)::int`;

const OUTBOX_STATE_SQL = `SELECT d."id" AS "dest", ${capped(["pending", "retrying"])} AS "backlog", ${capped(["dead"])} AS "dead",
  (SELECT (extract(epoch FROM min(o."at")) * 1000)::bigint::text FROM (
     (SELECT x."createdAt" AS "at" FROM ${rows("pending")} ORDER BY x."createdAt" LIMIT 1)
     UNION ALL (SELECT x."createdAt" FROM ${rows("retrying")} ORDER BY x."createdAt" LIMIT 1)) o) AS "oldest",
  (SELECT e."error" FROM (
     (SELECT x."lastError" AS "error", x."createdAt" AS "at" FROM ${rows("retrying")} AND x."lastError" IS NOT NULL ORDER BY x."createdAt" DESC LIMIT 1)
     UNION ALL (SELECT x."lastError", x."createdAt" FROM ${rows("dead")} AND x."lastError" IS NOT NULL ORDER BY x."createdAt" DESC LIMIT 1)) e
   ORDER BY e."at" DESC LIMIT 1) AS "lastError"
FROM "Destination" d WHERE d."workspaceId" = $1`;

/** The outbox state of every destination of the workspace, by destination id. */
export async function outboxState(
  workspaceId: string,
  raw: RawSql = database().raw,
): Promise<Map<string, OutboxState>> {
  const found = await raw.query<{
    dest: string;
    backlog: number;
    dead: number;
    oldest: string | null;
    lastError: string | null;
  }>(OUTBOX_STATE_SQL, [workspaceId, OUTBOX_COUNT_CAP + 1]);
  return new Map(
    found.map((r) => [
      r.dest,
      {
        backlog: Math.min(r.backlog, OUTBOX_COUNT_CAP),
        dead: Math.min(r.dead, OUTBOX_COUNT_CAP),
        backlogCapped: r.backlog > OUTBOX_COUNT_CAP,
        deadCapped: r.dead > OUTBOX_COUNT_CAP,
        oldestPendingAt: r.oldest ? new Date(Number(r.oldest)) : null,
        lastError: r.lastError,
      },
    ]),
  );
}
