-- DropIndex
DROP INDEX "Delivery_workspaceId_destinationId_status_idx";

-- CreateTable
CREATE TABLE "EventStatusRollup" (
    "workspaceId" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "canonicalEventId" TEXT NOT NULL DEFAULT '',
    "mappingId" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "EventStatusRollup_pkey" PRIMARY KEY ("workspaceId","bucket","canonicalEventId","mappingId","status")
);

-- CreateTable
CREATE TABLE "DeliveryHealthRollup" (
    "workspaceId" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "destinationId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "latencyBucket" INTEGER NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "latencySumMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryHealthRollup_pkey" PRIMARY KEY ("workspaceId","bucket","destinationId","outcome","latencyBucket")
);

-- CreateIndex
CREATE INDEX "Delivery_workspaceId_destinationId_status_createdAt_idx" ON "Delivery"("workspaceId", "destinationId", "status", "createdAt");

-- AddForeignKey
ALTER TABLE "EventStatusRollup" ADD CONSTRAINT "EventStatusRollup_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryHealthRollup" ADD CONSTRAINT "DeliveryHealthRollup_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: what the aggregator has counted so far, summed from the detailed rollups (same checkpoint:
-- later rows are counted into both by the aggregator, in one transaction).
INSERT INTO "EventStatusRollup" ("workspaceId","bucket","canonicalEventId","mappingId","status","count")
SELECT "workspaceId", "bucket", "canonicalEventId", CASE WHEN "canonicalEventId" = '' THEN "mappingId" ELSE '' END, "status", sum("count")
FROM "EventRollup" GROUP BY 1, 2, 3, 4, 5;

INSERT INTO "DeliveryHealthRollup" ("workspaceId","bucket","destinationId","outcome","latencyBucket","count","latencySumMs")
SELECT "workspaceId", "bucket", "destinationId", "outcome", "latencyBucket", sum("count"), sum("latencySumMs")
FROM "DeliveryRollup" WHERE "outcome" <> 'queued' GROUP BY 1, 2, 3, 4, 5;
