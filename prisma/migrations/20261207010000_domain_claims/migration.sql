-- Custom domain claims (issue 25): the server alone chooses a claim's TXT value, one value
-- proves one claim, and a domain has at most one VERIFIED claim.

-- 1. One VERIFIED claim per domain. Routing served the most recently verified one, so that
--    one keeps the domain; any other turns FAILED with the reason.
WITH ranked AS (
  SELECT id, row_number() OVER (
           PARTITION BY domain
           ORDER BY "verifiedAt" DESC NULLS LAST, "lastCheckedAt" DESC NULLS LAST, id DESC
         ) AS rank
  FROM "StatusPageDomain"
  WHERE status = 'VERIFIED'
)
UPDATE "StatusPageDomain" AS claim
SET status = 'FAILED',
    "verifiedAt" = NULL,
    "failureReason" = 'Another status page holds ' || claim.domain || ' (it was verified more recently). Verify again: this claim then waits until that page''s TXT record is gone.',
    "updatedAt" = now()
FROM ranked
WHERE claim.id = ranked.id AND ranked.rank > 1;

-- 2. One value, one claim. A value shared by several claims (copied through an import)
--    stays with the oldest verified claim (so no working DNS record breaks), or, if none
--    is verified, the oldest claim; every other claim gets a new random value and starts
--    PENDING, with the reason.
WITH ranked AS (
  SELECT id, row_number() OVER (
           PARTITION BY "verificationToken"
           ORDER BY (status = 'VERIFIED') DESC, "createdAt" ASC, id ASC
         ) AS rank
  FROM "StatusPageDomain"
)
UPDATE "StatusPageDomain" AS claim
SET "verificationToken" = replace(gen_random_uuid()::text, '-', ''),
    status = 'PENDING',
    "verifiedAt" = NULL,
    "lastCheckedAt" = NULL,
    "failureReason" = 'This claim''s TXT value was also another claim''s, so it has a new one: publish the record shown here, then verify.',
    "updatedAt" = now()
FROM ranked
WHERE claim.id = ranked.id AND ranked.rank > 1;

-- AlterTable
ALTER TABLE "StatusPageDomain" ADD COLUMN     "waitingSince" TIMESTAMP(3);

-- 3. The holder of each domain, in a column of its own with a unique index: one VERIFIED
--    claim per domain. (A partial unique index would say the same, but Prisma's migrate
--    dev then re-adds it to every new migration.) The CHECK keeps the column true to
--    status and domain, whoever writes.
ALTER TABLE "StatusPageDomain" ADD COLUMN     "verifiedDomain" TEXT;
UPDATE "StatusPageDomain" SET "verifiedDomain" = domain WHERE status = 'VERIFIED';
ALTER TABLE "StatusPageDomain" ADD CONSTRAINT "StatusPageDomain_verifiedDomain_check"
  CHECK ("verifiedDomain" IS NOT DISTINCT FROM (CASE WHEN status = 'VERIFIED' THEN domain END));

-- CreateIndex
CREATE UNIQUE INDEX "StatusPageDomain_verificationToken_key" ON "StatusPageDomain"("verificationToken");

-- CreateIndex
CREATE UNIQUE INDEX "StatusPageDomain_verifiedDomain_key" ON "StatusPageDomain"("verifiedDomain");
