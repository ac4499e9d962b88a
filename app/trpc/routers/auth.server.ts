import { z } from "zod";
import { ForgotPasswordInput, LoginInput, ResetPasswordInput, SignUpInput, TokenInput } from "~/lib/auth/auth-input.ts";
import {
  logIn,
  requestPasswordReset,
  resetPassword,
  signUp,
  verifyEmail,
} from "~/server/services/auth/credentials.server.ts";
import { signInWithGitHubToken } from "~/server/services/auth/github-login.server.ts";
import { createSession, endSession } from "~/server/services/auth/sessions.server.ts";
import { internalProcedure, publicProcedure, router } from "../init.server.ts";

export const GitHubTokenInput = z.object({ accessToken: z.string().min(1).max(1000) });

/**
 * Signing up, in and out, and recovering access. The cookie is the HTTP layer's job:
 * routes call these, then set or clear it. Starting a session is internal: only our own
 * routes do it, after a login they checked.
 */
export const authRouter = router({
  /** Creates an account with email and password and mails a verification link. */
  signUp: publicProcedure.input(SignUpInput).mutation(({ ctx, input }) => signUp(ctx.scope, input)),
  /** Verifies an email address with the token from the mail. */
  verifyEmail: publicProcedure.input(TokenInput).mutation(({ ctx, input }) => verifyEmail(ctx.scope, input)),
  /** Mails a password-reset link (answers the same whether or not the address has an account). */
  requestPasswordReset: publicProcedure
    .input(ForgotPasswordInput)
    .mutation(({ ctx, input }) => requestPasswordReset(ctx.scope, input)),
  /** Sets a new password with the token from the reset mail, ending every session. */
  resetPassword: publicProcedure
    .input(ResetPasswordInput)
    .mutation(({ ctx, input }) => resetPassword(ctx.scope, input)),

  /** Email and password (rate-limited) → the user; the login route then starts a session. */
  logIn: internalProcedure.input(LoginInput).mutation(({ ctx, input }) => logIn(ctx.scope, input)),
  gitHubSignIn: internalProcedure
    .input(GitHubTokenInput)
    .mutation(({ ctx, input }) => signInWithGitHubToken(ctx.scope, input)),
  startSession: internalProcedure
    .input(z.object({ userId: z.string().min(1).max(100) }))
    .mutation(({ ctx, input }) =>
      createSession(ctx.scope, { userId: input.userId, userAgent: ctx.request?.headers.get("user-agent") ?? null }),
    ),
  /** Ends the session this request's cookie names, if any. */
  logOut: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionToken) await endSession(ctx.scope, { token: ctx.sessionToken });
    return { ended: ctx.sessionToken !== null };
  }),
});
