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
import {
  internalOwnerProcedure,
  protectedProcedure,
  router,
  sessionProcedure,
  verifiedProcedure,
} from "../init.server.ts";
import { GitHubTokenInput } from "./auth.server.ts";
import { ExportInput, SetupDocument } from "~/lib/setup/setup-document.ts";
import { exportSetup } from "~/server/services/setup/export.server.ts";
import { importSetup } from "~/server/services/setup/import.server.ts";

/** The signed-in user's own account. */
export const accountRouter = router({
  /** The signed-in account: profile, verification, sign-in methods. */
  me: protectedProcedure.query(({ ctx }) => getAccount(ctx.scope)),
  /** Changes the account's name. */
  updateProfile: protectedProcedure
    .input(UpdateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.scope, input)),
  /** Changes the account's email address (needs the current password); the new one must be verified. */
  changeEmail: protectedProcedure.input(ChangeEmailInput).mutation(({ ctx, input }) => changeEmail(ctx.scope, input)),
  /** Mails the verification link again. */
  resendVerification: protectedProcedure.mutation(({ ctx }) => resendVerification(ctx.scope)),
  /** Changes the password (needs the current one), ending the other sessions. */
  changePassword: protectedProcedure
    .input(ChangePasswordInput)
    .mutation(({ ctx, input }) => changePassword(ctx.scope, input)),
  /** Removes a sign-in method (GitHub), when another remains. */
  unlinkConnection: protectedProcedure.input(IdInput).mutation(({ ctx, input }) => unlinkConnection(ctx.scope, input)),
  /** The GitHub callback, for a user already signed in. */
  connectGitHub: internalOwnerProcedure
    .input(GitHubTokenInput)
    .mutation(({ ctx, input }) => connectGitHubWithToken(ctx.scope, input)),
  /** Ends every session of the account but this one. */
  logOutEverywhere: protectedProcedure.mutation(({ ctx }) => logOutEverywhere(ctx.scope)),
  /** Deletes the account and everything in it; `confirmation` must be the account's email address. */
  delete: protectedProcedure
    .input(z.object({ confirmation: z.string().max(254) }))
    .mutation(({ ctx, input }) => deleteAccount(ctx.scope, input)),
  /** The whole setup as one document: monitors, alert channels, status pages, maintenance windows (your credentials for other services only with `includeSecrets`; never push tokens, signing secrets, access tokens or TXT values, which the server chooses). */
  export: protectedProcedure.input(ExportInput).query(({ ctx, input }) => exportSetup(ctx.scope, input)),
  /** Imports a setup document (or part of one): each item created, updated, left unchanged or skipped with the reason; importing twice changes nothing. Never sets what the server chooses: a new heartbeat gets a new push URL, a new webhook channel a new signing secret (the item's note says so); matched items keep theirs. */
  import: verifiedProcedure.input(SetupDocument).mutation(({ ctx, input }) => importSetup(ctx.scope, input)),
  apiTokens: router({
    /** The account's API tokens (names and last use; never the tokens). */
    list: protectedProcedure.query(({ ctx }) => listApiTokens(ctx.scope)),
    /** A new API token, shown once in the answer (needs a signed-in session: an API token cannot make tokens). */
    create: sessionProcedure.input(CreateApiTokenInput).mutation(({ ctx, input }) => createApiToken(ctx.scope, input)),
    /** Revokes an API token at once. */
    revoke: protectedProcedure.input(IdInput).mutation(({ ctx, input }) => revokeApiToken(ctx.scope, input)),
  }),
});
