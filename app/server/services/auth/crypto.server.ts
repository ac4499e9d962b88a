/**
 * Secrets we hand out (session, verification, reset and API tokens) are 32 random
 * bytes; we store only their SHA-256, so a database leak does not leak working tokens.
 * Passwords are hashed with argon2id (@node-rs/argon2's defaults follow OWASP).
 */
import { createHash, randomBytes } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

export function newToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function sha256(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  // Without a hash (unknown email, OAuth-only user) still spend the time, so response
  // times do not tell whether an account exists.
  const target = passwordHash ?? DUMMY_HASH;
  const ok = await verify(target, password).catch(() => false);
  return passwordHash !== null && ok;
}

const DUMMY_HASH = "$argon2id$v=19$m=19456,t=2,p=1$GckEkR6bK8tLZJx9+MOKnQ$TlYvUxX8j0dMgfbJovGXQa85YUXBg4X19+Vjhf+fpwE";
