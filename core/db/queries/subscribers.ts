/**
 * Status page subscribers' statements that are not plain model-API reads and writes:
 * pausing a page's subscriptions (with one confirm-again mail each, in the outbox) and
 * resuming them (core/outbox/subscriber-pause.ts says when and why).
 */
import type { Sql } from "../sql.ts";

/** Forgets the page's unconfirmed subscribers (their opt-in link was mailed before the page closed). */
export async function deleteUnconfirmedSubscribers(sql: Sql, pageId: string): Promise<void> {
  await sql.execute(`DELETE FROM "Subscriber" WHERE "statusPageId" = $1 AND "confirmedAt" IS NULL`, [pageId]);
}

/** Drops the mails still waiting for the page's subscribers (only those of `event`, when given). */
export async function deletePendingSubscriberMail(sql: Sql, pageId: string, event?: string): Promise<void> {
  if (event === undefined) {
    await sql.execute(
      `DELETE FROM "NotificationDelivery"
     WHERE status = 'PENDING' AND "subscriberId" IN (SELECT id FROM "Subscriber" WHERE "statusPageId" = $1)`,
      [pageId],
    );
    return;
  }
  await sql.execute(
    `DELETE FROM "NotificationDelivery"
     WHERE status = 'PENDING' AND event = $2
       AND "subscriberId" IN (SELECT id FROM "Subscriber" WHERE "statusPageId" = $1)`,
    [pageId, event],
  );
}

/** Pauses the page's confirmed subscribers at `pausedAt` and queues each one mail; returns how many. */
export function pauseConfirmedSubscribers(
  sql: Sql,
  pageId: string,
  pausedAt: Date,
  mail: { event: string; payload: string },
): Promise<number> {
  return sql.execute(
    `WITH paused AS (
       UPDATE "Subscriber" SET "pausedAt" = $2 WHERE "statusPageId" = $1 AND "confirmedAt" IS NOT NULL RETURNING id)
     INSERT INTO "NotificationDelivery" (id, "subscriberId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || paused.id), paused.id, $3, $4::jsonb FROM paused`,
    [pageId, pausedAt, mail.event, mail.payload],
  );
}

/** Resumes the page's paused subscribers; returns how many. */
export function resumePausedSubscribers(sql: Sql, pageId: string): Promise<number> {
  return sql.execute(`UPDATE "Subscriber" SET "pausedAt" = NULL WHERE "statusPageId" = $1 AND "pausedAt" IS NOT NULL`, [
    pageId,
  ]);
}
