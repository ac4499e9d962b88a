-- Export/import (npm run export / import): the key an export names each monitor, channel,
-- status page and maintenance window by, kept on what an import created so a second
-- import of the same file updates instead of duplicating. Unique per account.
-- AlterTable
ALTER TABLE "MaintenanceWindow" ADD COLUMN     "importKey" TEXT;

-- AlterTable
ALTER TABLE "NotificationChannel" ADD COLUMN     "importKey" TEXT;

-- AlterTable
ALTER TABLE "StatusPage" ADD COLUMN     "importKey" TEXT;

-- AlterTable
ALTER TABLE "Website" ADD COLUMN     "importKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "MaintenanceWindow_userId_importKey_key" ON "MaintenanceWindow"("userId", "importKey");

-- CreateIndex
CREATE UNIQUE INDEX "NotificationChannel_userId_importKey_key" ON "NotificationChannel"("userId", "importKey");

-- CreateIndex
CREATE UNIQUE INDEX "StatusPage_userId_importKey_key" ON "StatusPage"("userId", "importKey");

-- CreateIndex
CREATE UNIQUE INDEX "Website_userId_importKey_key" ON "Website"("userId", "importKey");

