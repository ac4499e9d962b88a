-- AlterTable
ALTER TABLE "NotificationChannel" ADD COLUMN     "confirmTokenHash" TEXT,
ADD COLUMN     "confirmedAt" TIMESTAMP(3);

-- Channels made before consent was asked for keep working.
UPDATE "NotificationChannel" SET "confirmedAt" = "createdAt";

-- CreateIndex
CREATE UNIQUE INDEX "NotificationChannel_confirmTokenHash_key" ON "NotificationChannel"("confirmTokenHash");
