-- Read-your-writes with a replica: a user's last change through the API.
ALTER TABLE "User" ADD COLUMN "lastWriteAt" TIMESTAMP(3);
