-- Recurring maintenance (issue 18): a cron schedule in a time zone, its monitors, and
-- its occurrences made ahead as ordinary maintenance windows (one per start).
-- AlterTable
ALTER TABLE "MaintenanceWindow" ADD COLUMN     "recurringId" TEXT;

-- CreateTable
CREATE TABLE "RecurringMaintenance" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "schedule" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "durationMinutes" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RecurringMaintenance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecurringMaintenanceMonitor" (
    "recurringId" TEXT NOT NULL,
    "websiteId" TEXT NOT NULL,

    CONSTRAINT "RecurringMaintenanceMonitor_pkey" PRIMARY KEY ("recurringId","websiteId")
);

-- CreateIndex
CREATE INDEX "RecurringMaintenance_userId_idx" ON "RecurringMaintenance"("userId");

-- CreateIndex
CREATE INDEX "RecurringMaintenanceMonitor_websiteId_idx" ON "RecurringMaintenanceMonitor"("websiteId");

-- CreateIndex
CREATE UNIQUE INDEX "MaintenanceWindow_recurringId_startsAt_key" ON "MaintenanceWindow"("recurringId", "startsAt");

-- AddForeignKey
ALTER TABLE "MaintenanceWindow" ADD CONSTRAINT "MaintenanceWindow_recurringId_fkey" FOREIGN KEY ("recurringId") REFERENCES "RecurringMaintenance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecurringMaintenance" ADD CONSTRAINT "RecurringMaintenance_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecurringMaintenanceMonitor" ADD CONSTRAINT "RecurringMaintenanceMonitor_recurringId_fkey" FOREIGN KEY ("recurringId") REFERENCES "RecurringMaintenance"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecurringMaintenanceMonitor" ADD CONSTRAINT "RecurringMaintenanceMonitor_websiteId_fkey" FOREIGN KEY ("websiteId") REFERENCES "Website"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "RecurringMaintenance" ADD COLUMN     "importKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "RecurringMaintenance_userId_importKey_key" ON "RecurringMaintenance"("userId", "importKey");

