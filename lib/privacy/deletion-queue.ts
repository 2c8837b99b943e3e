// The worker's privacy queue: claims one due deletion request at a time (FOR UPDATE SKIP LOCKED +
// a lease, so one worker runs it; a dead worker's lease lapses and another resumes it) and runs it.
// An unexpected failure is recorded and retried with backoff; after the last try the request
// is "failed" with the step it stopped at — a half-erased person is always reported as such.
import { database, db } from "@/lib/db";
import { DELETION_MAX_ATTEMPTS, type DeletionRunOptions, runDeletion } from "@/lib/privacy/run-deletion";

export const DELETION_LEASE_MS = 5 * 60_000;

/** Leases the oldest due request; null when none is due. */
export async function claimDeletion(now = new Date(), leaseMs = DELETION_LEASE_MS): Promise<string | null> {
  const [row] = await database().raw.query<{ id: string }>(
    `UPDATE "PrivacyDeletion" SET "status" = 'running', "leaseUntil" = $2::timestamp, "updatedAt" = now()
     WHERE "id" = (SELECT "id" FROM "PrivacyDeletion" WHERE "status" IN ('pending', 'running') AND "nextAttemptAt" <= $1::timestamp
                   AND ("leaseUntil" IS NULL OR "leaseUntil" < $1::timestamp) ORDER BY "createdAt" LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING "id"`,
    [now.toISOString(), new Date(now.getTime() + leaseMs).toISOString()],
  );
  return row?.id ?? null;
}

/** One pass: runs the due requests one after another (at most `limit`); returns how many it took. */
export async function runDueDeletions(opts: DeletionRunOptions & { limit?: number } = {}): Promise<number> {
  let taken = 0;
  for (; taken < (opts.limit ?? 5); taken++) {
    const now = opts.now?.() ?? new Date();
    const id = await claimDeletion(now);
    if (!id) break;
    try {
      await runDeletion(id, opts);
    } catch (error) {
      const row = await db().privacyDeletion.findUniqueOrThrow({ where: { id } });
      const attempts = row.attempts + 1;
      const last = attempts >= (opts.maxAttempts ?? DELETION_MAX_ATTEMPTS);
      // The message names the step and the database's complaint, never the person.
      const reason = `${row.step}: ${(error as Error).message}`.slice(0, 300);
      await db().privacyDeletion.update({
        where: { id },
        data: {
          attempts,
          lastError: last ? `stopped at step ${row.step} — the person is only partly erased: ${reason}` : reason,
          status: last ? "failed" : "running",
          leaseUntil: null,
          nextAttemptAt: new Date(now.getTime() + Math.min(60_000 * 2 ** (attempts - 1), 3_600_000)),
        },
      });
    }
  }
  return taken;
}
