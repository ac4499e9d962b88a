/**
 * remix-auth, per request: the form strategy (email + password) and, when configured,
 * GitHub. Authenticating returns the user; the route then starts a session.
 */
import type { AppLoadContext } from "@remix-run/node";
import { Authenticator } from "remix-auth";
import { FormStrategy } from "remix-auth-form";
import { z } from "zod";
import { LoginInput } from "~/lib/auth/auth-input.ts";
import { authServicesFor, type SessionUser } from "../services/auth/context.server.ts";
import { logIn } from "../services/auth/credentials.server.ts";
import { connectGitHub, fetchGitHubProfile, signInWithGitHub } from "../services/auth/github-login.server.ts";
import { ValidationError } from "../services/errors.server.ts";
import { authenticate } from "./current-user.server.ts";
import { ConfigurableGitHubStrategy } from "./github-strategy.server.ts";

export function gitHubConfigured(context: AppLoadContext): boolean {
  return Boolean(context.env.GITHUB_CLIENT_ID && context.env.GITHUB_CLIENT_SECRET);
}

export function createAuthenticator(context: AppLoadContext): Authenticator<SessionUser> {
  const services = authServicesFor(context);
  const authenticator = new Authenticator<SessionUser>();
  authenticator.use(
    new FormStrategy(async ({ form }) => {
      const input = LoginInput.safeParse({ email: form.get("email"), password: form.get("password") });
      if (!input.success) throw new ValidationError(z.flattenError(input.error).fieldErrors);
      return logIn(services, input.data);
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
        async ({ tokens, request }) => {
          const profile = await fetchGitHubProfile(context.env.GITHUB_API_URL, tokens.accessToken());
          // Signed in already: connect GitHub to this account instead.
          const current = await authenticate(context, request).catch(() => null);
          if (current?.user) {
            await connectGitHub(services, current.user.id, profile);
            return current.user;
          }
          return signInWithGitHub(services, profile);
        },
      ),
      "github",
    );
  }
  return authenticator;
}
