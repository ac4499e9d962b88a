-- Recurring maintenance is bounded (issue 25): occurrences are made a week ahead (was two),
-- and each recurring maintenance reserves against its owner's quota the most windows it
-- has at once. Existing ones reserve what they have now (at least one), after the windows
-- beyond the new horizon are removed (the runners make them again when they come within it).
DELETE FROM "MaintenanceWindow"
WHERE "recurringId" IS NOT NULL AND "startsAt" > now() + interval '7 days';

-- AlterTable
ALTER TABLE "RecurringMaintenance" ADD COLUMN "reservedWindows" INTEGER NOT NULL DEFAULT 1;

UPDATE "RecurringMaintenance" r
SET "reservedWindows" = GREATEST(1, (
  SELECT count(*) FROM "MaintenanceWindow" w WHERE w."recurringId" = r.id AND w."endsAt" > now()));

ALTER TABLE "RecurringMaintenance" ALTER COLUMN "reservedWindows" DROP DEFAULT;
