/**
 * Email and password: sign-up, login, email verification, password reset. Answers never
 * reveal whether an address has an account: sign-up always says "check your inbox",
 * reset always says "if an account exists…", login failures are all the same.
 */
import type { z } from "zod";
import type { ForgotPasswordInput, LoginInput, ResetPasswordInput, SignUpInput } from "~/lib/auth/auth-input.ts";
import type { Prisma } from "../../../../core/db/client.ts";
import { AuthenticationError, ValidationError } from "../errors.server.ts";
import { sendAccountExistsEmail, sendPasswordResetEmail, sendVerificationEmail } from "./account-emails.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { sessionUserSelect, type SessionUser } from "./session-user.server.ts";
import { sha256 } from "../crypto.server.ts";
import { isPasswordWorkBusy } from "../process/password-work.server.ts";
import type { LimitedAction, LimitKeys } from "../process/rate-limits.server.ts";
import { endOtherSessions } from "./sessions.server.ts";

/** Whether the email reached an SMTP server (false: it is in the server log). */
export interface MailOutcome {
  delivered: boolean;
}

/**
 * Runs `work` (argon2 in the sign-in lane) for an attempt already counted against
 * `action`; when the lane is too busy to take it, the attempt is given back before the
 * 429 goes out: "busy, retry in a few seconds" must not use up a person's attempts.
 */
async function inSignInLane<T>(ctx: Scope, action: LimitedAction, keys: LimitKeys, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isPasswordWorkBusy(error)) await ctx.rateLimits.refund(action, keys);
    throw error;
  }
}

export async function signUp(ctx: Scope, input: z.output<typeof SignUpInput>): Promise<MailOutcome> {
  const keys = { ip: ctx.clientIp, email: input.email };
  await ctx.rateLimits.consume("signup", keys);
  // Also for taken addresses: same timing.
  const passwordHash = await inSignInLane(ctx, "signup", keys, () => ctx.passwords.hash("signIn", input.password));
  const existing = await ctx.db.user.findUnique({ where: { email: input.email } });
  if (existing) return { delivered: await sendAccountExistsEmail(ctx, input.email) };
  const user = await ctx.db.user
    .create({ data: { email: input.email, passwordHash, name: input.name || null } })
    .catch((error: unknown) => {
      if ((error as { code?: string }).code === "P2002") return null; // signed up a moment ago, concurrently
      throw error;
    });
  if (!user) return { delivered: await sendAccountExistsEmail(ctx, input.email) };
  return { delivered: await sendVerificationEmail(ctx, user, user.email) };
}

export async function logIn(ctx: Scope, input: z.output<typeof LoginInput>): Promise<SessionUser> {
  const keys = { ip: ctx.clientIp, email: input.email };
  await ctx.rateLimits.consume("login", keys);
  const user = await ctx.db.user.findUnique({
    where: { email: input.email },
    select: { ...sessionUserSelect, passwordHash: true, isActive: true },
  });
  const valid = await inSignInLane(ctx, "login", keys, () =>
    ctx.passwords.verify("signIn", user?.passwordHash ?? null, input.password, user ? { userId: user.id } : {}),
  );
  if (!user || !valid || !user.isActive) throw new AuthenticationError("Email or password is incorrect.");
  const { passwordHash: _hash, isActive: _active, ...sessionUser } = user;
  return sessionUser;
}

/** A token looked up by its hash, with a clear reason when it cannot be used. */
function assertUsable(token: { usedAt: Date | null; expiresAt: Date } | null, what: string): asserts token {
  if (!token) throw new ValidationError({ token: [`This ${what} link is not valid. Request a new one.`] });
  if (token.usedAt) throw new ValidationError({ token: [`This ${what} link has already been used.`] });
  if (token.expiresAt.getTime() <= Date.now()) {
    throw new ValidationError({ token: [`This ${what} link has expired. Request a new one.`] });
  }
}

