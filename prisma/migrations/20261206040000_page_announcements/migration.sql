-- Announcements and manual incidents on status pages (issue 18): posted by the owner
-- without a monitor going down, with affected services, impact and updates.
-- CreateEnum
CREATE TYPE "AnnouncementKind" AS ENUM ('INCIDENT', 'NOTICE');

-- CreateEnum
CREATE TYPE "AnnouncementImpact" AS ENUM ('NONE', 'MINOR', 'MAJOR', 'CRITICAL');

-- CreateTable
CREATE TABLE "PageAnnouncement" (
    "id" TEXT NOT NULL,
    "statusPageId" TEXT NOT NULL,
    "kind" "AnnouncementKind" NOT NULL,
    "title" TEXT NOT NULL,
    "impact" "AnnouncementImpact" NOT NULL DEFAULT 'NONE',
    "websiteIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PageAnnouncement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PageAnnouncementUpdate" (
    "id" TEXT NOT NULL,
    "announcementId" TEXT NOT NULL,
    "status" "IncidentUpdateStatus" NOT NULL,
    "message" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PageAnnouncementUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PageAnnouncement_statusPageId_resolvedAt_idx" ON "PageAnnouncement"("statusPageId", "resolvedAt");

-- CreateIndex
CREATE INDEX "PageAnnouncementUpdate_announcementId_createdAt_idx" ON "PageAnnouncementUpdate"("announcementId", "createdAt");

-- AddForeignKey
ALTER TABLE "PageAnnouncement" ADD CONSTRAINT "PageAnnouncement_statusPageId_fkey" FOREIGN KEY ("statusPageId") REFERENCES "StatusPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PageAnnouncementUpdate" ADD CONSTRAINT "PageAnnouncementUpdate_announcementId_fkey" FOREIGN KEY ("announcementId") REFERENCES "PageAnnouncement"("id") ON DELETE CASCADE ON UPDATE CASCADE;

