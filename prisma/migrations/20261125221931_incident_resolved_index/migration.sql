-- CreateIndex
CREATE INDEX "Incident_websiteId_resolvedAt_idx" ON "Incident"("websiteId", "resolvedAt");
