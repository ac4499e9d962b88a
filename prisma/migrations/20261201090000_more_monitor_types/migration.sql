-- More monitor types: heartbeat (push), DNS record, TLS certificate; and the HTTP check's
-- new assertions (JSON body, headers, body pattern, case-insensitive keyword, response
-- time) and its "ignore TLS errors" option. Existing monitors keep their behaviour.

-- CreateEnum
CREATE TYPE "DnsRecordType" AS ENUM ('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'CAA');

-- AlterEnum

ALTER TYPE "MonitorType" ADD VALUE 'HEARTBEAT';
ALTER TYPE "MonitorType" ADD VALUE 'DNS';
ALTER TYPE "MonitorType" ADD VALUE 'TLS';

-- AlterTable
ALTER TABLE "Website" ADD COLUMN     "assertions" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "dnsRecordType" "DnsRecordType",
ADD COLUMN     "dnsResolver" TEXT,
ADD COLUMN     "expectedValue" TEXT,
ADD COLUMN     "heartbeatGraceSeconds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "ignoreTlsErrors" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "keywordIgnoreCase" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "maxResponseMs" INTEGER,
ADD COLUMN     "pushToken" TEXT,
ADD COLUMN     "tlsExpiryDays" INTEGER;

-- CreateTable
CREATE TABLE "HeartbeatPing" (
    "id" BIGSERIAL NOT NULL,
    "websiteId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "failed" BOOLEAN NOT NULL DEFAULT false,
    "message" TEXT,

    CONSTRAINT "HeartbeatPing_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HeartbeatPing_websiteId_receivedAt_idx" ON "HeartbeatPing"("websiteId", "receivedAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "Website_pushToken_key" ON "Website"("pushToken");

-- AddForeignKey
ALTER TABLE "HeartbeatPing" ADD CONSTRAINT "HeartbeatPing_websiteId_fkey" FOREIGN KEY ("websiteId") REFERENCES "Website"("id") ON DELETE CASCADE ON UPDATE CASCADE;

