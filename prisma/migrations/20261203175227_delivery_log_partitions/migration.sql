-- The delivery log partitioned by DAY of "createdAt" (declarative partitioning, PostgreSQL and PGlite
-- alike): HttpExchange and the attempt tables DeliveryAttempt, TraitSyncAttempt and
-- AudienceDeliveryAttempt. The retention job drops a day once it is older than every workspace's
-- delivery-log retention, instead of deleting its rows (lib/retention/partitions.ts). Hand-written:
-- Prisma cannot express partitions. As for Event (migration event_partitions), each new table copies
-- the old one's columns (LIKE) and re-creates its indexes and foreign keys from the catalog; only the
-- key changes, to PRIMARY KEY (id, createdAt) (a partitioned table's keys include the partition key).

-- Nothing may reference HttpExchange by id alone any more; and the attempts written per outbox row on the
-- worker's hot path (DeliveryAttempt, TraitSyncAttempt) no longer check their outbox row (see schema.prisma).
ALTER TABLE "AudienceDeliveryAttempt" DROP CONSTRAINT IF EXISTS "AudienceDeliveryAttempt_exchangeId_fkey";
ALTER TABLE "DeliveryAttempt" DROP CONSTRAINT IF EXISTS "DeliveryAttempt_exchangeId_fkey";
ALTER TABLE "DeliveryAttempt" DROP CONSTRAINT IF EXISTS "DeliveryAttempt_deliveryId_fkey";
ALTER TABLE "TraitSyncAttempt" DROP CONSTRAINT IF EXISTS "TraitSyncAttempt_exchangeId_fkey";
ALTER TABLE "TraitSyncAttempt" DROP CONSTRAINT IF EXISTS "TraitSyncAttempt_syncId_fkey";

DO $$
DECLARE
  t text;
  old text;
  d timestamp;
  names text[];
  defs text[];
  i int;
BEGIN
  FOREACH t IN ARRAY ARRAY['HttpExchange', 'DeliveryAttempt', 'TraitSyncAttempt', 'AudienceDeliveryAttempt'] LOOP
    old := t || '_old';
    EXECUTE format('ALTER TABLE %I RENAME TO %I', t, old);
    EXECUTE format('ALTER TABLE %I RENAME CONSTRAINT %I TO %I', old, t || '_pkey', old || '_pkey');
    EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING GENERATED'
      ' INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ("createdAt")', t, old);

    -- Sequences (DeliveryAttempt.seq) move to the new table, or dropping the old one would drop them.
    FOR names IN
      SELECT ARRAY[a.attname::text, pg_get_serial_sequence(format('%I', old), a.attname)]
        FROM pg_attribute a
       WHERE a.attrelid = format('%I', old)::regclass AND a.attnum > 0 AND NOT a.attisdropped
         AND pg_get_serial_sequence(format('%I', old), a.attname) IS NOT NULL
    LOOP
      EXECUTE format('ALTER SEQUENCE %s OWNED BY %I.%I', names[2], t, names[1]);
    END LOOP;

    -- A partition per day that has rows, today and seven days ahead, and a DEFAULT.
    FOR d IN EXECUTE format(
      'SELECT DISTINCT date_trunc(''day'', "createdAt") FROM %I
       UNION SELECT date_trunc(''day'', now() AT TIME ZONE ''UTC'') + make_interval(days => k) FROM generate_series(0, 7) AS k', old)
    LOOP
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
        t || '_' || to_char(d, '"y"YYYY"m"MM"d"DD'), t, d, d + interval '1 day');
    END LOOP;
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t || '_default', t);

    EXECUTE format('INSERT INTO %I SELECT * FROM %I', t, old);
    EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I PRIMARY KEY ("id", "createdAt")', t, t || '_pkey');

    -- Every other index and foreign key of the old table, under its own name (the old ones step aside first).
    SELECT coalesce(array_agg(c.relname::text), '{}'), coalesce(array_agg(pg_get_indexdef(x.indexrelid)), '{}')
      INTO names, defs
      FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
     WHERE x.indrelid = format('%I', old)::regclass AND NOT x.indisprimary AND NOT x.indisunique;
    FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
      EXECUTE format('ALTER INDEX %I RENAME TO %I', names[i], 'old_' || t || '_' || i);
      EXECUTE regexp_replace(defs[i], ' ON (\S+\.)?' || format('%I', old) || ' ', format(' ON %I ', t));
    END LOOP;

    SELECT coalesce(array_agg(conname::text), '{}'), coalesce(array_agg(pg_get_constraintdef(oid)), '{}')
      INTO names, defs
      FROM pg_constraint WHERE conrelid = format('%I', old)::regclass AND contype = 'f';
    FOR i IN 1 .. coalesce(array_length(names, 1), 0) LOOP
      EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', old, names[i]);
      EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I %s', t, names[i], defs[i]);
    END LOOP;

    EXECUTE format('DROP TABLE %I', old);
  END LOOP;
END $$;
