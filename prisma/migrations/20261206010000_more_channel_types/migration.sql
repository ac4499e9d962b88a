-- More alert channels (issue 18): chat, push and on-call services. Each keeps its one
-- credential in "secret" and its other settings in "settings" (core/outbox/channel-types.ts).
-- PostgreSQL 12+ adds enum values inside a transaction.
-- AlterEnum


ALTER TYPE "ChannelType" ADD VALUE 'TELEGRAM';
ALTER TYPE "ChannelType" ADD VALUE 'TEAMS';
ALTER TYPE "ChannelType" ADD VALUE 'GOOGLE_CHAT';
ALTER TYPE "ChannelType" ADD VALUE 'MATRIX';
ALTER TYPE "ChannelType" ADD VALUE 'NTFY';
ALTER TYPE "ChannelType" ADD VALUE 'PUSHOVER';
ALTER TYPE "ChannelType" ADD VALUE 'GOTIFY';
ALTER TYPE "ChannelType" ADD VALUE 'PAGERDUTY';
ALTER TYPE "ChannelType" ADD VALUE 'OPSGENIE';

-- AlterTable
ALTER TABLE "NotificationChannel" ADD COLUMN     "secret" TEXT,
ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';

