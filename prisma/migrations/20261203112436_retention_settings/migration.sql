-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "canonicalEventId" TEXT;

-- The deliveries log filters by it without joining the (soon partitioned) events.
UPDATE "Delivery" d SET "canonicalEventId" = e."canonicalEventId" FROM "Event" e WHERE e."id" = d."eventRowId";

-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "retentionAuditLogDays" INTEGER NOT NULL DEFAULT 730,
ADD COLUMN     "retentionDeadLettersDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "retentionDeliveryLogsDays" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "retentionEventsMonths" INTEGER NOT NULL DEFAULT 13,
ADD COLUMN     "retentionPayloadsDays" INTEGER NOT NULL DEFAULT 90,
ADD COLUMN     "retentionViolationSamplesDays" INTEGER NOT NULL DEFAULT 90;

-- CreateTable
CREATE TABLE "RetentionCursor" (
    "workspaceId" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "position" TIMESTAMP(3) NOT NULL,
    "positionId" TEXT NOT NULL DEFAULT '',
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RetentionCursor_pkey" PRIMARY KEY ("workspaceId","task")
);

-- CreateIndex
CREATE INDEX "DuplicateCall_workspaceId_receivedAt_idx" ON "DuplicateCall"("workspaceId", "receivedAt");

