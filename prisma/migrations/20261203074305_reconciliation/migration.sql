-- AlterTable
ALTER TABLE "DeliveryAttempt" ADD COLUMN     "code" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "DeliveryRollup" DROP CONSTRAINT "DeliveryRollup_pkey",
ADD COLUMN     "reason" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "DeliveryRollup_pkey" PRIMARY KEY ("workspaceId", "bucket", "destinationId", "canonicalEventId", "outcome", "reason", "latencyBucket");

-- CreateTable
CREATE TABLE "DuplicateCall" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "originalId" TEXT NOT NULL,
    "sourceId" TEXT,
    "sourceEvent" TEXT NOT NULL,
    "mappingId" TEXT,
    "canonicalEventId" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "DuplicateCall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "DuplicateCall_seq_idx" ON "DuplicateCall" USING BRIN ("seq");

-- AddForeignKey
ALTER TABLE "DuplicateCall" ADD CONSTRAINT "DuplicateCall_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

