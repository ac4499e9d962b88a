/**
 * Accounts through the same procedures the pages call: secrets never stored in clear,
 * single-use links, answers that do not reveal who has an account, sessions that end
 * when they should, and rate limits.
 */
import { randomInt } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createApiToken, revokeApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { sha256 } from "../../app/server/services/crypto.server.ts";
import { createRateLimits, LIMITS, type RateLimits } from "../../app/server/services/process/rate-limits.server.ts";
import {
  PASSWORD_LANES,
  PasswordWorkBusyError,
  type PasswordWork,
} from "../../app/server/services/process/password-work.server.ts";
import { createSession, userForSession } from "../../app/server/services/auth/sessions.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { callerFor, ownerScope, sharedPasswords, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { memoryMailer } from "../support/mailbox.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

const PASSWORD = "correct horse battery";

function tokenIn(link: string): string {
  return new URL(link).searchParams.get("token")!;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return (error as TRPCError).code;
  }
  return "OK";
}

async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const cause = (error as TRPCError).cause as
      { fieldErrors?: Record<string, string[]>; issues?: { message: string }[] } | undefined;
    if (cause?.fieldErrors) return Object.values(cause.fieldErrors).flat().join(" ");
    if (cause?.issues) return cause.issues.map((issue) => issue.message).join(" ");
    return (error as Error).message;
  }
  return "OK";
}

/**
 * A random /64 of the documentation range: the rate-limit counters outlive a run of this
 * file (one database per vitest process, and the mutation bench re-runs the file in the
 * same process), so a test run again must not find its own earlier attempts.
 */
function freshBlock(): string {
  const group = () => randomInt(0x10000).toString(16);
  return `2001:db8:${group()}:${group()}`;
}

/** Signs up through the API and follows the mailed link, as a new user would. */
async function signUpAndVerify(mailer = memoryMailer()) {
  const email = `${unique("new")}@example.test`;
  const anonymous = callerFor(db, { mailer });
  await anonymous.auth.signUp({ email, password: PASSWORD, name: "New User" });
  const user = await anonymous.auth.verifyEmail({ token: tokenIn(mailer.linkTo(email, "/verify-email")) });
  return { email, user, mailer };
}

