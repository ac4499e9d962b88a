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
import {
  changeEmail,
  changePassword,
  deleteAccount,
  getAccount,
  logOutEverywhere,
  unlinkConnection,
  updateProfile,
} from "~/server/services/auth/profile.server.ts";
import { authServicesFor } from "~/server/services/auth/context.server.ts";
import { protectedProcedure, router, verifiedProcedure } from "../init.server.ts";

/** The signed-in user's own account. */
export const accountRouter = router({
  me: protectedProcedure.query(({ ctx }) => getAccount(ctx.db, ctx.user.id)),
  updateProfile: protectedProcedure
    .input(UpdateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.db, ctx.user.id, input)),
  changeEmail: protectedProcedure
    .input(ChangeEmailInput)
    .mutation(({ ctx, input }) => changeEmail(authServicesFor(ctx), ctx.user.id, input)),
  resendVerification: protectedProcedure.mutation(({ ctx }) => resendVerification(authServicesFor(ctx), ctx.user.id)),
  changePassword: protectedProcedure
    .input(ChangePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx.db, ctx.user.id, input, ctx.sessionToken)),
  unlinkConnection: protectedProcedure
    .input(IdInput)
    .mutation(({ ctx, input }) => unlinkConnection(ctx.db, ctx.user.id, input.id)),
  logOutEverywhere: protectedProcedure.mutation(({ ctx }) => logOutEverywhere(ctx.db, ctx.user.id)),
  delete: protectedProcedure
    .input(z.object({ confirmation: z.string().max(254) }))
    .mutation(({ ctx, input }) => deleteAccount(ctx.db, ctx.user.id, input.confirmation)),
  apiTokens: router({
    list: protectedProcedure.query(({ ctx }) => listApiTokens(ctx.db, ctx.user.id)),
    create: verifiedProcedure
      .input(CreateApiTokenInput)
      .mutation(({ ctx, input }) => createApiToken(ctx.db, ctx.env, ctx.user.id, input.name)),
    revoke: protectedProcedure
      .input(IdInput)
      .mutation(({ ctx, input }) => revokeApiToken(ctx.db, ctx.user.id, input.id)),
  }),
});
