/**
 * The links in status page subscribers' mails, derived from a key of this instance's and
 * the subscriber, so nothing that works as a link is stored:
 *
 * - unsubscribe: `<subscriber id>.<HMAC("unsubscribe:<id>")>`, the same in every mail (a
 *   subscriber who leaves and comes back is a new row, with a new id and link);
 * - confirm again (after a page turned private or its password changed):
 *   `<id>.<pausedAt ms>.<HMAC("reconfirm:<id>:<pausedAt ms>")>` — the pause it answers is
 *   in it, so a later pause (another new password) makes the earlier link useless, and it
 *   expires RECONFIRM_DAYS after the pause.
 *
 * The key lives in the database (InstanceSecret), made by whichever process needs it
 * first, so the runner that writes the mails and the web process that follows the links
 * agree without sharing configuration (as core/outbox/acknowledge-link.ts does).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { instanceSecret } from "../db/queries/instance-secrets.ts";
import type { Sql } from "../db/sql.ts";

const KEY_NAME = "subscriber-links";

/** A confirm-again link works this long after the pause it answers. */
export const RECONFIRM_DAYS = 7;

/** The instance's key, made on first use. */
export async function subscriberLinkKey(sql: Sql): Promise<Buffer> {
  const value = await instanceSecret(sql, KEY_NAME, randomBytes(32).toString("base64url"));
  if (!value) throw new Error("The subscriber-link key could not be read");
  return Buffer.from(value, "base64url");
}

const mac = (key: Buffer, text: string) => createHmac("sha256", key).update(text).digest("base64url");

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A subscriber id as we make them (cuid), so nothing else reaches a query. */
const ID = /^[a-z0-9]{10,40}$/;

export function unsubscribeToken(key: Buffer, subscriberId: string): string {
  return `${subscriberId}.${mac(key, `unsubscribe:${subscriberId}`)}`;
}

/** The subscriber an unsubscribe token was made for by this instance, or null. */
export function unsubscribeTokenSubscriber(key: Buffer, token: string): string | null {
  const [id, signature, extra] = token.split(".");
  if (!id || !signature || extra !== undefined || !ID.test(id)) return null;
  return sameText(signature, mac(key, `unsubscribe:${id}`)) ? id : null;
}

export function reconfirmToken(key: Buffer, subscriberId: string, pausedAt: Date): string {
  const at = pausedAt.getTime();
  return `${subscriberId}.${at}.${mac(key, `reconfirm:${subscriberId}:${at}`)}`;
}

/** What a confirm-again token was made for by this instance (expiry not judged here), or null. */
export function reconfirmTokenFacts(key: Buffer, token: string): { subscriberId: string; pausedAt: Date } | null {
  const [id, at, signature, extra] = token.split(".");
  if (!id || !at || !signature || extra !== undefined || !ID.test(id) || !/^\d{1,15}$/.test(at)) return null;
  if (!sameText(signature, mac(key, `reconfirm:${id}:${at}`))) return null;
  return { subscriberId: id, pausedAt: new Date(Number(at)) };
}

export function unsubscribeUrl(appUrl: string, slug: string, token: string): string {
  return `${appUrl.replace(/\/$/, "")}/status/${slug}/unsubscribe?token=${encodeURIComponent(token)}`;
}

export function reconfirmUrl(appUrl: string, slug: string, token: string): string {
  return `${appUrl.replace(/\/$/, "")}/status/${slug}/reconfirm?token=${encodeURIComponent(token)}`;
}