describe("sign-up and verification", () => {
  it("stores the password and the mailed token only as hashes", async () => {
    const mailer = memoryMailer();
    const email = `${unique("hash")}@example.test`;
    await callerFor(db, { mailer }).auth.signUp({ email, password: PASSWORD });
    const user = await db.user.findUniqueOrThrow({ where: { email }, include: { emailVerificationTokens: true } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(user.passwordHash).not.toContain(PASSWORD);
    const token = tokenIn(mailer.linkTo(email, "/verify-email"));
    expect(user.emailVerificationTokens).toHaveLength(1);
    expect(user.emailVerificationTokens[0]!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(user)).not.toContain(token);
    expect(user.emailVerified).toBe(false);
  });

  it("verifies once; a reused link and an expired one are refused with a clear message", async () => {
    const { email, user, mailer } = await signUpAndVerify();
    expect(user).toMatchObject({ email, emailVerified: true });
    const token = tokenIn(mailer.linkTo(email, "/verify-email"));
    expect(await messageOf(callerFor(db).auth.verifyEmail({ token }))).toBe(
      "This verification link has already been used.",
    );

    await callerFor(db, { user, mailer }).account.changeEmail({
      email: `${unique("moved")}@example.test`,
      currentPassword: PASSWORD,
    });
    await db.emailVerificationToken.updateMany({
      where: { userId: user.id, usedAt: null },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = tokenIn(mailer.sent.at(-1)!.text.match(/https?:\/\/\S+/)![0]);
    expect(await messageOf(callerFor(db).auth.verifyEmail({ token: expired }))).toBe(
      "This verification link has expired. Request a new one.",
    );
    expect(await messageOf(callerFor(db).auth.verifyEmail({ token: "made-up" }))).toBe(
      "This verification link is not valid. Request a new one.",
    );
  });

  it("does not reveal that an address is taken: same answer, and a note to the owner", async () => {
    const { email } = await signUpAndVerify();
    const mailer = memoryMailer();
    const result = await callerFor(db, { mailer }).auth.signUp({ email, password: "another password" });
    expect(result).toEqual({ delivered: true });
    expect(mailer.sent).toEqual([
      expect.objectContaining({ to: email, subject: "You already have a Better Uptime account" }),
    ]);
    expect(await db.user.count({ where: { email } })).toBe(1);
  });

  it("names the field when the input is wrong", async () => {
    expect(await messageOf(callerFor(db).auth.signUp({ email: "nope", password: "short" }))).toBe(
      "Enter a valid email address, like you@example.com Use at least 10 characters",
    );
  });
});

describe("login", () => {
  it("gives one answer for a wrong password and an unknown address", async () => {
    const { email } = await signUpAndVerify();
    const ctx = testContext(db);
    const { logIn } = await import("../../app/server/services/auth/credentials.server.ts");
    const services = { ...ctx };
    await expect(logIn(services, { email, password: "wrong password!" })).rejects.toThrow(
      "Email or password is incorrect.",
    );
    await expect(logIn(services, { email: `${unique("nobody")}@example.test`, password: PASSWORD })).rejects.toThrow(
      "Email or password is incorrect.",
    );
    // Addresses are matched case-insensitively (the input schema lower-cases them).
    const { LoginInput } = await import("../../app/lib/auth/auth-input.ts");
    await expect(
      logIn(services, LoginInput.parse({ email: email.toUpperCase(), password: PASSWORD })),
    ).resolves.toMatchObject({
      email,
    });
  });

  it("is rate-limited per address", async () => {
    const { email } = await signUpAndVerify();
    const { logIn } = await import("../../app/server/services/auth/credentials.server.ts");
    const services = { ...testContext(db, { rateLimits: createRateLimits(pool), clientIp: unique("ip") }) };
    const attempts: string[] = [];
    for (let i = 0; i < 12; i++) {
      attempts.push(
        await logIn(services, { email, password: "wrong password!" }).then(
          () => "ok",
          (e: Error) => e.name,
        ),
      );
    }
    expect(attempts.slice(0, 10)).toEqual(Array(10).fill("AuthenticationError"));
    expect(attempts.slice(10)).toEqual(["RateLimitedError", "RateLimitedError"]);
    // Even the right password waits now.
    await expect(logIn(services, { email, password: PASSWORD })).rejects.toThrow(/Too many attempts/);
  });

  it("a sign-in refused because the sign-in lane is busy answers 429 and spends none of the user's attempts", async () => {
    const { email } = await signUpAndVerify();
    const { logIn } = await import("../../app/server/services/auth/credentials.server.ts");
    const rateLimits = createRateLimits(pool);
    const clientIp = unique("ip");
    // A lane that is full for every attempt (as under a flood of sign-ins).
    const busy: PasswordWork = {
      ...sharedPasswords,
      verify: () => Promise.reject(new PasswordWorkBusyError(PASSWORD_LANES.signIn.retryAfterSeconds)),
    };
    const whileBusy = { ...testContext(db, { rateLimits, clientIp, passwords: busy }) };
    const mostAttempts = Math.max(...Object.values(LIMITS.login).map((limit) => limit.points));
    for (let i = 0; i <= mostAttempts; i++) {
      await expect(logIn(whileBusy, { email, password: PASSWORD })).rejects.toMatchObject({
        code: "RATE_LIMITED",
        retryAfterSeconds: PASSWORD_LANES.signIn.retryAfterSeconds,
        message: /being checked right now/,
      });
    }
    // Once the lane has room, the same person from the same address signs in.
    const calm = { ...testContext(db, { rateLimits, clientIp }) };
    await expect(logIn(calm, { email, password: PASSWORD })).resolves.toMatchObject({ email });
  });

  it("counts an email's attempts per client address, under a per-email ceiling that a spread-out guess reaches", async () => {
    const limits = {
      ...LIMITS,
      login: {
        ip: { points: 100, durationSeconds: 900 },
        emailOnIp: { points: 2, durationSeconds: 900 },
        email: { points: 5, durationSeconds: 300 },
      },
    };
    const rateLimits = createRateLimits(pool, limits);
    const email = `${unique("target")}@example.test`;
    const outcome = (ip: string) =>
      rateLimits.consume("login", { ip, email }).then(
        () => "counted",
        (error: Error) => error.name,
      );
    // One address spends its own share only: the next address still has its own.
    const first = unique("ip");
    expect([await outcome(first), await outcome(first), await outcome(first)]).toEqual([
      "counted",
      "counted",
      "RateLimitedError",
    ]);
    expect(await outcome(unique("ip"))).toBe("counted");
    // Refused attempts count toward no ceiling; spread over many addresses, the guesses
    // stop at it (2 + 1 + 2 = 5 counted).
    const third = unique("ip");
    expect([await outcome(third), await outcome(third)]).toEqual(["counted", "counted"]);
    expect(await outcome(unique("ip"))).toBe("RateLimitedError");
    // Another email from the same addresses is untouched.
    expect(await rateLimits.consume("login", { ip: first, email: `${unique("other")}@example.test` })).toBeUndefined();
  });

  it("counts an IPv6 client by its /64 and an IPv4-mapped one as its IPv4 address", async () => {
    const rateLimits = createRateLimits(pool);
    const email = `${unique("target")}@example.test`;
    const outcome = (ip: string) =>
      rateLimits.consume("reset", { ip, email }).then(
        () => "counted",
        (error: Error) => error.name,
      );
    const share = LIMITS.reset.emailOnIp!.points;
    const [block, next] = [freshBlock(), freshBlock()];
    for (let n = 1; n <= share; n++) expect(await outcome(`${block}::${n}`)).toBe("counted");
    expect(await outcome(`${block}:abcd::1`)).toBe("RateLimitedError");
    expect(await outcome(`${next}::1`)).toBe("counted");

    const mapped = `${unique("mapped")}@example.test`;
    // A random address of the benchmarking range, for the same reason as freshBlock.
    const v4 = `198.18.${randomInt(256)}.${randomInt(1, 255)}`;
    for (let n = 1; n <= share; n++) {
      await expect(rateLimits.consume("reset", { ip: `::ffff:${v4}`, email: mapped })).resolves.toBeUndefined();
    }
    await expect(rateLimits.consume("reset", { ip: v4, email: mapped })).rejects.toThrow(/Too many attempts/);
  });

  it("rate-limits sign-ups per client address", async () => {
    const ip = unique("ip");
    const api = callerFor(db, { rateLimits: createRateLimits(pool), clientIp: ip });
    const codes: string[] = [];
    for (let i = 0; i < 11; i++)
      codes.push(await codeOf(api.auth.signUp({ email: `${unique("flood")}@example.test`, password: PASSWORD })));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("OK"));
    expect(codes[10]).toBe("TOO_MANY_REQUESTS");
  });

  it("counts in the database: two web processes share one address's sign-up budget", async () => {
    const ip = unique("ip");
    const processes = [createRateLimits(pool), createRateLimits(pool)];
    const signUpVia = (rateLimits: RateLimits) =>
      codeOf(
        callerFor(db, { rateLimits, clientIp: ip }).auth.signUp({
          email: `${unique("shared")}@example.test`,
          password: PASSWORD,
        }),
      );
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) codes.push(await signUpVia(processes[i % 2]!));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("OK"));
    expect(codes[10]).toBe("TOO_MANY_REQUESTS");
  });

  it("counts sign-ups from one IPv6 /64 together: another address of the same block gets no fresh budget", async () => {
    const rateLimits = createRateLimits(pool);
    const signUpFrom = (clientIp: string) =>
      codeOf(
        callerFor(db, { rateLimits, clientIp }).auth.signUp({
          email: `${unique("v6")}@example.test`,
          password: PASSWORD,
        }),
      );
    const codes: string[] = [];
    const block = freshBlock();
    for (let n = 1; n <= 11; n++) codes.push(await signUpFrom(`${block}::${n.toString(16)}`));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill("OK"));
    expect(codes[10]).toBe("TOO_MANY_REQUESTS");
    expect(await signUpFrom(`${freshBlock()}::1`)).toBe("OK");
  });

  it("resends the verification mail three times an hour from one client, then refuses and sends nothing", async () => {
    const user = await createUser(db, { emailVerified: false });
    const mailer = memoryMailer();
    const api = callerFor(db, { user, mailer, rateLimits: createRateLimits(pool), clientIp: unique("ip") });
    const codes: string[] = [];
    for (let i = 0; i < 4; i++) codes.push(await codeOf(api.account.resendVerification()));
    expect(codes).toEqual(["OK", "OK", "OK", "TOO_MANY_REQUESTS"]);
    expect(mailer.sent.filter((mail) => mail.to === user.email)).toHaveLength(3);
  });
});

