-- AlterTable
ALTER TABLE "NotificationDelivery" ADD COLUMN     "claimToken" TEXT;
