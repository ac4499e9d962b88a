/**
 * Secrets we hand out (session, verification, reset and API tokens) are 32 random
 * bytes; we store only their SHA-256, so a database leak does not leak working tokens.
 * Passwords are hashed with argon2id at the instance's one policy
 * (core/domain/password-hash.ts); no hash costlier than that policy is ever verified.
 * These are the bare operations: services reach them through `scope.passwords`
 * (password-work.server.ts), which bounds how many run at once.
 */
import { createHash, randomBytes } from "node:crypto";
import { hash, verify, type Algorithm, type Options, type Version } from "@node-rs/argon2";
import type { Logger } from "../../../core/logger.ts";
import { costBeyondPolicy, parsePasswordHash, PASSWORD_HASH_POLICY } from "../../../core/domain/password-hash.ts";

export function newToken(prefix = ""): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

export function sha256(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** The policy in @node-rs/argon2's terms (its enums are `const enum`s, not importable values). */
export const ARGON2_OPTIONS: Options = {
  algorithm: 2 satisfies Algorithm.Argon2id,
  version: 1 satisfies Version.V0x13,
  memoryCost: PASSWORD_HASH_POLICY.memoryCost,
  timeCost: PASSWORD_HASH_POLICY.timeCost,
  parallelism: PASSWORD_HASH_POLICY.parallelism,
  outputLen: PASSWORD_HASH_POLICY.hashLength,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_OPTIONS);
}

/** Runs one argon2 computation (password-work.server.ts passes its bounded lane). */
export type HashRunner = <T>(job: () => Promise<T>) => Promise<T>;

/**
 * Whether `password` matches the stored hash. A hash this instance could not have made
 * at its policy's cost (unparseable, or costlier in memory, passes, lanes or output) is
 * refused at once — before it waits for a slot in `run` — with a warning naming its
 * parameters but never the hash.
 */
export async function verifyPassword(
  passwordHash: string | null,
  password: string,
  logger: Pick<Logger, "warn">,
  run: HashRunner = (job) => job(),
  /** Whose hash it is, for the warning (a page's or a user's id). */
  subject: Record<string, string> = {},
): Promise<boolean> {
  // Without a hash (unknown email, OAuth-only user) still spend the time, so response
  // times do not tell whether an account exists.
  const target = passwordHash ?? DUMMY_HASH;
  const parameters = parsePasswordHash(target);
  const beyond = parameters ? costBeyondPolicy(parameters) : [];
  if (!parameters || beyond.length > 0) {
    logger.warn(
      { ...subject, hashParameters: parameters, beyondPolicy: beyond },
      parameters
        ? "refused to verify a password hash costlier than this instance's policy"
        : "refused to verify a stored password hash that is not an argon2 PHC string",
    );
    return false;
  }
  // A full lane rejects `run` itself: that is the caller's answer (429), not a wrong password.
  const ok = await run(() => verify(target, password).catch(() => false));
  return passwordHash !== null && ok;
}

/** A hash at the policy's cost (tests/unit/password-hash.test.ts holds them together). */
export const DUMMY_HASH =
  "$argon2id$v=19$m=19456,t=2,p=1$GckEkR6bK8tLZJx9+MOKnQ$TlYvUxX8j0dMgfbJovGXQa85YUXBg4X19+Vjhf+fpwE";
