-- Event partitioned by month of "receivedAt" (declarative partitioning, PostgreSQL and PGlite alike), so the
-- retention job drops whole months instead of deleting rows, and the dedup ledger EventDedup beside it
-- (lib/retention/, lib/ingest/store-events.ts). Hand-written: Prisma cannot express partitions.
-- The new table copies the old one's columns (LIKE) and re-creates its indexes and foreign keys from the
-- catalog, so whatever an earlier migration added to Event (a column, an index) is carried over as it is.
-- Only the key changes: PRIMARY KEY (id, receivedAt), and the unique (workspaceId, dedupKey) index
-- becomes the EventDedup ledger (a unique index on a partitioned table must include the partition key).

-- Nothing may reference Event by id alone any more.
ALTER TABLE "Delivery" DROP CONSTRAINT IF EXISTS "Delivery_eventRowId_fkey";

ALTER TABLE "Event" RENAME TO "Event_old";
ALTER TABLE "Event_old" RENAME CONSTRAINT "Event_pkey" TO "Event_old_pkey";

CREATE TABLE "Event" (LIKE "Event_old" INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED INCLUDING STORAGE INCLUDING COMMENTS)
  PARTITION BY RANGE ("receivedAt");
ALTER SEQUENCE "Event_seq_seq" OWNED BY "Event"."seq";

-- The ledger: one row per stored event_id in the month partition of its event's arrival (plus, during
-- the first hour of a month, a guard row in the previous month: see store-events.ts).
CREATE TABLE "EventDedup" (
    "workspaceId" TEXT NOT NULL,
    "dedupKey" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "eventRowId" TEXT NOT NULL,
    "eventReceivedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EventDedup_pkey" PRIMARY KEY ("workspaceId","dedupKey","month")
) PARTITION BY RANGE ("month");

-- A partition per month that has events, the current month and three ahead, and a DEFAULT each.
DO $$
DECLARE
  m timestamp;
BEGIN
  FOR m IN
    SELECT DISTINCT date_trunc('month', "receivedAt") FROM "Event_old"
    UNION
    SELECT date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => k) FROM generate_series(0, 3) AS k
  LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "Event" FOR VALUES FROM (%L) TO (%L)',
      'Event_' || to_char(m, '"y"YYYY"m"MM'), m, m + interval '1 month');
    EXECUTE format('CREATE TABLE %I PARTITION OF "EventDedup" FOR VALUES FROM (%L) TO (%L)',
      'EventDedup_' || to_char(m, '"y"YYYY"m"MM'), m::date, (m + interval '1 month')::date);
  END LOOP;
END $$;
CREATE TABLE "Event_default" PARTITION OF "Event" DEFAULT;
CREATE TABLE "EventDedup_default" PARTITION OF "EventDedup" DEFAULT;

INSERT INTO "Event" SELECT * FROM "Event_old";
INSERT INTO "EventDedup" ("workspaceId", "dedupKey", "month", "eventRowId", "eventReceivedAt")
SELECT "workspaceId", "dedupKey", date_trunc('month', "receivedAt")::date, "id", "receivedAt"
FROM "Event_old" WHERE "dedupKey" IS NOT NULL;

ALTER TABLE "Event" ADD CONSTRAINT "Event_pkey" PRIMARY KEY ("id", "receivedAt");

-- Every other index and foreign key of the old table, under its own name (the old ones step aside first).
DO $$
DECLARE
  names text[];
  defs text[];
  i int;
BEGIN
  SELECT coalesce(array_agg(c.relname::text), '{}'), coalesce(array_agg(pg_get_indexdef(x.indexrelid)), '{}')
    INTO names, defs
    FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
   WHERE x.indrelid = '"Event_old"'::regclass AND NOT x.indisprimary AND NOT x.indisunique;
  FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', names[i], 'old_' || i);
    EXECUTE regexp_replace(defs[i], ' ON (\S+\.)?"Event_old" ', ' ON "Event" ');
  END LOOP;

  SELECT coalesce(array_agg(conname::text), '{}'), coalesce(array_agg(pg_get_constraintdef(oid)), '{}')
    INTO names, defs
    FROM pg_constraint WHERE conrelid = '"Event_old"'::regclass AND contype = 'f';
  FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
    EXECUTE format('ALTER TABLE "Event_old" DROP CONSTRAINT %I', names[i]);
    EXECUTE format('ALTER TABLE "Event" ADD CONSTRAINT %I %s', names[i], defs[i]);
  END LOOP;
END $$;

DROP TABLE "Event_old";
