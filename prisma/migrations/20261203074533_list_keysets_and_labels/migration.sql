-- CreateTable
CREATE TABLE "EventLabel" (
    "workspaceId" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL DEFAULT '',
    "sourceEvent" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "mappingId" TEXT NOT NULL DEFAULT '',
    "canonicalEventId" TEXT NOT NULL DEFAULT '',
    "count" BIGINT NOT NULL DEFAULT 0,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EventLabel_pkey" PRIMARY KEY ("workspaceId","sourceId","sourceEvent","kind","status","mappingId","canonicalEventId")
);

-- CreateIndex
CREATE INDEX "EventLabel_workspaceId_status_lastSeenAt_idx" ON "EventLabel"("workspaceId", "status", "lastSeenAt");

-- CreateIndex
CREATE INDEX "Delivery_workspaceId_createdAt_idx" ON "Delivery"("workspaceId", "createdAt");

-- CreateIndex
CREATE INDEX "Event_workspaceId_eventId_idx" ON "Event"("workspaceId", "eventId");

-- AddForeignKey
ALTER TABLE "EventLabel" ADD CONSTRAINT "EventLabel_workspaceId_fkey" FOREIGN KEY ("workspaceId") REFERENCES "Workspace"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: the labels of every event the aggregator has already counted (seq up to its position),
-- so labels and rollups agree; later rows are counted into both by the aggregator.
INSERT INTO "EventLabel" ("workspaceId","sourceId","sourceEvent","kind","status","mappingId","canonicalEventId","count","firstSeenAt","lastSeenAt")
SELECT e."workspaceId", coalesce(e."sourceId", ''), e."sourceEvent", e."kind", e."status"::text, coalesce(e."mappingId", ''),
  coalesce(e."canonicalEventId", ''), count(*), min(e."receivedAt"), max(e."receivedAt")
FROM "Event" e
WHERE e."seq" <= coalesce((SELECT "position" FROM "RollupCheckpoint" WHERE "stream" = 'events'), 0)
GROUP BY 1, 2, 3, 4, 5, 6, 7;
