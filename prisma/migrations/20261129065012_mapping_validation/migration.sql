-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "requireValidation" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "WriteKey" ADD COLUMN     "test" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "MappingValidation" (
    "id" TEXT NOT NULL,
    "workspaceId" TEXT NOT NULL,
    "mappingId" TEXT NOT NULL,
    "revisionId" TEXT NOT NULL,
    "eventRowId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "checks" JSONB NOT NULL,
    "validatedById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MappingValidation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MappingValidation_mappingId_createdAt_idx" ON "MappingValidation"("mappingId", "createdAt");

-- AddForeignKey
ALTER TABLE "MappingValidation" ADD CONSTRAINT "MappingValidation_mappingId_fkey" FOREIGN KEY ("mappingId") REFERENCES "Mapping"("id") ON DELETE CASCADE ON UPDATE CASCADE;

