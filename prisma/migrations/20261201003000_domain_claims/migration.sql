-- A pending claim must not block the domain's real owner: several pages may claim a
-- domain, and the latest TXT proof holds it (enforced when verifying).
-- DropIndex
DROP INDEX "StatusPageDomain_domain_key";

-- CreateIndex
CREATE INDEX "StatusPageDomain_domain_idx" ON "StatusPageDomain"("domain");
