/**
 * The "Acknowledge" link in alert emails:
 * `/incidents/<id>/acknowledge?channel=…&exp=…&sig=…`, signed with a key of this
 * instance's (HMAC-SHA256 over the incident, the channel and the expiry), so it
 * acknowledges that one incident, in that recipient's name, and nothing else — for
 * ACKNOWLEDGE_LINK_TTL_SECONDS after the mail was written, while the incident is open
 * and while the channel still alerts for its monitor (acknowledgeLinkVerdict).
 *
 * Links mailed before expiries existed carry no `exp` (their signature covers the
 * incident and channel only): they are accepted by the same rules, with the incident's
 * start standing in for the signing time — open, the channel still there, the incident
 * younger than the TTL (docs/decisions/005-acknowledge-link-expiry.md).
 *
 * The key lives in the database (InstanceSecret), made by whichever process needs it
 * first, so the runner that writes the mail and the web process that follows the link agree.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { instanceSecret } from "../db/queries/instance-secrets.ts";
import type { Sql } from "../db/sql.ts";

const KEY_NAME = "acknowledge-links";

/** How long a link works after its mail was written (reminders carry fresh ones). */
export const ACKNOWLEDGE_LINK_TTL_SECONDS = 7 * 24 * 3600;

/** The instance's key, made on first use. */
export async function acknowledgeKey(sql: Sql): Promise<Buffer> {
  const value = await instanceSecret(sql, KEY_NAME, randomBytes(32).toString("base64url"));
  return Buffer.from(value!, "base64url");
}

/** What a link's signature covers: with an expiry (a distinct form, so neither passes for the other) or, in old mails, without. */
function signedText(incidentId: string, channelId: string, expiresAt: number | undefined): string {
  return expiresAt === undefined
    ? `acknowledge:${incidentId}:${channelId}`
    : `acknowledge-v2\n${incidentId}\n${channelId}\n${expiresAt}`;
}

function signature(key: Buffer, incidentId: string, channelId: string, expiresAt: number | undefined): string {
  return createHmac("sha256", key)
    .update(signedText(incidentId, channelId, expiresAt))
    .digest("base64url");
}

/** The link for a mail written at `now`; it expires ACKNOWLEDGE_LINK_TTL_SECONDS later. */
export function acknowledgeUrl(
  appUrl: string,
  key: Buffer,
  incidentId: string,
  channelId: string,
  now = new Date(),
): string {
  const exp = Math.floor(now.getTime() / 1000) + ACKNOWLEDGE_LINK_TTL_SECONDS;
  const query = new URLSearchParams({
    channel: channelId,
    exp: String(exp),
    sig: signature(key, incidentId, channelId, exp),
  });
  return `${appUrl.replace(/\/$/, "")}/incidents/${encodeURIComponent(incidentId)}/acknowledge?${query.toString()}`;
}

export interface SignedAcknowledgeLink {
  id: string;
  channel: string;
  /** Unix seconds; absent in links mailed before expiries existed. */
  exp?: number | undefined;
  sig: string;
}

/** Whether `sig` was made by this instance for this incident, channel and expiry (constant time). */
export function validAcknowledgeSignature(key: Buffer, link: SignedAcknowledgeLink): boolean {
  const expected = Buffer.from(signature(key, link.id, link.channel, link.exp));
  const given = Buffer.from(link.sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Why a correctly signed link no longer acknowledges anything. */
export type AcknowledgeLinkRefusal = "closed" | "expired" | "channelRemoved";

/**
 * Whether a correctly signed link still works (pure). In order: the incident is over;
 * the link is past its expiry (an old link without one: the incident started more than
 * the TTL ago); the channel it was mailed to was deleted or no longer alerts for the
 * incident's monitor.
 */
export function acknowledgeLinkVerdict(input: {
  exp: number | undefined;
  incident: { startedAt: Date; resolvedAt: Date | null };
  channelAlertsMonitor: boolean;
  now: Date;
}): AcknowledgeLinkRefusal | null {
  if (input.incident.resolvedAt) return "closed";
  const expiresAtMs =
    input.exp === undefined
      ? input.incident.startedAt.getTime() + ACKNOWLEDGE_LINK_TTL_SECONDS * 1000
      : input.exp * 1000;
  if (input.now.getTime() >= expiresAtMs) return "expired";
  if (!input.channelAlertsMonitor) return "channelRemoved";
  return null;
}
