-- Logos were hot-linked URLs (every visitor's browser told a third party it read the
-- page); owners upload the image instead.
-- AlterTable
ALTER TABLE "StatusPage" DROP COLUMN "logoUrl";

-- CreateTable
CREATE TABLE "StatusPageLogo" (
    "statusPageId" TEXT NOT NULL,
    "contentType" TEXT NOT NULL,
    "bytes" BYTEA NOT NULL,
    "sha256" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StatusPageLogo_pkey" PRIMARY KEY ("statusPageId")
);

-- AddForeignKey
ALTER TABLE "StatusPageLogo" ADD CONSTRAINT "StatusPageLogo_statusPageId_fkey" FOREIGN KEY ("statusPageId") REFERENCES "StatusPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
