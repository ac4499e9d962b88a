/**
 * Generic webhooks are signed: `X-BetterUptime-Signature: sha256=<hex HMAC-SHA256 of the
 * raw body with the channel's signing secret>`. Receivers recompute it and compare in
 * constant time (verifySignature shows how).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-betteruptime-signature";

export function sign(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export function verifySignature(secret: string, body: string, header: string | null | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(secret, body));
  const actual = Buffer.from(header);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