describe("sessions", () => {
  it("are stored hashed and end on password change, except the current one", async () => {
    const { user } = await signUpAndVerify();
    const [current, other] = [
      (await createSession({ db }, { userId: user.id, userAgent: "test" })).token,
      (await createSession({ db }, { userId: user.id, userAgent: "test" })).token,
    ];
    expect(await db.session.findUnique({ where: { id: current } })).toBeNull(); // only the hash is stored
    expect(await db.session.findUnique({ where: { id: sha256(current) } })).not.toBeNull();

    const result = await callerFor(db, { user, sessionToken: current }).account.changePassword({
      currentPassword: PASSWORD,
      newPassword: "an even better password",
    });
    expect(result.endedSessions).toBe(1);
    expect(await userForSession({ db }, { token: current })).toMatchObject({ id: user.id });
    expect(await userForSession({ db }, { token: other })).toBeNull();
  });

  it("all end with a password reset, and the reset link works once", async () => {
    const { email, user } = await signUpAndVerify();
    const session = (await createSession({ db }, { userId: user.id, userAgent: "test" })).token;
    const mailer = memoryMailer();
    await callerFor(db, { mailer }).auth.requestPasswordReset({ email });
    const token = tokenIn(mailer.linkTo(email, "/reset-password"));
    expect((await db.passwordResetToken.findFirstOrThrow({ where: { userId: user.id } })).tokenHash).toBe(
      sha256(token),
    );
    await callerFor(db).auth.resetPassword({ token, password: "a brand new password" });
    expect(await userForSession({ db }, { token: session })).toBeNull();
    expect(await messageOf(callerFor(db).auth.resetPassword({ token, password: "yet another password" }))).toBe(
      "This password reset link has already been used.",
    );
  });

  it("a reset request for an unknown address looks the same and sends nothing", async () => {
    const mailer = memoryMailer();
    expect(
      await callerFor(db, { mailer }).auth.requestPasswordReset({ email: `${unique("ghost")}@example.test` }),
    ).toEqual({
      delivered: true,
    });
    expect(mailer.sent).toEqual([]);
  });

  it("all end with 'log out everywhere'", async () => {
    const { user } = await signUpAndVerify();
    const sessions = [
      (await createSession({ db }, { userId: user.id, userAgent: "a" })).token,
      (await createSession({ db }, { userId: user.id, userAgent: "b" })).token,
    ];
    await callerFor(db, { user }).account.logOutEverywhere();
    for (const session of sessions) expect(await userForSession({ db }, { token: session })).toBeNull();
  });
});

