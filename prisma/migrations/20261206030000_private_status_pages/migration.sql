-- Private and unlisted status pages (issue 18): who may see a page, the password that
-- opens a private one (hashed), and the token its feeds, JSON and badges take.
-- CreateEnum
CREATE TYPE "PageVisibility" AS ENUM ('PUBLIC', 'UNLISTED', 'PRIVATE');

-- AlterTable
ALTER TABLE "StatusPage" ADD COLUMN     "accessPasswordHash" TEXT,
ADD COLUMN     "accessToken" TEXT,
ADD COLUMN     "visibility" "PageVisibility" NOT NULL DEFAULT 'PUBLIC';

