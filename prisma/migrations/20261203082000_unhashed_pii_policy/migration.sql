-- AlterTable
ALTER TABLE "Workspace" ADD COLUMN     "unhashedPiiPolicy" TEXT NOT NULL DEFAULT 'block';

