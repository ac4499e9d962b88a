-- Compact, day-partitioned check results (issue 14): about 97 bytes a stored check with
-- its index instead of 270. Monitors and regions are named by small integers, durations
-- are smallints (core/domain/compact-result.ts), the error text of failed checks lives
-- in CheckError, and both tables are partitioned by day on "scheduledAt" so retention
-- drops whole days. Prisma's schema cannot say "PARTITION BY": this file is the truth
-- for that, and Prisma sees the parents as ordinary tables (it ignores partitions).

-- Small integer keys --------------------------------------------------------------------

ALTER TABLE "Website" ADD COLUMN "key" SERIAL NOT NULL;
CREATE UNIQUE INDEX "Website_key_key" ON "Website"("key");

CREATE TABLE "Region" (
    "id" SMALLSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    CONSTRAINT "Region_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Region_name_key" ON "Region"("name");

-- Durations: exact milliseconds up to 32,767; beyond, negative tens of milliseconds (to
-- 327,680 ms, more than any check may take). The same rule as core/domain/compact-result.ts.
CREATE FUNCTION bu_ms16(ms integer) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN ms IS NULL OR ms <= 0 THEN 0
              WHEN ms <= 32767 THEN ms
              ELSE -least(32768, round(ms / 10.0))::integer END::smallint
$$;
CREATE FUNCTION bu_ms(v smallint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN v >= 0 THEN v::integer ELSE -(v::integer) * 10 END
$$;

-- The tables ----------------------------------------------------------------------------

ALTER TABLE "CheckResult" RENAME TO "CheckResult_old";
ALTER TABLE "CheckResult_old" RENAME CONSTRAINT "CheckResult_pkey" TO "CheckResult_old_pkey";
ALTER TABLE "CheckResult_old" DROP CONSTRAINT "CheckResult_websiteId_fkey";

-- Column order is storage order: widest first, so nothing is padded (40 bytes of data).
CREATE TABLE "CheckResult" (
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "monitorKey" INTEGER NOT NULL,
    "lagMs" INTEGER NOT NULL,
    "responseTimeMs" INTEGER NOT NULL,
    "status" "CheckStatus",
    "regionKey" SMALLINT NOT NULL,
    "statusCode" SMALLINT NOT NULL,
    "errorCode" SMALLINT NOT NULL,
    "dnsMs" SMALLINT NOT NULL,
    "connectMs" SMALLINT NOT NULL,
    "tlsMs" SMALLINT NOT NULL,
    "ttfbMs" SMALLINT NOT NULL,
    "downloadMs" SMALLINT NOT NULL,
    CONSTRAINT "CheckResult_pkey" PRIMARY KEY ("monitorKey", "regionKey", "scheduledAt")
) PARTITION BY RANGE ("scheduledAt");

CREATE TABLE "CheckError" (
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "monitorKey" INTEGER NOT NULL,
    "regionKey" SMALLINT NOT NULL,
    "message" TEXT NOT NULL,
    CONSTRAINT "CheckError_pkey" PRIMARY KEY ("monitorKey", "regionKey", "scheduledAt")
) PARTITION BY RANGE ("scheduledAt");

ALTER TABLE "CheckResult" ADD CONSTRAINT "CheckResult_monitorKey_fkey" FOREIGN KEY ("monitorKey") REFERENCES "Website"("key") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CheckResult" ADD CONSTRAINT "CheckResult_regionKey_fkey" FOREIGN KEY ("regionKey") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "CheckError" ADD CONSTRAINT "CheckError_monitorKey_fkey" FOREIGN KEY ("monitorKey") REFERENCES "Website"("key") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "CheckError" ADD CONSTRAINT "CheckError_regionKey_fkey" FOREIGN KEY ("regionKey") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A safety net: a result outside every day partition (a clock far off) still lands.
CREATE TABLE "CheckResult_default" PARTITION OF "CheckResult" DEFAULT;
CREATE TABLE "CheckError_default" PARTITION OF "CheckError" DEFAULT;

-- Day partitions ------------------------------------------------------------------------

-- Creates `parent`'s partition for `day` unless it exists (true when it made one). Rows
-- of that day that landed in the default partition meanwhile move into it.
CREATE FUNCTION bu_ensure_day_partition(parent text, day date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  partition text := parent || '_p' || to_char(day, 'YYYYMMDD');
  stray text := 'bu_stray_' || lower(parent);
BEGIN
  IF to_regclass(quote_ident(partition)) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('CREATE TEMP TABLE %I (LIKE %I) ON COMMIT DROP', stray, parent);
  EXECUTE format('WITH moved AS (DELETE FROM %I WHERE "scheduledAt" >= %L AND "scheduledAt" < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                 parent || '_default', day::timestamp, (day + 1)::timestamp, stray);
  EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                 partition, parent, day::timestamp, (day + 1)::timestamp);
  EXECUTE format('INSERT INTO %I SELECT * FROM %I', parent, stray);
  EXECUTE format('DROP TABLE %I', stray);
  RETURN true;
END
$$;

-- Drops `parent`'s day partitions entirely before `before`; returns how many.
CREATE FUNCTION bu_drop_day_partitions(parent text, before date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  partition record;
  dropped integer := 0;
BEGIN
  FOR partition IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = quote_ident(parent)::regclass
      AND c.relname ~ ('^' || parent || '_p[0-9]{8}$')
      AND to_date(right(c.relname, 8), 'YYYYMMDD') < before
  LOOP
    EXECUTE format('DROP TABLE %I', partition.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END
$$;

-- Existing results move over ------------------------------------------------------------

INSERT INTO "Region" ("name")
SELECT DISTINCT region FROM "CheckResult_old"
UNION SELECT DISTINCT region FROM "MonitorSchedule"
ON CONFLICT DO NOTHING;

DO $$
DECLARE
  first_day date := least(current_date - 1,
                          (SELECT min(coalesce("scheduledAt", "checkedAt"))::date FROM "CheckResult_old"));
  day date;
BEGIN
  FOR day IN SELECT generate_series(first_day, current_date + 7, interval '1 day')::date LOOP
    PERFORM bu_ensure_day_partition('CheckResult', day);
    PERFORM bu_ensure_day_partition('CheckError', day);
  END LOOP;
END
$$;

INSERT INTO "CheckResult" ("scheduledAt", "monitorKey", "lagMs", "responseTimeMs", "status", "regionKey",
  "statusCode", "errorCode", "dnsMs", "connectMs", "tlsMs", "ttfbMs", "downloadMs")
SELECT coalesce(o."scheduledAt", o."checkedAt"), w."key",
       greatest(0, least(2147483647, round(extract(epoch FROM o."checkedAt" - coalesce(o."scheduledAt", o."checkedAt")) * 1000)))::integer,
       greatest(0, coalesce(o."responseTimeMs", 0)), o.status, r.id,
       coalesce(o."statusCode", 0)::smallint,
       CASE o."errorClass" WHEN 'timeout' THEN 1 WHEN 'dns' THEN 2 WHEN 'refused' THEN 3 WHEN 'reset' THEN 4
         WHEN 'network' THEN 5 WHEN 'tls' THEN 6 WHEN 'status' THEN 7 WHEN 'keyword' THEN 8 WHEN 'redirect' THEN 9
         WHEN 'blocked' THEN 10 WHEN 'http' THEN 11 WHEN 'runner' THEN 12 ELSE 0 END,
       bu_ms16(o."dnsMs"), bu_ms16(o."connectMs"), bu_ms16(o."tlsMs"), bu_ms16(o."ttfbMs"), bu_ms16(o."downloadMs")
FROM "CheckResult_old" o
JOIN "Website" w ON w.id = o."websiteId"
JOIN "Region" r ON r.name = o.region
ON CONFLICT DO NOTHING;

INSERT INTO "CheckError" ("scheduledAt", "monitorKey", "regionKey", "message")
SELECT coalesce(o."scheduledAt", o."checkedAt"), w."key", r.id, o.error
FROM "CheckResult_old" o
JOIN "Website" w ON w.id = o."websiteId"
JOIN "Region" r ON r.name = o.region
WHERE o.error IS NOT NULL
ON CONFLICT DO NOTHING;

DROP TABLE "CheckResult_old";
