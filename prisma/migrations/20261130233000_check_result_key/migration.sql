-- Results stored twice before this key existed (a retried batch): keep the first.
DELETE FROM "CheckResult" a
USING "CheckResult" b
WHERE a."websiteId" = b."websiteId" AND a.region = b.region AND a."scheduledAt" = b."scheduledAt" AND a.id > b.id;

-- CreateIndex
CREATE UNIQUE INDEX "CheckResult_websiteId_region_scheduledAt_key" ON "CheckResult"("websiteId", "region", "scheduledAt");
