/**
 * A user's own account: profile, email and password changes, connected sign-in
 * methods, sessions, deletion. Every function acts on `userId` only.
 */
import type { z } from "zod";
import type { ChangeEmailInput, ChangePasswordInput, UpdateProfileInput } from "~/lib/auth/auth-input.ts";
import type { OwnerScope } from "../scope.server.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import { sendVerificationEmail } from "./account-emails.server.ts";
import type { MailOutcome } from "./credentials.server.ts";
import { countOwnerPasswordWork, type PasswordWork } from "../process/password-work.server.ts";
import { endOtherSessions } from "./sessions.server.ts";

export interface AccountView {
  id: string;
  email: string;
  name: string | null;
  avatarUrl: string | null;
  emailVerified: boolean;
  hasPassword: boolean;
  /** A new address waiting for verification, if any. */
  pendingEmail: string | null;
  connections: { id: string; provider: string; createdAt: Date }[];
  sessions: number;
}

export async function getAccount({ db, userId }: Pick<OwnerScope, "db" | "userId">): Promise<AccountView> {
  const user = await db.user.findUniqueOrThrow({
    where: { id: userId },
    include: {
      accounts: { select: { id: true, provider: true, createdAt: true }, orderBy: { createdAt: "asc" } },
      emailVerificationTokens: { where: { usedAt: null, expiresAt: { gt: new Date() } }, select: { email: true } },
      _count: { select: { sessions: true } },
    },
  });
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    avatarUrl: user.avatarUrl,
    emailVerified: user.emailVerified,
    hasPassword: user.passwordHash !== null,
    pendingEmail: user.emailVerificationTokens.find((token) => token.email !== user.email)?.email ?? null,
    connections: user.accounts,
    sessions: user._count.sessions,
  };
}

export async function updateProfile(scope: OwnerScope, input: z.output<typeof UpdateProfileInput>) {
  await scope.db.user.update({ where: { id: scope.userId }, data: { name: input.name || null } });
  return getAccount(scope);
}

/**
 * The address changes once the link mailed to the new one is opened. Whether the new
 * address is taken is only checked then, so this cannot probe for accounts.
 */
export async function changeEmail(ctx: OwnerScope, input: z.output<typeof ChangeEmailInput>): Promise<MailOutcome> {
  await countOwnerPasswordWork(ctx);
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: ctx.userId } });
  await assertCurrentPassword(ctx.passwords, user.passwordHash, input.currentPassword);
  if (user.email === input.email) throw new ValidationError({ email: ["That is already your address."] });
  await ctx.rateLimits.consume("resend", { ip: ctx.clientIp, email: input.email });
  return { delivered: await sendVerificationEmail(ctx, user, input.email) };
}

/**
 * A stolen session (an unlocked laptop) must not be enough to take the account: changing
 * the email or the password asks for the current password, when the account has one.
 */
async function assertCurrentPassword(
  passwords: PasswordWork,
  passwordHash: string | null,
  currentPassword: string | undefined,
) {
  if (passwordHash && !(await passwords.verify("owner", passwordHash, currentPassword ?? ""))) {
    throw new ValidationError({
      currentPassword: [currentPassword ? "Your current password is not correct." : "Enter your current password."],
    });
  }
}

/** Sets a new password (checking the current one, if any), ends the other sessions and revokes the API tokens. */
export async function changePassword(
  ctx: OwnerScope,
  input: z.output<typeof ChangePasswordInput>,
): Promise<{ endedSessions: number }> {
  const { db, userId, sessionToken, passwords } = ctx;
  await countOwnerPasswordWork(ctx);
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  await assertCurrentPassword(passwords, user.passwordHash, input.currentPassword);
  const passwordHash = await passwords.hash("owner", input.newPassword);
  // A new password ends every other way in: sessions below, and API tokens here — a
  // token made by whoever knew the old password must not outlive it.
  await db.$transaction([
    db.user.update({ where: { id: userId }, data: { passwordHash } }),
    db.apiToken.deleteMany({ where: { userId } }),
  ]);
  return { endedSessions: await endOtherSessions(db, userId, sessionToken ?? undefined) };
}

/** Disconnects a sign-in method, unless it is the last way into the account. */
export async function unlinkConnection(scope: OwnerScope, { id: accountId }: { id: string }) {
  const { db, userId } = scope;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, include: { accounts: true } });
  const account = user.accounts.find((candidate) => candidate.id === accountId);
  if (!account) throw new NotFoundError("Connection not found");
  if (!user.passwordHash && user.accounts.length === 1) {
    throw new ValidationError({ id: ["Set a password first: this is your only way to sign in."] });
  }
  await db.account.delete({ where: { id: account.id } });
  return getAccount(scope);
}

export async function logOutEverywhere({ db, userId }: OwnerScope): Promise<{ endedSessions: number }> {
  return { endedSessions: await endOtherSessions(db, userId) };
}

/** Deletes the user and, through the schema's cascades, everything they own. */
export async function deleteAccount(
  { db, userId }: OwnerScope,
  { confirmation }: { confirmation: string },
): Promise<void> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  if (confirmation.trim().toLowerCase() !== user.email) {
    throw new ValidationError({ confirmation: ["Type your email address to confirm."] });
  }
  await db.user.delete({ where: { id: userId } });
}
