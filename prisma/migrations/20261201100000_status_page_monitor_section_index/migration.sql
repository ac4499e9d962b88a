-- Deleting a section sets its monitors' sectionId to null (ON DELETE SET NULL): an index
-- instead of a scan of every page's monitors.
CREATE INDEX "StatusPageMonitor_sectionId_idx" ON "StatusPageMonitor"("sectionId");
