/**
 * Subscribers of a private page get mail only while they could still open it. When a
 * page turns private or its password changes, its subscriptions pause (no incident,
 * maintenance or announcement mail reaches them: the queueing in enqueue.ts skips paused
 * subscribers) and each confirmed subscriber is mailed one link to confirm again through
 * the page's access check (subscriber-links.ts); when the page stops being private, they
 * resume. Written into the outbox inside the owner's transaction, like every other mail.
 */
import { z } from "zod";
import type { SqlClient } from "./enqueue.ts";
import { RECONFIRM_DAYS } from "./subscriber-links.ts";

export const RECONFIRM_EVENT = "subscription.reconfirm";

/** Why the subscriptions paused: the page turned private, or its password changed. */
export type PauseReason = "private" | "password";

export const ReconfirmPayload = z.object({
  event: z.literal(RECONFIRM_EVENT),
  occurredAt: z.string(),
  reason: z.enum(["private", "password"]),
  page: z.object({ name: z.string(), slug: z.string() }),
  /** The pause this mail answers: its link is valid for this one only. */
  pausedAt: z.string(),
});
export type ReconfirmPayload = z.infer<typeof ReconfirmPayload>;

/**
 * Pauses the page's confirmed subscriptions (again, for a new password: the earlier
 * link stops working), forgets unconfirmed ones (their opt-in link was mailed before the
 * page closed), drops the page mails still waiting for them, and queues one
 * confirm-again mail each. Returns how many were paused.
 */
export async function pauseSubscriptions(
  client: SqlClient,
  page: { id: string; name: string; slug: string },
  reason: PauseReason,
  pausedAt: Date,
): Promise<number> {
  await client.query(`DELETE FROM "Subscriber" WHERE "statusPageId" = $1 AND "confirmedAt" IS NULL`, [page.id]);
  await client.query(
    `DELETE FROM "NotificationDelivery"
     WHERE status = 'PENDING' AND "subscriberId" IN (SELECT id FROM "Subscriber" WHERE "statusPageId" = $1)`,
    [page.id],
  );
  const payload: ReconfirmPayload = {
    event: RECONFIRM_EVENT,
    occurredAt: pausedAt.toISOString(),
    reason,
    page: { name: page.name, slug: page.slug },
    pausedAt: pausedAt.toISOString(),
  };
  const { rowCount } = await client.query(
    `WITH paused AS (
       UPDATE "Subscriber" SET "pausedAt" = $2 WHERE "statusPageId" = $1 AND "confirmedAt" IS NOT NULL RETURNING id)
     INSERT INTO "NotificationDelivery" (id, "subscriberId", event, payload)
     SELECT md5(random()::text || clock_timestamp()::text || paused.id), paused.id, $3, $4::jsonb FROM paused`,
    [page.id, pausedAt, RECONFIRM_EVENT, JSON.stringify(payload)],
  );
  return rowCount ?? 0;
}

/** The page is open to anyone with its address again: paused subscriptions resume. */
export async function resumeSubscriptions(client: SqlClient, pageId: string): Promise<number> {
  await client.query(
    `DELETE FROM "NotificationDelivery"
     WHERE status = 'PENDING' AND event = $2
       AND "subscriberId" IN (SELECT id FROM "Subscriber" WHERE "statusPageId" = $1)`,
    [pageId, RECONFIRM_EVENT],
  );
  const { rowCount } = await client.query(
    `UPDATE "Subscriber" SET "pausedAt" = NULL WHERE "statusPageId" = $1 AND "pausedAt" IS NOT NULL`,
    [pageId],
  );
  return rowCount ?? 0;
}

/** The confirm-again mail (pure). */
export function renderReconfirmEmail(
  payload: ReconfirmPayload,
  links: { reconfirm: string; unsubscribe: string },
): { subject: string; text: string } {
  const page = payload.page.name;
  const why =
    payload.reason === "private"
      ? `${page} is now a private status page: visitors need its password to open it.`
      : `The password of ${page}'s status page has changed.`;
  return {
    subject: `[${page}] Confirm your subscription again`,
    text: [
      why,
      "",
      "Your subscription is paused: you will get no more updates from this page until you",
      `confirm it again, with the page's password (or from a browser where the page is open):`,
      "",
      links.reconfirm,
      "",
      `This link works for ${RECONFIRM_DAYS} days. If you do nothing, the subscription ends then.`,
      "",
      `Unsubscribe now with one click: ${links.unsubscribe}`,
    ].join("\n"),
  };
}
