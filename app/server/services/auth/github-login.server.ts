/**
 * Signing in with GitHub. The GitHub account is found by (provider, providerAccountId);
 * a new one is linked to an existing user only when both sides have verified the same
 * address, otherwise a new user is created from GitHub's verified primary address.
 */
import { z } from "zod";
import { AuthenticationError, ForbiddenError, ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { sessionUserSelect, type SessionUser } from "./session-user.server.ts";

export const GITHUB = "github";

const GitHubUser = z.object({
  id: z.number().int(),
  login: z.string(),
  name: z.string().nullable().optional(),
  avatar_url: z.string().nullable().optional(),
});
const GitHubEmails = z.array(z.object({ email: z.string(), primary: z.boolean(), verified: z.boolean() }));

export interface GitHubProfile {
  id: string;
  login: string;
  name: string | null;
  avatarUrl: string | null;
  /** Verified addresses, primary first. */
  verifiedEmails: string[];
}

/** The profile behind an access token, from GitHub's API (or the stand-in tests run). */
export async function fetchGitHubProfile(apiUrl: string, accessToken: string): Promise<GitHubProfile> {
  const get = async (path: string) => {
    const response = await fetch(`${apiUrl.replace(/\/+$/, "")}${path}`, {
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: "application/vnd.github+json",
        "user-agent": "BetterUptime",
      },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new AuthenticationError(`GitHub answered ${response.status} for ${path}.`);
    return (await response.json()) as unknown;
  };
  const user = GitHubUser.parse(await get("/user"));
  const emails = GitHubEmails.parse(await get("/user/emails"));
  const verified = emails
    .filter((entry) => entry.verified)
    .sort((a, b) => Number(b.primary) - Number(a.primary))
    .map((entry) => entry.email.toLowerCase());
  return {
    id: String(user.id),
    login: user.login,
    name: user.name ?? null,
    avatarUrl: user.avatar_url ?? null,
    verifiedEmails: verified,
  };
}

export async function signInWithGitHub(ctx: Scope, profile: GitHubProfile): Promise<SessionUser> {
  const { db } = ctx;
  const account = await db.account.findUnique({
    where: { provider_providerAccountId: { provider: GITHUB, providerAccountId: profile.id } },
    include: { user: { select: { ...sessionUserSelect, isActive: true, avatarUrl: true } } },
  });
  if (account) {
    if (!account.user.isActive) throw new AuthenticationError("This account is disabled.");
    if (!account.user.avatarUrl && profile.avatarUrl) {
      await db.user.update({ where: { id: account.userId }, data: { avatarUrl: profile.avatarUrl } });
    }
    const { isActive: _active, avatarUrl: _avatar, ...user } = account.user;
    return user;
  }

  const primary = profile.verifiedEmails[0];
  if (!primary) {
    throw new AuthenticationError("Your GitHub account has no verified email address; verify one on GitHub first.");
  }
  const existing = await db.user.findFirst({ where: { email: { in: profile.verifiedEmails } } });
  if (existing) {
    if (!existing.emailVerified) {
      // Someone may have signed up with this address without owning it: never hand
      // them a GitHub login. The owner signs in with a password reset instead.
      throw new AuthenticationError(
        "An account with this email exists but its address is not verified yet. Sign in with your password (or reset it), then connect GitHub.",
      );
    }
    await db.account.create({ data: { userId: existing.id, provider: GITHUB, providerAccountId: profile.id } });
    return db.user.update({
      where: { id: existing.id },
      data: {
        avatarUrl: existing.avatarUrl ?? profile.avatarUrl,
        name: existing.name ?? profile.name ?? profile.login,
      },
      select: sessionUserSelect,
    });
  }
  return db.user.create({
    data: {
      email: primary,
      emailVerified: true,
      name: profile.name ?? profile.login,
      avatarUrl: profile.avatarUrl,
      accounts: { create: { provider: GITHUB, providerAccountId: profile.id } },
    },
    select: sessionUserSelect,
  });
}

/** Connects GitHub to the signed-in user (from the account page). */
export async function connectGitHub(ctx: OwnerScope, profile: GitHubProfile): Promise<void> {
  const { userId } = ctx;
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: userId } });
  if (!user.emailVerified) {
    // A connection made before the address is verified would outlive its real owner's claim.
    throw new ForbiddenError("Verify your email address before connecting GitHub.");
  }
  const account = await ctx.db.account.findUnique({
    where: { provider_providerAccountId: { provider: GITHUB, providerAccountId: profile.id } },
  });
  if (account && account.userId !== userId) {
    throw new ValidationError({ github: ["This GitHub account is connected to another Better Uptime account."] });
  }
  if (!account) await ctx.db.account.create({ data: { userId, provider: GITHUB, providerAccountId: profile.id } });
}

/** The GitHub callback: the user behind GitHub's access token, signed in (or created). */
export async function signInWithGitHubToken(ctx: Scope, { accessToken }: { accessToken: string }) {
  return signInWithGitHub(ctx, await fetchGitHubProfile(ctx.env.GITHUB_API_URL, accessToken));
}

/** The GitHub callback for a user already signed in: connects that GitHub account. */
export async function connectGitHubWithToken(ctx: OwnerScope, { accessToken }: { accessToken: string }) {
  await connectGitHub(ctx, await fetchGitHubProfile(ctx.env.GITHUB_API_URL, accessToken));
}
