/**
 * Email subscribers of a published page: double opt-in (a confirmation link mailed
 * first, working for CONFIRM_LINK_DAYS; nothing else is sent until it is followed) and
 * one-click unsubscribe (every mail carries the link). Answers never reveal whether an
 * address was already subscribed.
 *
 * No link that works is stored: the confirmation token as its SHA-256, the unsubscribe
 * and confirm-again tokens derived from a key of the instance's and the subscriber
 * (core/outbox/subscriber-links.ts) — only mails sent before that carry a stored token,
 * kept as its SHA-256 (`unsubscribeTokenHash`).
 */
import {
  RECONFIRM_DAYS,
  reconfirmTokenFacts,
  subscriberLinkKey,
  unsubscribeTokenSubscriber,
} from "../../../../core/outbox/subscriber-links.ts";
import { newToken, sha256 } from "../crypto.server.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import type { Scope } from "../scope.server.ts";
import { assertPageOpen, type AccessProof } from "./page-access.server.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";

/** A confirmation link works this long after it is mailed. */
export const CONFIRM_LINK_DAYS = 7;

const DAY_MS = 86_400_000;

function linkKey(scope: Scope): Promise<Buffer> {
  return subscriberLinkKey(sqlOfPrisma(scope.db));
}

/** Mails a confirmation link; `delivered` false when no SMTP server is configured. */
export async function subscribe(
  ctx: Scope,
  input: { slug: string; email: string; access?: AccessProof | undefined },
): Promise<{ delivered: boolean }> {
  const page = await ctx.db.statusPage.findFirst({
    where: { slug: input.slug, isPublished: true },
    select: { id: true, name: true, slug: true, visibility: true },
  });
  if (!page) throw new NotFoundError("Status page not found");
  // A private page's updates are for those who may see it.
  await assertPageOpen(ctx, page.slug, page.visibility, input.access ?? {});
  await ctx.rateLimits.consume("subscribe", { ip: ctx.clientIp, email: input.email, page: page.id });
  const existing = await ctx.db.subscriber.findUnique({
    where: { statusPageId_email: { statusPageId: page.id, email: input.email } },
  });
  if (existing?.confirmedAt) {
    // Paused (the page turned private): this visitor has just passed its access check.
    if (existing.pausedAt) await ctx.db.subscriber.update({ where: { id: existing.id }, data: { pausedAt: null } });
    return { delivered: ctx.mailer.configured };
  }
  const token = newToken("sub_");
  if (existing) {
    await ctx.db.subscriber.update({
      where: { id: existing.id },
      data: { confirmTokenHash: sha256(token), confirmSentAt: new Date() },
    });
  } else {
    await ctx.db.subscriber
      .create({
        data: { statusPageId: page.id, email: input.email, confirmTokenHash: sha256(token), confirmSentAt: new Date() },
      })
      .catch((error: unknown) => {
        // Subscribed a moment ago, concurrently: that request mailed the link.
        if ((error as { code?: string }).code !== "P2002") throw error;
      });
  }
  const pageUrl = `${ctx.env.APP_URL}/status/${page.slug}`;
  const delivered = await ctx.mailer.send({
    to: input.email,
    subject: `Confirm your subscription to ${page.name}`,
    text: [
      `Someone (hopefully you) asked to receive updates from ${page.name} at this address.`,
      "",
      `Confirm with this link: ${pageUrl}/confirm?token=${encodeURIComponent(token)}`,
      "",
      `The link works for ${CONFIRM_LINK_DAYS} days.`,
      "",
      "If it was not you, ignore this mail: nothing will be sent without confirmation.",
    ].join("\n"),
  });
  return { delivered };
}

/**
 * Confirms the subscription the token was mailed for; repeating it is harmless. A link
 * older than CONFIRM_LINK_DAYS is refused, saying so.
 */
export async function confirmSubscription(
  { db }: Scope,
  { token }: { token: string },
): Promise<{ pageName: string; slug: string }> {
  const subscriber = await db.subscriber.findUnique({
    where: { confirmTokenHash: sha256(token) },
    include: { statusPage: { select: { name: true, slug: true } } },
  });
  if (!subscriber)
    throw new NotFoundError("This confirmation link is not valid (it may have been replaced by a newer one).");
  if (!subscriber.confirmedAt) {
    if (subscriber.confirmSentAt.getTime() < Date.now() - CONFIRM_LINK_DAYS * DAY_MS) {
      throw new ValidationError({
        token: [
          `This confirmation link has expired: links work for ${CONFIRM_LINK_DAYS} days. Subscribe again on the status page to get a new one.`,
        ],
      });
    }
    await db.subscriber.update({ where: { id: subscriber.id }, data: { confirmedAt: new Date() } });
  }
  return { pageName: subscriber.statusPage.name, slug: subscriber.statusPage.slug };
}

/**
 * A paused subscription (its page turned private, or its password changed) goes on once
 * the subscriber passes the page's access check — its cookie or token here; a password
 * is turned into the cookie first by the route, through `unlockPage` — with the link
 * mailed for that pause, within RECONFIRM_DAYS of it. Repeating it is harmless.
 */
export async function reconfirmSubscription(
  scope: Scope,
  { slug, token, access }: { slug: string; token: string; access?: AccessProof | undefined },
): Promise<{ pageName: string }> {
  const facts = reconfirmTokenFacts(await linkKey(scope), token);
  const subscriber =
    facts &&
    (await scope.db.subscriber.findUnique({
      where: { id: facts.subscriberId },
      include: { statusPage: { select: { name: true, slug: true, visibility: true } } },
    }));
  if (!facts || !subscriber || subscriber.statusPage.slug !== slug) {
    throw new NotFoundError("This link is not valid (the subscription may have ended).");
  }
  const page = subscriber.statusPage;
  if (!subscriber.pausedAt) return { pageName: page.name };
  if (subscriber.pausedAt.getTime() !== facts.pausedAt.getTime()) {
    throw new ValidationError({
      token: ["This link was replaced by a newer one (the page's password changed again): use the latest mail's link."],
    });
  }
  if (facts.pausedAt.getTime() < Date.now() - RECONFIRM_DAYS * DAY_MS) {
    throw new ValidationError({
      token: [
        `This link has expired: it worked for ${RECONFIRM_DAYS} days. Subscribe again on the status page (you will need its password).`,
      ],
    });
  }
  await assertPageOpen(scope, page.slug, page.visibility, access ?? {});
  await scope.db.subscriber.updateMany({
    where: { id: subscriber.id, pausedAt: facts.pausedAt },
    data: { pausedAt: null },
  });
  return { pageName: page.name };
}

/**
 * Removes the subscription; its pending mails go with it. Unknown tokens: already gone.
 * A token is derived (mails from now on) or, from a mail sent before, found by its hash.
 */
export async function unsubscribe(scope: Scope, { token }: { token: string }): Promise<{ pageName: string | null }> {
  const { db } = scope;
  const derived = unsubscribeTokenSubscriber(await linkKey(scope), token);
  const subscriber = await db.subscriber.findUnique({
    where: derived ? { id: derived } : { unsubscribeTokenHash: sha256(token) },
    include: { statusPage: { select: { name: true } } },
  });
  if (!subscriber) return { pageName: null };
  await db.subscriber.delete({ where: { id: subscriber.id } }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== "P2025") throw error; // unsubscribed concurrently
  });
  return { pageName: subscriber.statusPage.name };
}
