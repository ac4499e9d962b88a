-- A per-monitor summary kept by the result writer (core/domain/monitor-summary.ts), so
-- the monitor list reads one row per monitor instead of aggregating rollups per request.
CREATE TABLE "MonitorSummary" (
    "websiteId" TEXT NOT NULL,
    "hourStart" TIMESTAMP(3) NOT NULL,
    "hourChecks" INTEGER[],
    "hourDowntime" INTEGER[],
    "hourRtSum" INTEGER[],
    "hourRtCount" INTEGER[],
    "dayStart" TIMESTAMP(3) NOT NULL,
    "dayChecks" INTEGER[],
    "dayDowntime" INTEGER[],
    "recentMs" INTEGER[],
    "uptime24h" DOUBLE PRECISION,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MonitorSummary_pkey" PRIMARY KEY ("websiteId")
);

ALTER TABLE "MonitorSummary" ADD CONSTRAINT "MonitorSummary_websiteId_fkey" FOREIGN KEY ("websiteId") REFERENCES "Website"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Existing monitors start from their rollups: the 25 hours and 31 days up to now (UTC),
-- oldest slot first. The latest checks come with the next results. The sort key is
-- filled in by the writer's next batch.
INSERT INTO "MonitorSummary" ("websiteId", "hourStart", "hourChecks", "hourDowntime", "hourRtSum", "hourRtCount",
                              "dayStart", "dayChecks", "dayDowntime", "recentMs", "updatedAt")
SELECT w.id, t.hour,
       array_agg(COALESCE(h.checks, 0) ORDER BY g.i),
       array_agg(COALESCE(h."downtimeSeconds", 0) ORDER BY g.i),
       array_agg(COALESCE(h."responseTimeSumMs", 0)::int ORDER BY g.i),
       array_agg(COALESCE(h."responseTimeCount", 0) ORDER BY g.i),
       t.day,
       (SELECT array_agg(COALESCE(d.checks, 0) ORDER BY g2.i)
        FROM generate_series(0, 30) AS g2(i)
        LEFT JOIN "CheckRollup" d ON d."websiteId" = w.id AND d.period = 'DAY'
             AND d."bucketStart" = t.day - make_interval(days => 30 - g2.i)),
       (SELECT array_agg(COALESCE(d."downtimeSeconds", 0) ORDER BY g2.i)
        FROM generate_series(0, 30) AS g2(i)
        LEFT JOIN "CheckRollup" d ON d."websiteId" = w.id AND d.period = 'DAY'
             AND d."bucketStart" = t.day - make_interval(days => 30 - g2.i)),
       '{}', now()
FROM "Website" w
CROSS JOIN (SELECT date_trunc('hour', now() AT TIME ZONE 'UTC') AS hour,
                   date_trunc('day', now() AT TIME ZONE 'UTC') AS day) t
CROSS JOIN generate_series(0, 24) AS g(i)
LEFT JOIN "CheckRollup" h ON h."websiteId" = w.id AND h.period = 'HOUR'
     AND h."bucketStart" = t.hour - make_interval(hours => 24 - g.i)
GROUP BY w.id, t.hour, t.day;
