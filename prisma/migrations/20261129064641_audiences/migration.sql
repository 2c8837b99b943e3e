-- CreateTable
CREATE TABLE "Audience" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "sourceCohort" TEXT,
    "destinations" JSONB NOT NULL DEFAULT '[]',
    "memberCount" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Audience_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AudienceMember" (
    "audienceId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "profileId" TEXT,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AudienceMember_pkey" PRIMARY KEY ("audienceId","kind","value")
);

-- CreateTable
CREATE TABLE "AudienceSync" (
    "id" TEXT NOT NULL,
    "audienceId" TEXT NOT NULL,
    "via" TEXT NOT NULL,
    "requestRef" TEXT,
    "adds" INTEGER NOT NULL DEFAULT 0,
    "removes" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AudienceSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AudienceChange" (
    "syncId" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "profileId" TEXT,

    CONSTRAINT "AudienceChange_pkey" PRIMARY KEY ("syncId","kind","value")
);

-- CreateTable
CREATE TABLE "AudienceRequest" (
    "audienceId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "result" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AudienceRequest_pkey" PRIMARY KEY ("audienceId","requestId")
);

-- CreateTable
CREATE TABLE "AudienceStaging" (
    "audienceId" TEXT NOT NULL,
    "batchKey" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "totalPages" INTEGER NOT NULL,
    "pages" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AudienceStaging_pkey" PRIMARY KEY ("audienceId","batchKey")
);

-- CreateTable
CREATE TABLE "AudienceStagedMember" (
    "audienceId" TEXT NOT NULL,
    "batchKey" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "AudienceStagedMember_pkey" PRIMARY KEY ("audienceId","batchKey","kind","value")
);

-- CreateTable
CREATE TABLE "AudienceDelivery" (
    "id" TEXT NOT NULL,
    "seq" SERIAL NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "audienceId" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "syncId" TEXT,
    "full" BOOLEAN NOT NULL DEFAULT false,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastError" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "leasedBy" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "ack" JSONB,
    "sentAdds" INTEGER NOT NULL DEFAULT 0,
    "sentRemoves" INTEGER NOT NULL DEFAULT 0,
    "unmatchable" INTEGER NOT NULL DEFAULT 0,
    "members" INTEGER,
    "matchable" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AudienceDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AudienceDeliveryAttempt" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "requestUrl" TEXT NOT NULL,
    "requestMethod" TEXT NOT NULL DEFAULT 'POST',
    "requestHeaders" JSONB NOT NULL,
    "requestBody" JSONB,
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "latencyMs" INTEGER NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AudienceDeliveryAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HeapIntegration" (
    "workspaceId" TEXT NOT NULL,
    "urlToken" TEXT NOT NULL,
    "secretEncrypted" TEXT NOT NULL,
    "identityKind" TEXT NOT NULL DEFAULT 'user_id',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HeapIntegration_pkey" PRIMARY KEY ("workspaceId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Audience_workspaceId_key_key" ON "Audience"("workspaceId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Audience_workspaceId_sourceCohort_key" ON "Audience"("workspaceId", "sourceCohort");

-- CreateIndex
CREATE INDEX "AudienceMember_audienceId_profileId_idx" ON "AudienceMember"("audienceId", "profileId");

-- CreateIndex
CREATE INDEX "AudienceSync_audienceId_createdAt_idx" ON "AudienceSync"("audienceId", "createdAt");

-- CreateIndex
CREATE INDEX "AudienceDelivery_status_nextAttemptAt_idx" ON "AudienceDelivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "AudienceDelivery_audienceId_destinationId_createdAt_idx" ON "AudienceDelivery"("audienceId", "destinationId", "createdAt");

-- CreateIndex
CREATE INDEX "AudienceDeliveryAttempt_deliveryId_attempt_idx" ON "AudienceDeliveryAttempt"("deliveryId", "attempt");

-- CreateIndex
CREATE UNIQUE INDEX "HeapIntegration_urlToken_key" ON "HeapIntegration"("urlToken");

-- AddForeignKey
ALTER TABLE "Audience" ADD CONSTRAINT "Audience_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AudienceMember" ADD CONSTRAINT "AudienceMember_audienceId_fkey" FOREIGN KEY ("audienceId") REFERENCES "Audience"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AudienceSync" ADD CONSTRAINT "AudienceSync_audienceId_fkey" FOREIGN KEY ("audienceId") REFERENCES "Audience"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AudienceChange" ADD CONSTRAINT "AudienceChange_syncId_fkey" FOREIGN KEY ("syncId") REFERENCES "AudienceSync"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AudienceDelivery" ADD CONSTRAINT "AudienceDelivery_audienceId_fkey" FOREIGN KEY ("audienceId") REFERENCES "Audience"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AudienceDelivery" ADD CONSTRAINT "AudienceDelivery_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "Destination"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AudienceDeliveryAttempt" ADD CONSTRAINT "AudienceDeliveryAttempt_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "AudienceDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HeapIntegration" ADD CONSTRAINT "HeapIntegration_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

