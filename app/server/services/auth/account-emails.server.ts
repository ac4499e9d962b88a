/**
 * The emails accounts send, and the single-use tokens inside their links. Tokens are
 * stored hashed; issuing a new one retires the unused ones before it.
 */
import type { User } from "../../../../core/db/generated/client.ts";
import type { Scope } from "../scope.server.ts";
import { newToken, sha256 } from "../crypto.server.ts";

export const VERIFICATION_TTL_MS = 24 * 3_600_000;
export const RESET_TTL_MS = 3_600_000;

function link(ctx: Scope, path: string, token: string): string {
  return `${ctx.env.APP_URL}${path}?token=${encodeURIComponent(token)}`;
}

/** Mails a link proving control of `email` (the sign-up address or a new one). */
export async function sendVerificationEmail(ctx: Scope, user: Pick<User, "id" | "name">, email: string) {
  const token = newToken();
  await ctx.db.$transaction([
    ctx.db.emailVerificationToken.deleteMany({ where: { userId: user.id, usedAt: null } }),
    ctx.db.emailVerificationToken.create({
      data: { userId: user.id, email, tokenHash: sha256(token), expiresAt: new Date(Date.now() + VERIFICATION_TTL_MS) },
    }),
  ]);
  return ctx.mailer.send({
    to: email,
    subject: "Verify your email for Better Uptime",
    text: [
      `Hello${user.name ? ` ${user.name}` : ""},`,
      "",
      "Open this link to verify your email address for Better Uptime:",
      link(ctx, "/verify-email", token),
      "",
      "The link works once and expires in 24 hours. If you did not ask for it, ignore this email.",
    ].join("\n"),
  });
}

export async function sendPasswordResetEmail(ctx: Scope, user: Pick<User, "id" | "email">) {
  const token = newToken();
  await ctx.db.$transaction([
    ctx.db.passwordResetToken.deleteMany({ where: { userId: user.id, usedAt: null } }),
    ctx.db.passwordResetToken.create({
      data: { userId: user.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + RESET_TTL_MS) },
    }),
  ]);
  return ctx.mailer.send({
    to: user.email,
    subject: "Reset your Better Uptime password",
    text: [
      "Someone (hopefully you) asked to reset the password of your Better Uptime account.",
      "",
      "Open this link to choose a new password:",
      link(ctx, "/reset-password", token),
      "",
      "The link works once and expires in 1 hour. If you did not ask for it, ignore this email: your password stays as it is.",
    ].join("\n"),
  });
}

/** Sign-up with a taken address: tell its owner, not the person signing up. */
export function sendAccountExistsEmail(ctx: Scope, email: string) {
  return ctx.mailer.send({
    to: email,
    subject: "You already have a Better Uptime account",
    text: [
      "Someone (maybe you) tried to create a Better Uptime account with this email address, which already has one.",
      "",
      `To sign in, go to ${ctx.env.APP_URL}/login. Forgot your password? ${ctx.env.APP_URL}/forgot-password`,
    ].join("\n"),
  });
}
