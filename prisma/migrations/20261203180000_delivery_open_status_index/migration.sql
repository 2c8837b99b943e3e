-- Hand-written (Prisma's schema cannot express a partial index; its migrate diff does not see one).
-- A destination's rows by status (backlog, dead letters, the oldest waiting row, the newest error:
-- lib/delivery/outbox-state.ts) are only ever asked for the statuses still open or failed. Indexing
-- succeeded rows too cost every delivery one more index entry when its outcome was written (the
-- outcome changes the status, so it is never a HOT update): a succeeded row now leaves this index
-- as it leaves the due queue, and the deliveries log finds succeeded rows by (workspaceId, createdAt).
DROP INDEX "Delivery_workspaceId_destinationId_status_createdAt_idx";
CREATE INDEX "Delivery_open_status_idx" ON "Delivery"("workspaceId", "destinationId", "status", "createdAt")
  WHERE "status" <> 'succeeded';
