-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('accepted', 'held', 'unmapped', 'rejected', 'duplicate_conflict');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'succeeded', 'retrying', 'dead');

-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "dedupKey" TEXT,
    "status" "EventStatus" NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'capture',
    "sourceId" TEXT,
    "sourceEvent" TEXT NOT NULL,
    "canonicalEventId" TEXT,
    "mappingId" TEXT,
    "mappingRevisionId" TEXT,
    "userId" TEXT,
    "anonymousId" TEXT,
    "resolvedUserId" TEXT,
    "profileId" TEXT,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "context" JSONB,
    "payload" JSONB NOT NULL,
    "payloadHash" TEXT NOT NULL,
    "problems" JSONB,
    "originalId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "writeKeyId" TEXT,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Profile" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "traits" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Profile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProfileIdentity" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "anonymousId" TEXT NOT NULL,
    "linkedVia" TEXT NOT NULL,
    "linkedByRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProfileIdentity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TraitChange" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "profileId" TEXT NOT NULL,
    "trait" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "via" TEXT NOT NULL,
    "callRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TraitChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdentityConflict" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "anonymousId" TEXT NOT NULL,
    "existingUserId" TEXT NOT NULL,
    "attemptedUserId" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "callRef" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdentityConflict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "eventRowId" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Event_workspaceId_receivedAt_idx" ON "Event"("workspaceId", "receivedAt");

-- CreateIndex
CREATE INDEX "Event_workspaceId_status_receivedAt_idx" ON "Event"("workspaceId", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "Event_workspaceId_mappingId_status_receivedAt_idx" ON "Event"("workspaceId", "mappingId", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "Event_workspaceId_anonymousId_idx" ON "Event"("workspaceId", "anonymousId");

-- CreateIndex
CREATE INDEX "Event_workspaceId_resolvedUserId_idx" ON "Event"("workspaceId", "resolvedUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Event_workspaceId_dedupKey_key" ON "Event"("workspaceId", "dedupKey");

-- CreateIndex
CREATE UNIQUE INDEX "Profile_workspaceId_userId_key" ON "Profile"("workspaceId", "userId");

-- CreateIndex
CREATE INDEX "ProfileIdentity_profileId_idx" ON "ProfileIdentity"("profileId");

-- CreateIndex
CREATE UNIQUE INDEX "ProfileIdentity_workspaceId_anonymousId_key" ON "ProfileIdentity"("workspaceId", "anonymousId");

-- CreateIndex
CREATE INDEX "TraitChange_profileId_createdAt_idx" ON "TraitChange"("profileId", "createdAt");

-- CreateIndex
CREATE INDEX "IdentityConflict_workspaceId_createdAt_idx" ON "IdentityConflict"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "IdentityConflict_workspaceId_anonymousId_idx" ON "IdentityConflict"("workspaceId", "anonymousId");

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_workspaceId_destinationId_status_idx" ON "Delivery"("workspaceId", "destinationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Delivery_eventRowId_destinationId_key" ON "Delivery"("eventRowId", "destinationId");

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Profile" ADD CONSTRAINT "Profile_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProfileIdentity" ADD CONSTRAINT "ProfileIdentity_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TraitChange" ADD CONSTRAINT "TraitChange_profileId_fkey" FOREIGN KEY ("profileId") REFERENCES "Profile"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_eventRowId_fkey" FOREIGN KEY ("eventRowId") REFERENCES "Event"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "Destination"("id") ON DELETE CASCADE ON UPDATE CASCADE;

