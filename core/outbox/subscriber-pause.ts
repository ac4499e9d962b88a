/**
 * Subscribers of a private page get mail only while they could still open it. When a
 * page turns private or its password changes, its subscriptions pause (no incident,
 * maintenance or announcement mail reaches them: the queueing in enqueue.ts skips paused
 * subscribers) and each confirmed subscriber is mailed one link to confirm again through
 * the page's access check (subscriber-links.ts); when the page stops being private, they
 * resume. Written into the outbox inside the owner's transaction, like every other mail.
 */
import { z } from "zod";
import {
  deletePendingSubscriberMail,
  deleteUnconfirmedSubscribers,
  pauseConfirmedSubscribers,
  resumePausedSubscribers,
} from "../db/queries/subscribers.ts";
import type { Sql } from "../db/sql.ts";
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
  sql: Sql,
  page: { id: string; name: string; slug: string },
  reason: PauseReason,
  pausedAt: Date,
): Promise<number> {
  await deleteUnconfirmedSubscribers(sql, page.id);
  await deletePendingSubscriberMail(sql, page.id);
  const payload: ReconfirmPayload = {
    event: RECONFIRM_EVENT,
    occurredAt: pausedAt.toISOString(),
    reason,
    page: { name: page.name, slug: page.slug },
    pausedAt: pausedAt.toISOString(),
  };
  return pauseConfirmedSubscribers(sql, page.id, pausedAt, {
    event: RECONFIRM_EVENT,
    payload: JSON.stringify(payload),
  });
}

/** The page is open to anyone with its address again: paused subscriptions resume. */
export async function resumeSubscriptions(sql: Sql, pageId: string): Promise<number> {
  await deletePendingSubscriberMail(sql, pageId, RECONFIRM_EVENT);
  return resumePausedSubscribers(sql, pageId);
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
