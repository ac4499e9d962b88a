-- Subscribers (issue 25): unsubscribe tokens are no longer stored in a usable form. New
-- mails carry a token derived from a key of the instance's and the subscriber (nothing
-- stored); the tokens of mails already sent are hashed in place (SHA-256, hex, as
-- app/server/services/auth/crypto.server.ts hashes tokens), so their links keep working.
ALTER TABLE "Subscriber" RENAME COLUMN "unsubscribeToken" TO "unsubscribeTokenHash";
ALTER INDEX "Subscriber_unsubscribeToken_key" RENAME TO "Subscriber_unsubscribeTokenHash_key";
ALTER TABLE "Subscriber" ALTER COLUMN "unsubscribeTokenHash" DROP NOT NULL;
UPDATE "Subscriber" SET "unsubscribeTokenHash" = encode(sha256(convert_to("unsubscribeTokenHash", 'UTF8')), 'hex');

-- Confirmation links expire 7 days after they are mailed. When a pending row's latest
-- link was mailed is not known: links already out get their 7 days from now.
ALTER TABLE "Subscriber" ADD COLUMN "confirmSentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- A private page's subscriptions pause until the subscriber confirms again.
ALTER TABLE "Subscriber" ADD COLUMN "pausedAt" TIMESTAMP(3);
