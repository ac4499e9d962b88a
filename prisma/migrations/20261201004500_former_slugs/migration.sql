-- CreateTable
CREATE TABLE "StatusPageFormerSlug" (
    "slug" TEXT NOT NULL,
    "statusPageId" TEXT NOT NULL,
    "renamedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StatusPageFormerSlug_pkey" PRIMARY KEY ("slug")
);
-- CreateIndex
CREATE INDEX "StatusPageFormerSlug_statusPageId_idx" ON "StatusPageFormerSlug"("statusPageId");
-- AddForeignKey
ALTER TABLE "StatusPageFormerSlug" ADD CONSTRAINT "StatusPageFormerSlug_statusPageId_fkey" FOREIGN KEY ("statusPageId") REFERENCES "StatusPage"("id") ON DELETE CASCADE ON UPDATE CASCADE;
