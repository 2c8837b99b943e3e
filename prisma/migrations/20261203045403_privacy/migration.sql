-- AlterEnum
ALTER TYPE "EventStatus" ADD VALUE 'suppressed';

-- CreateTable
CREATE TABLE "PrivacyDeletion" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "identifierKind" TEXT NOT NULL,
    "identifierHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "step" TEXT NOT NULL DEFAULT 'suppress',
    "sealedSubject" TEXT,
    "receipt" JSONB NOT NULL DEFAULT '{}',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "lastError" TEXT,
    "requestedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "PrivacyDeletion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrivacySuppression" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "identifierKind" TEXT NOT NULL,
    "identifierHash" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "deletionId" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PrivacySuppression_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PrivacyDeletion_workspaceId_createdAt_idx" ON "PrivacyDeletion"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "PrivacyDeletion_status_nextAttemptAt_idx" ON "PrivacyDeletion"("status", "nextAttemptAt");

-- CreateIndex
CREATE UNIQUE INDEX "PrivacySuppression_workspaceId_identifierKind_identifierHas_key" ON "PrivacySuppression"("workspaceId", "identifierKind", "identifierHash");

-- AddForeignKey
ALTER TABLE "PrivacyDeletion" ADD CONSTRAINT "PrivacyDeletion_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrivacySuppression" ADD CONSTRAINT "PrivacySuppression_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

