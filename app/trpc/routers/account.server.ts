import { z } from "zod";
import {
  ChangeEmailInput,
  ChangePasswordInput,
  CreateApiTokenInput,
  IdInput,
  UpdateProfileInput,
} from "~/lib/auth/auth-input.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "~/server/services/auth/api-tokens.server.ts";
import { resendVerification } from "~/server/services/auth/credentials.server.ts";
import { connectGitHubWithToken } from "~/server/services/auth/github-login.server.ts";
import {
  changeEmail,
  changePassword,
  deleteAccount,
  getAccount,
  logOutEverywhere,
  unlinkConnection,
  updateProfile,
} from "~/server/services/auth/profile.server.ts";
import { internalOwnerProcedure, protectedProcedure, router, verifiedProcedure } from "../init.server.ts";
import { GitHubTokenInput } from "./auth.server.ts";

/** The signed-in user's own account. */
export const accountRouter = router({
  me: protectedProcedure.query(({ ctx }) => getAccount(ctx.scope)),
  updateProfile: protectedProcedure
    .input(UpdateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.scope, input)),
  changeEmail: protectedProcedure.input(ChangeEmailInput).mutation(({ ctx, input }) => changeEmail(ctx.scope, input)),
  resendVerification: protectedProcedure.mutation(({ ctx }) => resendVerification(ctx.scope)),
  changePassword: protectedProcedure
    .input(ChangePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx.scope, input)),
  unlinkConnection: protectedProcedure.input(IdInput).mutation(({ ctx, input }) => unlinkConnection(ctx.scope, input)),
  /** The GitHub callback, for a user already signed in. */
  connectGitHub: internalOwnerProcedure
    .input(GitHubTokenInput)
    .mutation(({ ctx, input }) => connectGitHubWithToken(ctx.scope, input)),
  logOutEverywhere: protectedProcedure.mutation(({ ctx }) => logOutEverywhere(ctx.scope)),
  delete: protectedProcedure
    .input(z.object({ confirmation: z.string().max(254) }))
    .mutation(({ ctx, input }) => deleteAccount(ctx.scope, input)),
  apiTokens: router({
    list: protectedProcedure.query(({ ctx }) => listApiTokens(ctx.scope)),
    create: verifiedProcedure.input(CreateApiTokenInput).mutation(({ ctx, input }) => createApiToken(ctx.scope, input)),
    revoke: protectedProcedure.input(IdInput).mutation(({ ctx, input }) => revokeApiToken(ctx.scope, input)),
  }),
});