describe("API tokens", () => {
  async function listMonitors(token: string) {
    const response = await handleTrpcRequest(
      new Request("http://127.0.0.1:3000/api/trpc/monitor.list", { headers: { authorization: `Bearer ${token}` } }),
      testContext(db),
    );
    return { status: response.status, body: (await response.json()) as unknown };
  }

  it("act as their owner, are stored hashed, record their last use, and get 401 once revoked", async () => {
    const { user } = await signUpAndVerify();
    const created = await createApiToken(ownerScope(db, user.id), { name: "ci" });
    expect(created.token).toMatch(/^bu_/);
    const stored = await db.apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.tokenHash).toBe(sha256(created.token));
    expect(JSON.stringify(stored)).not.toContain(created.token);
    expect(JSON.stringify(await callerFor(db, { user }).account.apiTokens.list())).not.toContain(created.token);

    expect(await listMonitors(created.token)).toMatchObject({ status: 200 });
    expect((await db.apiToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).not.toBeNull();

    await revokeApiToken(ownerScope(db, user.id), { id: created.id });
    const revoked = await listMonitors(created.token);
    expect(revoked.status).toBe(401);
    expect(JSON.stringify(revoked.body)).toContain("revoked or mistyped");
  });
});

describe("API tokens end with the password", () => {
  async function worksOver(token: string): Promise<number> {
    const response = await handleTrpcRequest(
      new Request("http://127.0.0.1:3000/api/trpc/monitor.list", { headers: { authorization: `Bearer ${token}` } }),
      testContext(db),
    );
    return response.status;
  }

  it("a password reset revokes every API token of the account", async () => {
    const { email, user } = await signUpAndVerify();
    const { token } = await createApiToken(ownerScope(db, user.id), { name: "made before the reset" });
    expect(await worksOver(token)).toBe(200);

    const mailer = memoryMailer();
    await callerFor(db, { mailer }).auth.requestPasswordReset({ email });
    await callerFor(db).auth.resetPassword({
      token: tokenIn(mailer.linkTo(email, "/reset-password")),
      password: "a brand new password",
    });
    expect(await worksOver(token)).toBe(401);
    expect(await callerFor(db, { user }).account.apiTokens.list()).toEqual([]);
  });

  it("a password change revokes every API token of the account, and keeps the current session", async () => {
    const { user } = await signUpAndVerify();
    const session = (await createSession({ db }, { userId: user.id, userAgent: "test" })).token;
    const { token } = await createApiToken(ownerScope(db, user.id), { name: "made before the change" });
    expect(await worksOver(token)).toBe(200);

    await callerFor(db, { user, sessionToken: session }).account.changePassword({
      currentPassword: PASSWORD,
      newPassword: "an even better password",
    });
    expect(await worksOver(token)).toBe(401);
    expect(await userForSession({ db }, { token: session })).toMatchObject({ id: user.id });
  });

  it("a request authenticated by an API token cannot create API tokens; a session can", async () => {
    const { user } = await signUpAndVerify();
    await expect(
      callerFor(db, { user, via: "api-token" }).account.apiTokens.create({ name: "minted by a token" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: /API token cannot create API tokens/ });
    expect(await db.apiToken.count({ where: { userId: user.id } })).toBe(0);
    await expect(
      callerFor(db, { user, via: "session" }).account.apiTokens.create({ name: "from the account page" }),
    ).resolves.toMatchObject({ token: expect.stringMatching(/^bu_/) as unknown });
  });
});

describe("connections and deletion", () => {
  it("never removes the last way to sign in", async () => {
    const { signInWithGitHub } = await import("../../app/server/services/auth/github-login.server.ts");
    const email = `${unique("gh")}@example.test`;
    const user = await signInWithGitHub(testContext(db), {
      id: unique("gh-id"),
      login: "octo",
      name: "Octo Cat",
      avatarUrl: "http://127.0.0.1/avatar.png",
      verifiedEmails: [email],
    });
    const account = await callerFor(db, { user }).account.me();
    expect(account).toMatchObject({ email, emailVerified: true, hasPassword: false, name: "Octo Cat" });
    const unlink = callerFor(db, { user }).account.unlinkConnection({ id: account.connections[0]!.id });
    expect(await messageOf(unlink)).toBe("Set a password first: this is your only way to sign in.");
    await callerFor(db, { user }).account.changePassword({ newPassword: "now with a password" });
    expect(
      (await callerFor(db, { user }).account.unlinkConnection({ id: account.connections[0]!.id })).connections,
    ).toEqual([]);
  });

  it("deleting the account removes its monitors, tokens and sessions", async () => {
    const { email, user } = await signUpAndVerify();
    await callerFor(db, { user }).monitor.create({ url: "http://127.0.0.1:9/" });
    await createApiToken(ownerScope(db, user.id), { name: "x" });
    await createSession({ db }, { userId: user.id, userAgent: "x" });
    expect(await messageOf(callerFor(db, { user }).account.delete({ confirmation: "someone@else.test" }))).toBe(
      "Type your email address to confirm.",
    );
    await callerFor(db, { user }).account.delete({ confirmation: email.toUpperCase() });
    for (const count of [
      db.user.count({ where: { id: user.id } }),
      db.monitor.count({ where: { userId: user.id } }),
      db.apiToken.count({ where: { userId: user.id } }),
      db.session.count({ where: { userId: user.id } }),
    ]) {
      expect(await count).toBe(0);
    }
  });
});

describe("GitHub sign-in linking rules", () => {
  const profileFor = (emails: string[]) => ({
    id: unique("gh-id"),
    login: "octo",
    name: null,
    avatarUrl: "http://127.0.0.1/octo.png",
    verifiedEmails: emails,
  });

  it("links to an existing user whose address is verified on both sides", async () => {
    const { signInWithGitHub } = await import("../../app/server/services/auth/github-login.server.ts");
    const { email, user } = await signUpAndVerify();
    const signedIn = await signInWithGitHub(testContext(db), profileFor([email]));
    expect(signedIn.id).toBe(user.id);
    expect(await db.account.count({ where: { userId: user.id, provider: "github" } })).toBe(1);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).avatarUrl).toBe("http://127.0.0.1/octo.png");
  });

  it("never links to an account whose address was not verified (it may not be its owner's)", async () => {
    const { signInWithGitHub } = await import("../../app/server/services/auth/github-login.server.ts");
    const email = `${unique("squatter")}@example.test`;
    await callerFor(db).auth.signUp({ email, password: PASSWORD });
    await expect(signInWithGitHub(testContext(db), profileFor([email]))).rejects.toThrow(/not verified yet/);
    expect(await db.account.count({ where: { user: { email } } })).toBe(0);
  });

  it("refuses a GitHub account without a verified address", async () => {
    const { signInWithGitHub } = await import("../../app/server/services/auth/github-login.server.ts");
    await expect(signInWithGitHub(testContext(db), profileFor([]))).rejects.toThrow(/no verified email/);
  });

  it("connects GitHub to the signed-in user, but not one connected elsewhere", async () => {
    const { connectGitHub } = await import("../../app/server/services/auth/github-login.server.ts");
    const [{ user: a }, { user: b }] = [await signUpAndVerify(), await signUpAndVerify()];
    const profile = profileFor([`${unique("other")}@example.test`]);
    await connectGitHub(ownerScope(db, a.id), profile);
    await expect(connectGitHub(ownerScope(db, b.id), profile)).rejects.toThrow(/another Better Uptime account/);
    expect(await db.account.count({ where: { providerAccountId: profile.id } })).toBe(1);
  });
});
