/**
 * The "Acknowledge" link in alert emails: `/incidents/<id>/acknowledge?channel=…&sig=…`,
 * signed with a key of this instance's (HMAC-SHA256 over the incident and the channel),
 * so it acknowledges that one incident, in that recipient's name, and nothing else. The
 * key lives in the database (InstanceSecret), made by whichever process needs it first,
 * so the runner that writes the mail and the web process that follows the link agree.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const KEY_NAME = "acknowledge-links";

/** Runs SQL and returns rows: a pg client or pool, or Prisma's $queryRawUnsafe. */
export type QueryRows = (sql: string, values: unknown[]) => Promise<{ value: string }[]>;

/** The instance's key, made on first use (several processes may race: one insert wins, all read it). */
export async function acknowledgeKey(query: QueryRows): Promise<Buffer> {
  await query(
    `INSERT INTO "InstanceSecret" (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value`,
    [KEY_NAME, randomBytes(32).toString("base64url")],
  );
  const [row] = await query(`SELECT value FROM "InstanceSecret" WHERE name = $1`, [KEY_NAME]);
  if (!row) throw new Error("The acknowledge-link key could not be read");
  return Buffer.from(row.value, "base64url");
}

function signature(key: Buffer, incidentId: string, channelId: string): string {
  return createHmac("sha256", key).update(`acknowledge:${incidentId}:${channelId}`).digest("base64url");
}

export function acknowledgeUrl(appUrl: string, key: Buffer, incidentId: string, channelId: string): string {
  const query = new URLSearchParams({ channel: channelId, sig: signature(key, incidentId, channelId) });
  return `${appUrl.replace(/\/$/, "")}/incidents/${encodeURIComponent(incidentId)}/acknowledge?${query.toString()}`;
}

/** Whether `sig` was made by this instance for this incident and channel (constant time). */
export function validAcknowledgeSignature(key: Buffer, incidentId: string, channelId: string, sig: string): boolean {
  const expected = Buffer.from(signature(key, incidentId, channelId));
  const given = Buffer.from(sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
