/**
 * Who may see a status page. PUBLIC: anyone, indexed. UNLISTED: anyone with the address,
 * never indexed. PRIVATE: a password opens it — the visitor gets a signed cookie for the
 * page (HMAC with SESSION_SECRET over the page, the expiry and the password's hash, so
 * changing the password closes every open session) — and its feed, JSON and badges take
 * the page's access token instead (feed readers and <img> tags carry no cookies).
 *
 * Answers for private pages are never kept by shared caches (`private, no-store`), so a
 * visitor without access can never be handed what one with access was shown.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import type { PageVisibility, SetPageAccessInput } from "~/lib/status-pages/status-page-input.ts";
import { AuthenticationError, NotFoundError, ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { countOwnerPasswordWork } from "../process/password-work.server.ts";
import { accessCookieName } from "~/lib/status-pages/page-access-cookie.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import { pauseSubscriptions, resumeSubscriptions, type PauseReason } from "../../../../core/outbox/subscriber-pause.ts";

/** What a visitor brings: the page's cookie, or its access token (`?token=`). */
export interface AccessProof {
  cookie?: string | null;
  token?: string | null;
}

/** A private page's lock, read per request (never kept with the page's public data). */
interface Lock {
  pageId: string;
  passwordHash: string;
  accessToken: string | null;
}

/** An unlocked page stays open this long in the visitor's browser. */
export const ACCESS_DAYS = 30;

/** Thrown for a private page without a valid proof: routes answer with the password form (or 401). */
export class PageLockedError extends AuthenticationError {
  override name = "PageLockedError";
  constructor() {
    super("This status page is private: enter its password.");
  }
}

function sign(secret: string, lock: Lock, expiresAt: number): string {
  return createHmac("sha256", secret)
    .update(`page-access:${lock.pageId}:${expiresAt}:${lock.passwordHash}`)
    .digest("base64url");
}

const sameText = (a: string, b: string) => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** Whether the proof opens the lock (pure but for the clock). */
export function opens(secret: string, lock: Lock, proof: AccessProof, nowMs = Date.now()): boolean {
  if (proof.token && lock.accessToken && sameText(proof.token, lock.accessToken)) return true;
  const [expires, signature] = (proof.cookie ?? "").split(".");
  const expiresAt = Number(expires);
  if (!signature || !Number.isSafeInteger(expiresAt) || expiresAt * 1000 <= nowMs) return false;
  return sameText(signature, sign(secret, lock, expiresAt));
}

async function lockOf(scope: Scope, slug: string): Promise<Lock | null> {
  const page = await scope.db.statusPage.findFirst({
    where: { slug, isPublished: true, visibility: "PRIVATE" },
    select: { id: true, accessPasswordHash: true, accessToken: true },
  });
  if (!page) return null;
  // A private page without a password opens for nobody but its owner's token holders.
  return { pageId: page.id, passwordHash: page.accessPasswordHash ?? "", accessToken: page.accessToken };
}

/** Throws PageLockedError unless the page is open to this visitor. */
export async function assertPageOpen(scope: Scope, slug: string, visibility: PageVisibility, proof: AccessProof) {
  if (visibility !== "PRIVATE") return;
  const lock = await lockOf(scope, slug);
  if (!lock || !opens(scope.env.SESSION_SECRET, lock, proof)) throw new PageLockedError();
}

/**
 * A visitor's password: a signed cookie value for the page, or a field error. Attempts
 * are limited per address on the page (never page-wide: one visitor must not lock out
 * the others); the hash is checked in the unlock lane, which answers 429 when full.
 */
