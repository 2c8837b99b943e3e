-- DropIndex
DROP INDEX "Event_workspaceId_resolvedUserId_idx";

-- CreateTable
CREATE TABLE "ComputedTraitInput" (
    "id" BIGSERIAL NOT NULL,
    "profileId" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ComputedTraitInput_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ComputedTraitInput_dueAt_idx" ON "ComputedTraitInput"("dueAt");

-- CreateIndex
CREATE INDEX "ComputedTraitInput_profileId_idx" ON "ComputedTraitInput"("profileId");

-- CreateIndex
CREATE INDEX "Event_workspaceId_resolvedUserId_occurredAt_idx" ON "Event"("workspaceId", "resolvedUserId", "occurredAt");


-- Input marks waiting in the old queue move to the append-only table.
INSERT INTO "ComputedTraitInput" ("profileId", "workspaceId", "dueAt")
SELECT "profileId", "workspaceId", "dueAt" FROM "ComputedTraitQueue" WHERE "kind" = 'input';
DELETE FROM "ComputedTraitQueue" WHERE "kind" = 'input';
