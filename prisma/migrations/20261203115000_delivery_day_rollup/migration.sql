-- CreateTable
CREATE TABLE "DeliveryDayRollup" (
    "workspaceId" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "destinationId" TEXT NOT NULL,
    "canonicalEventId" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "count" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "DeliveryDayRollup_pkey" PRIMARY KEY ("workspaceId","day","destinationId","canonicalEventId","outcome","reason")
);

-- AddForeignKey
ALTER TABLE "DeliveryDayRollup" ADD CONSTRAINT "DeliveryDayRollup_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Backfill: the hourly counters so far, by day (later rows are counted into both, in one transaction).
INSERT INTO "DeliveryDayRollup" ("workspaceId","day","destinationId","canonicalEventId","outcome","reason","count")
SELECT "workspaceId", date_trunc('day', "bucket"), "destinationId", "canonicalEventId", "outcome", "reason", sum("count")
FROM "DeliveryRollup" GROUP BY 1, 2, 3, 4, 5, 6;
