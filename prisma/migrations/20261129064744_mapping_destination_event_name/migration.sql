-- AlterTable
ALTER TABLE "MappingDestination" ADD COLUMN     "eventName" TEXT;

