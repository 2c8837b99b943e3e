-- AlterEnum
ALTER TYPE "DestinationType" ADD VALUE 'heap';

-- CreateTable
CREATE TABLE "ComputedTraitDefinition" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "rule" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ComputedTraitDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComputedTraitQueue" (
    "profileId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "detail" TEXT NOT NULL DEFAULT '',

    CONSTRAINT "ComputedTraitQueue_pkey" PRIMARY KEY ("profileId","kind")
);

-- CreateTable
CREATE TABLE "ProfileComputedTrait" (
    "profileId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProfileComputedTrait_pkey" PRIMARY KEY ("profileId","key")
);

-- CreateTable
CREATE TABLE "ComputedTraitChange" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB,
    "previous" JSONB,
    "reason" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ComputedTraitChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TraitSync" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "identity" TEXT NOT NULL,
    "properties" JSONB NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "leasedBy" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "ack" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TraitSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TraitSyncAttempt" (
    "id" TEXT NOT NULL,
    "syncId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "requestUrl" TEXT NOT NULL,
    "requestHeaders" JSONB NOT NULL,
    "requestBody" JSONB,
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "latencyMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "nextAttemptAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TraitSyncAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ComputedTraitDefinition_workspaceId_key_key" ON "ComputedTraitDefinition"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "ComputedTraitQueue_dueAt_idx" ON "ComputedTraitQueue"("dueAt");

-- CreateIndex
CREATE INDEX "ProfileComputedTrait_workspaceId_key_idx" ON "ProfileComputedTrait"("workspaceId", "key");

-- CreateIndex
CREATE INDEX "ComputedTraitChange_profileId_createdAt_idx" ON "ComputedTraitChange"("profileId", "createdAt");

-- CreateIndex
CREATE INDEX "TraitSync_status_nextAttemptAt_idx" ON "TraitSync"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "TraitSync_destinationId_profileId_status_idx" ON "TraitSync"("destinationId", "profileId", "status");

-- CreateIndex
CREATE INDEX "TraitSync_profileId_idx" ON "TraitSync"("profileId");

-- CreateIndex
CREATE INDEX "TraitSyncAttempt_syncId_attempt_idx" ON "TraitSyncAttempt"("syncId", "attempt");

-- AddForeignKey
ALTER TABLE "ComputedTraitDefinition" ADD CONSTRAINT "ComputedTraitDefinition_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileComputedTrait" ADD CONSTRAINT "ProfileComputedTrait_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ComputedTraitChange" ADD CONSTRAINT "ComputedTraitChange_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TraitSync" ADD CONSTRAINT "TraitSync_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "Destination"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TraitSyncAttempt" ADD CONSTRAINT "TraitSyncAttempt_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "TraitSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

