/**
 * remix-auth, per request: the form strategy (email + password) and, when configured,
 * GitHub. Authenticating returns the user; the route then starts a session.
 */
import type { AppLoadContext } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import type { SessionUser } from "../../server/services/auth/session-user.server.ts";
import { ConfigurableGitHubStrategy } from "./github-strategy.server.ts";

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : "");

export function gitHubConfigured(context: AppLoadContext): boolean {
  return Boolean(context.env.GITHUB_CLIENT_ID && context.env.GITHUB_CLIENT_SECRET);
}

/**
 * The procedures the strategies verify through (`optionalCaller`'s caller has them),
 * typed here so this module imports no tRPC: their errors are the procedures' errors.
 */
export interface SignInProcedures {
  auth: {
    logIn(input: { email: string; password: string }): Promise<SessionUser>;
    gitHubSignIn(input: { accessToken: string }): Promise<SessionUser>;
  };
  account: { connectGitHub(input: { accessToken: string }): Promise<unknown> };
}

/** `caller`: the request's user, if any, and their caller (the route's `optionalCaller`). */
export function createAuthenticator(
  context: AppLoadContext,
  caller: () => Promise<{ user: SessionUser | null; api: SignInProcedures }>,
): Authenticator<SessionUser> {
  const authenticator = new Authenticator<SessionUser>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const { api } = await caller();
      return api.auth.logIn({ email: text(form.get("email")), password: text(form.get("password")) });
    }),
    "form",
  );
  if (gitHubConfigured(context)) {
    authenticator.use(
      new ConfigurableGitHubStrategy<SessionUser>(
        {
          clientId: context.env.GITHUB_CLIENT_ID!,
          clientSecret: context.env.GITHUB_CLIENT_SECRET!,
          redirectURI: `${context.env.APP_URL}/auth/github/callback`,
          scopes: ["read:user", "user:email"],
          authorizeUrl: context.env.GITHUB_AUTHORIZE_URL,
          tokenUrl: context.env.GITHUB_TOKEN_URL,
          cookie: {
            name: "github-oauth",
            sameSite: "Lax",
            httpOnly: true,
            path: "/",
            ...(context.env.NODE_ENV === "production" ? { secure: true as const } : {}),
          },
        },
        async ({ tokens }) => {
          const { user, api } = await caller();
          const accessToken = tokens.accessToken();
          // Signed in already: connect GitHub to this account instead.
          if (user) {
            await api.account.connectGitHub({ accessToken });
            return user;
          }
          return api.auth.gitHubSignIn({ accessToken });
        },
      ),
      "github",
    );
  }
  return authenticator;
}
