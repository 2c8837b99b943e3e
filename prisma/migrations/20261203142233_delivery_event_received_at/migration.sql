-- The outbox row carries its event's receivedAt: Event is partitioned by month of it (key (id,
-- receivedAt)), so the claim joins on both and reads one partition instead of probing every month.
ALTER TABLE "Delivery" ADD COLUMN "eventReceivedAt" TIMESTAMP(3);

-- Existing rows take it from their event; rows whose event is gone stay null (the claim then joins
-- by id alone, and settles them as skipped when it finds nothing).
UPDATE "Delivery" d SET "eventReceivedAt" = e."receivedAt" FROM "Event" e WHERE e."id" = d."eventRowId";
