-- Hand-written (Prisma's schema can express neither a storage parameter nor a partial index).
-- Each outbox row is rewritten twice soon after it is written: the claim's lease, then the outcome.

-- Room on every page for those versions: the lease changes no indexed column, so with room on its
-- page it is a HOT update (no index entry written); the outcome's version lands beside it, and the
-- page is pruned of the dead versions as it is read. Applies to pages written from now on.
ALTER TABLE "Delivery" SET (fillfactor = 40);

-- The due queue indexes only rows still to send: a settled row (succeeded, dead, skipped) leaves it
-- with its outcome, so the claim scans what is due, not the whole history. (Prisma's migrate diff
-- does not see partial indexes: the schema lists neither the old index nor this one.)
DROP INDEX "Delivery_status_nextAttemptAt_idx";
CREATE INDEX "Delivery_due_idx" ON "Delivery"("status", "nextAttemptAt") WHERE "status" IN ('pending', 'retrying');