export async function unlockPage(
  scope: Scope,
  { slug, password }: { slug: string; password: string },
): Promise<{ cookieName: string; cookieValue: string; maxAgeSeconds: number }> {
  await scope.rateLimits.consume("pageUnlock", { ip: scope.clientIp, page: slug });
  const lock = await lockOf(scope, slug);
  if (!lock) throw new NotFoundError("Status page not found");
  if (
    !lock.passwordHash ||
    !(await scope.passwords.verify("unlocks", lock.passwordHash, password, { pageId: lock.pageId }))
  ) {
    throw new ValidationError({ password: ["That is not the password of this page."] });
  }
  const maxAgeSeconds = ACCESS_DAYS * 86_400;
  const expiresAt = Math.floor(Date.now() / 1000) + maxAgeSeconds;
  return {
    cookieName: accessCookieName(slug),
    cookieValue: `${expiresAt}.${sign(scope.env.SESSION_SECRET, lock, expiresAt)}`,
    maxAgeSeconds,
  };
}

export interface PageAccessView {
  visibility: PageVisibility;
  /** PRIVATE: what the page's feed, JSON and badges take as `?token=` (the owner shares it). */
  accessToken: string | null;
}

/**
 * The owner chooses who may see the page. Making it private needs a password (and makes
 * a new access token); a private page keeps its password unless a new one is given.
 * Subscribers get mail only while they could open the page: turning it private or
 * changing its password pauses their subscriptions and mails each a link to confirm
 * again through the access check; opening it to anyone with the address resumes them.
 */
export async function setPageAccess(
  ctx: OwnerScope,
  input: z.output<typeof SetPageAccessInput>,
): Promise<PageAccessView> {
  const page = await ctx.own.page(input.id);
  if (input.visibility === "PRIVATE" && input.password) await countOwnerPasswordWork(ctx); // before the hash
  const stored = await ctx.db.statusPage.findUniqueOrThrow({
    where: { id: page.id },
    select: { accessPasswordHash: true, accessToken: true, visibility: true, name: true, slug: true },
  });
  let data: StoredAccess;
  if (input.visibility === "PRIVATE") {
    if (!input.password && !stored.accessPasswordHash) {
      throw new ValidationError({ password: ["Choose the password visitors will enter"] });
    }
    data = {
      visibility: "PRIVATE",
      accessPasswordHash: input.password
        ? await ctx.passwords.hash("owner", input.password)
        : stored.accessPasswordHash,
      accessToken: input.password || !stored.accessToken ? randomBytes(24).toString("base64url") : stored.accessToken,
    };
  } else {
    data = { visibility: input.visibility, accessPasswordHash: null, accessToken: null };
  }
  await storePageAccess(ctx, { id: page.id, ...stored }, data);
  return { visibility: data.visibility, accessToken: data.accessToken };
}

export interface StoredAccess {
  visibility: PageVisibility;
  accessPasswordHash: string | null;
  accessToken: string | null;
}

/**
 * Stores a page's new access and moves its subscribers with it, in one transaction: the
 * rule every change of access follows (the owner's settings, an import). Turning private
 * or a changed password hash pauses the subscriptions (a new password is a new hash);
 * no longer private resumes them.
 */
export async function storePageAccess(
  ctx: Pick<OwnerScope, "db" | "caches" | "reads">,
  page: { id: string; name: string; slug: string; visibility: string; accessPasswordHash: string | null },
  data: StoredAccess,
): Promise<void> {
  const wasPrivate = page.visibility === "PRIVATE";
  const pause: PauseReason | null =
    data.visibility !== "PRIVATE"
      ? null
      : !wasPrivate
        ? "private"
        : data.accessPasswordHash !== page.accessPasswordHash
          ? "password"
          : null;
  await ctx.db.$transaction(async (tx) => {
    await tx.statusPage.update({ where: { id: page.id }, data });
    if (pause) await pauseSubscriptions(sqlOfPrisma(tx), page, pause, new Date());
    else if (wasPrivate && data.visibility !== "PRIVATE") await resumeSubscriptions(sqlOfPrisma(tx), page.id);
  });
  ctx.caches.publicPages.invalidate(page.slug, ctx.reads.freshForMs);
}
