import { ForgotPasswordInput, ResetPasswordInput, SignUpInput, TokenInput } from "~/lib/auth/auth-input.ts";
import { requestPasswordReset, resetPassword, signUp, verifyEmail } from "~/server/services/auth/credentials.server.ts";
import { authServicesFor } from "~/server/services/auth/context.server.ts";
import { publicProcedure, router } from "../init.server.ts";

/**
 * Signing up and recovering access. Starting a session (a cookie) is the HTTP layer's
 * job: the routes call these, then set the cookie. Login itself goes through remix-auth.
 */
export const authRouter = router({
  signUp: publicProcedure.input(SignUpInput).mutation(({ ctx, input }) => signUp(authServicesFor(ctx), input)),
  verifyEmail: publicProcedure
    .input(TokenInput)
    .mutation(({ ctx, input }) => verifyEmail(authServicesFor(ctx), input.token)),
  requestPasswordReset: publicProcedure
    .input(ForgotPasswordInput)
    .mutation(({ ctx, input }) => requestPasswordReset(authServicesFor(ctx), input)),
  resetPassword: publicProcedure
    .input(ResetPasswordInput)
    .mutation(({ ctx, input }) => resetPassword(authServicesFor(ctx), input)),
});
