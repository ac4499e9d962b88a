-- CreateEnum
CREATE TYPE "MonitorStatus" AS ENUM ('PENDING', 'UP', 'DOWN');

-- CreateEnum
CREATE TYPE "KeywordMode" AS ENUM ('PRESENT', 'ABSENT');

-- CreateEnum
CREATE TYPE "RollupPeriod" AS ENUM ('HOUR', 'DAY');

-- DropIndex
DROP INDEX "Website_isActive_nextCheckAt_idx";

-- AlterTable
ALTER TABLE "CheckResult" DROP CONSTRAINT "CheckResult_pkey",
ADD COLUMN     "connectMs" INTEGER,
ADD COLUMN     "dnsMs" INTEGER,
ADD COLUMN     "downloadMs" INTEGER,
ADD COLUMN     "errorClass" TEXT,
ADD COLUMN     "region" TEXT NOT NULL DEFAULT 'default',
ADD COLUMN     "scheduledAt" TIMESTAMP(3),
ADD COLUMN     "tlsExpiresAt" TIMESTAMP(3),
ADD COLUMN     "tlsMs" INTEGER,
ADD COLUMN     "ttfbMs" INTEGER,
DROP COLUMN "id",
ADD COLUMN     "id" BIGSERIAL NOT NULL,
ALTER COLUMN "status" DROP NOT NULL,
ADD CONSTRAINT "CheckResult_pkey" PRIMARY KEY ("id");

-- AlterTable
ALTER TABLE "Website" DROP COLUMN "nextCheckAt",
ADD COLUMN     "downQuorum" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "expectedStatusCodes" TEXT NOT NULL DEFAULT '200-299',
ADD COLUMN     "failureThreshold" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "followRedirects" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "keyword" TEXT,
ADD COLUMN     "keywordMode" "KeywordMode" NOT NULL DEFAULT 'PRESENT',
ADD COLUMN     "lastResponseTimeMs" INTEGER,
ADD COLUMN     "maxRedirects" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "method" TEXT NOT NULL DEFAULT 'GET',
ADD COLUMN     "phaseMs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "recoveryThreshold" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "regions" TEXT[] DEFAULT ARRAY['default']::TEXT[],
ADD COLUMN     "requestBody" TEXT,
ADD COLUMN     "requestHeaders" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "timeoutMs" INTEGER NOT NULL DEFAULT 10000,
ADD COLUMN     "tlsExpiresAt" TIMESTAMP(3),
DROP COLUMN "status",
ADD COLUMN     "status" "MonitorStatus" NOT NULL DEFAULT 'PENDING';

-- CreateTable
CREATE TABLE "MonitorSchedule" (
    "websiteId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "nextCheckAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leaseUntil" TIMESTAMP(3),
    "leasedSlot" TIMESTAMP(3),
    "status" "MonitorStatus" NOT NULL DEFAULT 'PENDING',
    "consecutiveFailures" INTEGER NOT NULL DEFAULT 0,
    "consecutiveSuccesses" INTEGER NOT NULL DEFAULT 0,
    "lastCheckedAt" TIMESTAMP(3),
    "isActive" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "MonitorSchedule_pkey" PRIMARY KEY ("websiteId","region")
);

-- CreateTable
CREATE TABLE "Incident" (
    "id" TEXT NOT NULL,
    "websiteId" TEXT NOT NULL,
    "openKey" TEXT,
    "cause" TEXT NOT NULL,
    "causeDetail" TEXT,
    "regions" TEXT[],
    "snapshot" JSONB,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "resolvedAt" TIMESTAMP(3),
    "durationSeconds" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CheckRollup" (
    "websiteId" TEXT NOT NULL,
    "period" "RollupPeriod" NOT NULL,
    "bucketStart" TIMESTAMP(3) NOT NULL,
    "checks" INTEGER NOT NULL DEFAULT 0,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "downtimeSeconds" INTEGER NOT NULL DEFAULT 0,
    "responseTimeSumMs" BIGINT NOT NULL DEFAULT 0,
    "responseTimeCount" INTEGER NOT NULL DEFAULT 0,
    "histogram" INTEGER[] DEFAULT ARRAY[]::INTEGER[],

    CONSTRAINT "CheckRollup_pkey" PRIMARY KEY ("websiteId","period","bucketStart")
);

-- CreateIndex
CREATE INDEX "MonitorSchedule_region_isActive_nextCheckAt_idx" ON "MonitorSchedule"("region", "isActive", "nextCheckAt");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_openKey_key" ON "Incident"("openKey");

-- CreateIndex
CREATE INDEX "Incident_websiteId_startedAt_idx" ON "Incident"("websiteId", "startedAt" DESC);

-- AddForeignKey
ALTER TABLE "MonitorSchedule" ADD CONSTRAINT "MonitorSchedule_websiteId_fkey" FOREIGN KEY ("websiteId") REFERENCES "Website"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Incident" ADD CONSTRAINT "Incident_websiteId_fkey" FOREIGN KEY ("websiteId") REFERENCES "Website"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CheckRollup" ADD CONSTRAINT "CheckRollup_websiteId_fkey" FOREIGN KEY ("websiteId") REFERENCES "Website"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: existing monitors get a random phase within their interval and a schedule
-- row per region, due now.
UPDATE "Website" SET "phaseMs" = floor(random() * "intervalSeconds" * 1000)::int;
INSERT INTO "MonitorSchedule" ("websiteId", "region", "isActive")
SELECT w."id", r."region", w."isActive" FROM "Website" w, unnest(w."regions") AS r("region");
