-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "approvalRejectionThresholdPct" INTEGER NOT NULL DEFAULT 20;

-- CreateIndex
CREATE INDEX "Event_workspaceId_sourceId_sourceEvent_receivedAt_idx" ON "Event"("workspaceId", "sourceId", "sourceEvent", "receivedAt");

