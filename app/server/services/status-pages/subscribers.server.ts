/**
 * Email subscribers of a published page: double opt-in (a confirmation link mailed
 * first; nothing else is sent until it is followed) and one-click unsubscribe (every
 * mail carries the link). Answers never reveal whether an address was already
 * subscribed.
 */
import { newToken, sha256 } from "../auth/crypto.server.ts";
import { NotFoundError } from "../errors.server.ts";
import type { Scope } from "../scope.server.ts";
import { assertPageOpen, type AccessProof } from "./page-access.server.ts";

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
  if (existing?.confirmedAt) return { delivered: ctx.mailer.configured };
  const token = newToken("sub_");
  if (existing) {
    await ctx.db.subscriber.update({ where: { id: existing.id }, data: { confirmTokenHash: sha256(token) } });
  } else {
    await ctx.db.subscriber
      .create({
        data: {
          statusPageId: page.id,
          email: input.email,
          confirmTokenHash: sha256(token),
          unsubscribeToken: newToken("unsub_"),
        },
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
      "If it was not you, ignore this mail: nothing will be sent without confirmation.",
    ].join("\n"),
  });
  return { delivered };
}

/** Confirms the subscription the token was mailed for; repeating it is harmless. */
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
  if (!subscriber.confirmedAt)
    await db.subscriber.update({ where: { id: subscriber.id }, data: { confirmedAt: new Date() } });
  return { pageName: subscriber.statusPage.name, slug: subscriber.statusPage.slug };
}

/** Removes the subscription; its pending mails go with it. Unknown tokens: already gone. */
export async function unsubscribe({ db }: Scope, { token }: { token: string }): Promise<{ pageName: string | null }> {
  const subscriber = await db.subscriber.findUnique({
    where: { unsubscribeToken: token },
    include: { statusPage: { select: { name: true } } },
  });
  if (!subscriber) return { pageName: null };
  await db.subscriber.delete({ where: { id: subscriber.id } }).catch((error: unknown) => {
    if ((error as { code?: string }).code !== "P2025") throw error; // unsubscribed concurrently
  });
  return { pageName: subscriber.statusPage.name };
}
