-- AlterTable
ALTER TABLE "DeliveryAttempt" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- AlterTable
ALTER TABLE "Event" ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateTable
CREATE TABLE "EventRollup" (
    "workspaceId" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "sourceId" TEXT NOT NULL DEFAULT '',
    "sourceEvent" TEXT NOT NULL,
    "mappingId" TEXT NOT NULL DEFAULT '',
    "canonicalEventId" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EventRollup_pkey" PRIMARY KEY ("workspaceId","bucket","sourceId","sourceEvent","mappingId","canonicalEventId","status")
);

-- CreateTable
CREATE TABLE "DeliveryRollup" (
    "workspaceId" TEXT NOT NULL,
    "bucket" TIMESTAMP(3) NOT NULL,
    "destinationId" TEXT NOT NULL,
    "canonicalEventId" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "latencyBucket" INTEGER NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "latencySumMs" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryRollup_pkey" PRIMARY KEY ("workspaceId","bucket","destinationId","canonicalEventId","outcome","latencyBucket")
);

-- CreateTable
CREATE TABLE "RollupCheckpoint" (
    "stream" TEXT NOT NULL,
    "position" BIGINT NOT NULL DEFAULT 0,
    "pendingPosition" BIGINT,
    "pendingAt" TIMESTAMPTZ(6),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RollupCheckpoint_pkey" PRIMARY KEY ("stream")
);

-- CreateIndex
CREATE INDEX "EventRollup_workspaceId_status_bucket_idx" ON "EventRollup"("workspaceId", "status", "bucket");

-- CreateIndex
CREATE INDEX "EventRollup_workspaceId_mappingId_bucket_idx" ON "EventRollup"("workspaceId", "mappingId", "bucket");

-- CreateIndex
CREATE INDEX "EventRollup_workspaceId_sourceEvent_bucket_idx" ON "EventRollup"("workspaceId", "sourceEvent", "bucket");

-- CreateIndex
CREATE INDEX "DeliveryRollup_workspaceId_destinationId_bucket_idx" ON "DeliveryRollup"("workspaceId", "destinationId", "bucket");

-- CreateIndex
CREATE INDEX "DeliveryAttempt_seq_idx" ON "DeliveryAttempt" USING BRIN ("seq");

-- CreateIndex
CREATE INDEX "Event_seq_idx" ON "Event" USING BRIN ("seq");

-- AddForeignKey
ALTER TABLE "EventRollup" ADD CONSTRAINT "EventRollup_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DeliveryRollup" ADD CONSTRAINT "DeliveryRollup_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

