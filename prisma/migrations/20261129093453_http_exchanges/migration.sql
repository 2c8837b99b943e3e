-- One row per HTTP exchange with a platform (HttpExchange); the attempt logs keep thin rows that
-- point at the exchange that carried them. Existing attempts each become their own exchange.

-- CreateTable
CREATE TABLE "HttpExchange" (
    "id" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "requestUrl" TEXT NOT NULL,
    "requestMethod" TEXT NOT NULL DEFAULT 'POST',
    "requestHeaders" JSONB NOT NULL,
    "requestBody" JSON,
    "batchSize" INTEGER NOT NULL DEFAULT 1,
    "responseStatus" INTEGER,
    "responseBody" JSONB,
    "latencyMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HttpExchange_pkey" PRIMARY KEY ("id")
);

-- AlterTable
ALTER TABLE "DeliveryAttempt" ADD COLUMN "batchPosition" INTEGER NOT NULL DEFAULT 0, ADD COLUMN "exchangeId" TEXT;
ALTER TABLE "TraitSyncAttempt" ADD COLUMN "batchPosition" INTEGER NOT NULL DEFAULT 0, ADD COLUMN "exchangeId" TEXT;
ALTER TABLE "AudienceDeliveryAttempt" ADD COLUMN "batchPosition" INTEGER NOT NULL DEFAULT 0, ADD COLUMN "exchangeId" TEXT;

-- Migrate existing attempts that sent something (nothing sent: empty URL, no answer)
INSERT INTO "HttpExchange" ("id", "destinationId", "requestUrl", "requestHeaders", "requestBody", "responseStatus", "responseBody", "latencyMs", "createdAt")
SELECT 'da_' || a."id", d."destinationId", a."requestUrl", a."requestHeaders", a."requestBody"::json, a."responseStatus", a."responseBody", a."latencyMs", a."createdAt"
FROM "DeliveryAttempt" a JOIN "Delivery" d ON d."id" = a."deliveryId"
WHERE a."requestUrl" <> '' OR a."responseBody" IS NOT NULL;
UPDATE "DeliveryAttempt" SET "exchangeId" = 'da_' || "id" WHERE "requestUrl" <> '' OR "responseBody" IS NOT NULL;

INSERT INTO "HttpExchange" ("id", "destinationId", "requestUrl", "requestHeaders", "requestBody", "responseStatus", "responseBody", "latencyMs", "createdAt")
SELECT 'ta_' || a."id", s."destinationId", a."requestUrl", a."requestHeaders", a."requestBody"::json, a."responseStatus", a."responseBody", a."latencyMs", a."createdAt"
FROM "TraitSyncAttempt" a JOIN "TraitSync" s ON s."id" = a."syncId"
WHERE a."requestUrl" <> '' OR a."responseBody" IS NOT NULL;
UPDATE "TraitSyncAttempt" SET "exchangeId" = 'ta_' || "id" WHERE "requestUrl" <> '' OR "responseBody" IS NOT NULL;

INSERT INTO "HttpExchange" ("id", "destinationId", "requestUrl", "requestMethod", "requestHeaders", "requestBody", "responseStatus", "responseBody", "latencyMs", "createdAt")
SELECT 'aa_' || a."id", d."destinationId", a."requestUrl", a."requestMethod", a."requestHeaders", a."requestBody"::json, a."responseStatus", a."responseBody", a."latencyMs", a."createdAt"
FROM "AudienceDeliveryAttempt" a JOIN "AudienceDelivery" d ON d."id" = a."deliveryId"
WHERE a."requestUrl" <> '' OR a."responseBody" IS NOT NULL;
UPDATE "AudienceDeliveryAttempt" SET "exchangeId" = 'aa_' || "id" WHERE "requestUrl" <> '' OR "responseBody" IS NOT NULL;

-- AlterTable: the exchange columns now live in HttpExchange
ALTER TABLE "DeliveryAttempt" DROP COLUMN "latencyMs", DROP COLUMN "requestBody", DROP COLUMN "requestHeaders", DROP COLUMN "requestUrl", DROP COLUMN "responseBody", DROP COLUMN "responseStatus";
ALTER TABLE "TraitSyncAttempt" DROP COLUMN "latencyMs", DROP COLUMN "requestBody", DROP COLUMN "requestHeaders", DROP COLUMN "requestUrl", DROP COLUMN "responseBody", DROP COLUMN "responseStatus";
ALTER TABLE "AudienceDeliveryAttempt" DROP COLUMN "latencyMs", DROP COLUMN "requestBody", DROP COLUMN "requestHeaders", DROP COLUMN "requestMethod", DROP COLUMN "requestUrl", DROP COLUMN "responseBody", DROP COLUMN "responseStatus";

-- CreateIndex
CREATE INDEX "HttpExchange_destinationId_createdAt_idx" ON "HttpExchange"("destinationId", "createdAt");
CREATE INDEX "AudienceDeliveryAttempt_exchangeId_idx" ON "AudienceDeliveryAttempt"("exchangeId");
CREATE INDEX "DeliveryAttempt_exchangeId_idx" ON "DeliveryAttempt"("exchangeId");
CREATE INDEX "TraitSyncAttempt_exchangeId_idx" ON "TraitSyncAttempt"("exchangeId");

-- AddForeignKey
ALTER TABLE "HttpExchange" ADD CONSTRAINT "HttpExchange_destinationId_fkey" FOREIGN KEY ("destinationId") REFERENCES "Destination"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "DeliveryAttempt" ADD CONSTRAINT "DeliveryAttempt_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "HttpExchange"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "AudienceDeliveryAttempt" ADD CONSTRAINT "AudienceDeliveryAttempt_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "HttpExchange"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "TraitSyncAttempt" ADD CONSTRAINT "TraitSyncAttempt_exchangeId_fkey" FOREIGN KEY ("exchangeId") REFERENCES "HttpExchange"("id") ON DELETE CASCADE ON UPDATE CASCADE;