/**
 * Whoever controls the address takes the account over from whoever made it before: the
 * first proof of the address (verification or password reset) ends every session, API
 * token and connected sign-in made before it. Without this, someone who signed up with
 * another person's address could keep a way in after the real owner claims it
 * (account pre-hijacking).
 */
async function endEverythingBefore(tx: Prisma.TransactionClient, userId: string): Promise<void> {
  await tx.session.deleteMany({ where: { userId } });
  await tx.apiToken.deleteMany({ where: { userId } });
  await tx.account.deleteMany({ where: { userId } });
}

/**
 * Marks the address verified (applying an email change). `signIn`: whether the clicker
 * may be signed in — never for an email change, whose link proves only the new address.
 */
export async function verifyEmail(
  ctx: Scope,
  { token }: { token: string },
): Promise<SessionUser & { signIn: boolean }> {
  const record = await ctx.db.emailVerificationToken.findUnique({ where: { tokenHash: sha256(token) } });
  assertUsable(record, "verification");
  return ctx.db.$transaction(async (tx) => {
    // Claim the token first: of two clicks racing, only one gets here with a row.
    const { count } = await tx.emailVerificationToken.updateMany({
      where: { id: record.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (count === 0) throw new ValidationError({ token: ["This verification link has already been used."] });
    const taken = await tx.user.findFirst({ where: { email: record.email, id: { not: record.userId } } });
    if (taken) throw new ValidationError({ token: ["This address now belongs to another account."] });
    const before = await tx.user.findUniqueOrThrow({ where: { id: record.userId } });
    if (!before.emailVerified) await endEverythingBefore(tx, before.id);
    const user = await tx.user.update({
      where: { id: record.userId },
      data: { email: record.email, emailVerified: true },
      select: sessionUserSelect,
    });
    return { ...user, signIn: before.email === record.email };
  });
}

export async function resendVerification(ctx: OwnerScope): Promise<MailOutcome> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId } });
  await ctx.rateLimits.consume("resend", { ip: ctx.clientIp, email: user.email });
  if (user.emailVerified) throw new ValidationError({ email: ["Your email address is already verified."] });
  return { delivered: await sendVerificationEmail(ctx, user, user.email) };
}

export async function requestPasswordReset(
  ctx: Scope,
  input: z.output<typeof ForgotPasswordInput>,
): Promise<MailOutcome> {
  await ctx.rateLimits.consume("reset", { ip: ctx.clientIp, email: input.email });
  const user = await ctx.db.user.findUnique({ where: { email: input.email } });
  if (!user || !user.isActive) return { delivered: ctx.mailer.configured };
  return { delivered: await sendPasswordResetEmail(ctx, user) };
}

/** Sets the new password, ends every session, revokes every API token, and returns the user, to sign in. */
export async function resetPassword(ctx: Scope, input: z.output<typeof ResetPasswordInput>): Promise<SessionUser> {
  const record = await ctx.db.passwordResetToken.findUnique({ where: { tokenHash: sha256(input.token) } });
  assertUsable(record, "password reset");
  const passwordHash = await ctx.passwords.hash("signIn", input.password);
  const user = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.passwordResetToken.updateMany({
      where: { id: record.id, usedAt: null },
      data: { usedAt: new Date() },
    });
    if (count === 0) throw new ValidationError({ token: ["This password reset link has already been used."] });
    // Opening the mailed link proves control of the address, too.
    const before = await tx.user.findUniqueOrThrow({ where: { id: record.userId } });
    if (!before.emailVerified) await endEverythingBefore(tx, before.id);
    // A reset is how an owner takes their account back: no API token made before it
    // (perhaps by whoever had the old password) keeps working.
    await tx.apiToken.deleteMany({ where: { userId: record.userId } });
    return tx.user.update({
      where: { id: record.userId },
      data: { passwordHash, emailVerified: true },
      select: sessionUserSelect,
    });
  });
  await endOtherSessions(ctx.db, user.id);
  return user;
}
