/**
 * Every rate limit, spent on the BUILT server, answers 429 with a Retry-After — over
 * /api/trpc and through the form that uses it. Built, the error classes exist twice
 * (the server bundle's copy, whose rate limits the composition root builds, and the
 * Remix bundle's, whose error mapper judged them), and a spent limit answered 500 while
 * every test from source passed (docs/decisions/006-errors-by-code.md).
 *
 * Each door is spent through itself, by a fresh user from a fresh client address, so it
 * proves both that the door counts and how it refuses. The first test reads the source
 * for every place a limit is counted, so a new limit or a new limited procedure fails
 * here until it has a door below.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LIMITS, type LimitedAction } from "../../app/server/services/process/rate-limits.server.ts";
import { PUSH_LIMITS } from "../../app/server/services/process/push-limits.server.ts";
import { callerFor } from "../support/caller.ts";
import {
  answerOf,
  builtApi,
  builtDb,
  builtUrl,
  credentialsOf,
  postForm,
  type Answer,
  type FormMode,
} from "../support/built-client.ts";
import { createUser, unique } from "../support/factories.ts";
import { repoRoot } from "../support/test-database.ts";

const db = builtDb();
afterAll(() => db.$disconnect());

/**
 * The shared limits (LIMITS, counted in PostgreSQL), and heartbeat pings' own, in the
 * process's memory (process/push-limits.server.ts, named by its counters there).
 */
type Limit = LimitedAction | "perToken" | "unknownPerAddress";

/** How many calls a fresh client may make: the smallest limit over the keys it is counted by. */
function allowed(limit: Limit): number {
  if (limit === "perToken") return PUSH_LIMITS.pingsPerTokenPerMinute;
  if (limit === "unknownPerAddress") return PUSH_LIMITS.unknownTokensPerAddress.points;
  return Math.min(...Object.values(LIMITS[limit]).map((each) => each.points));
}

/** The longest window of a limit, which bounds any honest Retry-After. */
function windowSeconds(limit: Limit): number {
  if (limit === "perToken") return 60;
  if (limit === "unknownPerAddress") return PUSH_LIMITS.unknownTokensPerAddress.durationSeconds;
  return Math.max(...Object.values(LIMITS[limit]).map((each) => each.durationSeconds));
}

/** A heartbeat ping at its push URL, as a cron job sends it. */
async function pushPing(token: string, ip: string): Promise<Answer> {
  const response = await fetch(`${builtUrl()}/api/push/${token}`, { headers: { "x-forwarded-for": ip } });
  return { status: response.status, retryAfter: response.headers.get("retry-after"), message: await response.text() };
}

async function pushTokenOf(who: Member): Promise<string> {
  const heartbeat = await who.owner.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600 });
  return new URL(heartbeat.pushUrl!).pathname.split("/").at(-1)!;
}

/** A push token no monitor has (a guess). */
const guessedToken = () => unique("guessed-push-token");

let addresses = 0;
/** A client address of its own (sent as X-Forwarded-For; a documentation range, no traffic goes there). */
const freshIp = () => `198.51.100.${++addresses}`;

/** A user of the built server, with a session cookie, an API token and a client address of their own. */
async function member(options: { verified?: boolean } = {}) {
  const user = await createUser(db, { emailVerified: options.verified ?? true });
  const credentials = await credentialsOf(db, user.id);
  const ip = freshIp();
  return {
    user,
    ip,
    /** As a script: the API token. */
    script: { token: credentials.token, ip },
    /** As a browser: the session cookie. */
    browser: { cookie: credentials.cookie, ip },
    /** Fixtures, made from source on the same database (no rate limits). */
    owner: callerFor(db, { user }),
  };
}

type Member = Awaited<ReturnType<typeof member>>;

async function monitorOf(who: Member) {
  return (await who.owner.monitor.create({ url: "http://127.0.0.1:9/", name: unique("limited") })).id;
}

async function publishedPage(who: Member, password?: string) {
  const page = await who.owner.statusPage.create({ name: "Limited", slug: unique("limited").toLowerCase() });
  if (password) await who.owner.statusPage.setAccess({ id: page.id, visibility: "PRIVATE", password });
  await who.owner.statusPage.setPublished({ id: page.id, isPublished: true });
  return page;
}

async function incidentOf(who: Member) {
  const monitorId = await monitorOf(who);
  return (await db.incident.create({ data: { monitorId, cause: "timeout", startedAt: new Date() } })).id;
}

const inAnHour = (hours: number) => new Date(Date.now() + hours * 3_600_000);
/** The maintenance form's `datetime-local` value, in UTC. */
const formTime = (date: Date) => date.toISOString().slice(0, 16);

type Call = (mode: FormMode) => Promise<Answer>;

interface Door {
  /** The procedure's path, or the route's method and path with its form's intent. */
  name: string;
  over: "/api/trpc" | "route";
  limit: Limit;
  /** The file that counts the limit (`rateLimited(` in a router, `.consume(` in a service). */
  countedIn: string;
  /** Makes what the door needs and returns one call of it (routes: as a page or as data). */
  prepare(): Promise<Call> | Call;
}

const ROUTERS = "app/trpc/routers";
const SERVICES = "app/server/services";
const PUSH_LIMITS_FILE = `${SERVICES}/process/push-limits.server.ts`;

const DOORS: Door[] = [
  // Sign-up, log-in, password reset: per email address and client address.
  {
    name: "auth.signUp",
    over: "/api/trpc",
    limit: "signup",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    prepare() {
      const api = builtApi({ ip: freshIp() });
      const email = `${unique("signup")}@example.test`;
      return () => answerOf(api.auth.signUp.mutate({ email, password: "a long enough password", name: "New" }));
    },
  },
  {
    name: "POST /signup",
    over: "route",
    limit: "signup",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    prepare() {
      const ip = freshIp();
      const email = `${unique("signup")}@example.test`;
      return (mode) => postForm("/signup", { email, password: "a long enough password", name: "New" }, { ip }, mode);
    },
  },
  {
    name: "POST /login",
    over: "route",
    limit: "login",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    prepare() {
      const ip = freshIp();
      const email = `${unique("login")}@example.test`;
      return (mode) => postForm("/login", { email, password: "not the password" }, { ip }, mode);
    },
  },
  {
    name: "auth.requestPasswordReset",
    over: "/api/trpc",
    limit: "reset",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    prepare() {
      const api = builtApi({ ip: freshIp() });
      const email = `${unique("reset")}@example.test`;
      return () => answerOf(api.auth.requestPasswordReset.mutate({ email }));
    },
  },
  {
    name: "POST /forgot-password",
    over: "route",
    limit: "reset",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    prepare() {
      const ip = freshIp();
      const email = `${unique("reset")}@example.test`;
      return (mode) => postForm("/forgot-password", { email }, { ip }, mode);
    },
  },
  // Mails asking someone to confirm an address: per address and client address.
  {
    name: "account.resendVerification",
    over: "/api/trpc",
    limit: "resend",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    async prepare() {
      const who = await member({ verified: false });
      const api = builtApi(who.browser);
      return () => answerOf(api.account.resendVerification.mutate());
    },
  },
  {
    name: "POST /account intent=resendVerification",
    over: "route",
    limit: "resend",
    countedIn: `${SERVICES}/auth/credentials.server.ts`,
    async prepare() {
      const who = await member({ verified: false });
      return (mode) => postForm("/account", { intent: "resendVerification" }, who.browser, mode);
    },
  },
  {
    name: "account.changeEmail",
    over: "/api/trpc",
    limit: "resend",
    countedIn: `${SERVICES}/auth/profile.server.ts`,
    async prepare() {
      const who = await member();
      const api = builtApi(who.script);
      const email = `${unique("new-address")}@example.test`;
      return () => answerOf(api.account.changeEmail.mutate({ email }));
    },
  },
  {
    name: "POST /account intent=changeEmail",
    over: "route",
    limit: "resend",
    countedIn: `${SERVICES}/auth/profile.server.ts`,
    async prepare() {
      const who = await member();
      const email = `${unique("new-address")}@example.test`;
      return (mode) => postForm("/account", { intent: "changeEmail", email }, who.browser, mode);
    },
  },
  // An owner's own argon2 work (password, email, a page's password): per user, before any hash.
  {
    name: "account.changePassword",
    over: "/api/trpc",
    limit: "ownerPassword",
    countedIn: `${SERVICES}/process/password-work.server.ts`,
    async prepare() {
      const who = await member();
      // A session, not the API token: a changed password revokes the account's API tokens.
      const api = builtApi(who.browser);
      return () => answerOf(api.account.changePassword.mutate({ newPassword: "a long enough password" }));
    },
  },
  {
    name: "POST /account intent=changePassword",
    over: "route",
    limit: "ownerPassword",
    countedIn: `${SERVICES}/process/password-work.server.ts`,
    async prepare() {
      const who = await member();
      return (mode) =>
        postForm("/account", { intent: "changePassword", newPassword: "a long enough password" }, who.browser, mode);
    },
  },
  {
    name: "notification.create (an email channel to someone else)",
    over: "/api/trpc",
    limit: "resend",
    countedIn: `${SERVICES}/notifications/channels.server.ts`,
    async prepare() {
      const who = await member();
      const api = builtApi(who.script);
      const target = `${unique("oncall")}@example.test`;
      return () => answerOf(api.notification.create.mutate({ type: "EMAIL", name: unique("mail"), target }));
    },
  },
  {
    name: "POST /alerts intent=create (an email channel to someone else)",
    over: "route",
    limit: "resend",
    countedIn: `${SERVICES}/notifications/channels.server.ts`,
    async prepare() {
      const who = await member();
      const target = `${unique("oncall")}@example.test`;
      return (mode) =>
        postForm("/alerts", { intent: "create", type: "EMAIL", name: unique("mail"), target }, who.browser, mode);
    },
  },
  // Status page visitors.
  {
    name: "statusPage.subscribe",
    over: "/api/trpc",
    limit: "subscribe",
    countedIn: `${SERVICES}/status-pages/subscribers.server.ts`,
    async prepare() {
      const page = await publishedPage(await member());
      const api = builtApi({ ip: freshIp() });
      const email = `${unique("visitor")}@example.test`;
      return () => answerOf(api.statusPage.subscribe.mutate({ slug: page.slug, email }));
    },
  },
  {
    name: "POST /status/:slug (subscribe)",
    over: "route",
    limit: "subscribe",
    countedIn: `${SERVICES}/status-pages/subscribers.server.ts`,
    async prepare() {
      const page = await publishedPage(await member());
      const ip = freshIp();
      const email = `${unique("visitor")}@example.test`;
      return (mode) => postForm(`/status/${page.slug}`, { email }, { ip }, mode);
    },
  },
  {
    name: "statusPage.unlock",
    over: "/api/trpc",
    limit: "pageUnlock",
    countedIn: `${SERVICES}/status-pages/page-access.server.ts`,
    async prepare() {
      const page = await publishedPage(await member(), "the right password 1");
      const api = builtApi({ ip: freshIp() });
      return () => answerOf(api.statusPage.unlock.mutate({ slug: page.slug, password: "a wrong guess" }));
    },
  },
  {
    name: "POST /status/:slug intent=unlock",
    over: "route",
    limit: "pageUnlock",
    countedIn: `${SERVICES}/status-pages/page-access.server.ts`,
    async prepare() {
      const page = await publishedPage(await member(), "the right password 1");
      const ip = freshIp();
      return (mode) => postForm(`/status/${page.slug}`, { intent: "unlock", password: "a wrong guess" }, { ip }, mode);
    },
  },
  // What a signed-in user could turn against others: per user.
  {
    name: "notification.test",
    over: "/api/trpc",
    limit: "alertTest",
    countedIn: `${ROUTERS}/notification.server.ts`,
    async prepare() {
      const who = await member();
      const hook = await who.owner.notification.create({
        type: "WEBHOOK",
        name: "hook",
        target: "http://127.0.0.1:9/",
      });
      const api = builtApi(who.script);
      return () => answerOf(api.notification.test.mutate({ id: hook.id }));
    },
  },
  {
    name: "POST /alerts intent=test",
    over: "route",
    limit: "alertTest",
    countedIn: `${ROUTERS}/notification.server.ts`,
    async prepare() {
      const who = await member();
      const hook = await who.owner.notification.create({
        type: "WEBHOOK",
        name: "hook",
        target: "http://127.0.0.1:9/",
      });
      return (mode) => postForm("/alerts", { intent: "test", id: hook.id }, who.browser, mode);
    },
  },
  {
    name: "monitor.checkNow",
    over: "/api/trpc",
    limit: "checkNow",
    countedIn: `${ROUTERS}/monitor.server.ts`,
    async prepare() {
      const who = await member();
      const id = await monitorOf(who);
      const api = builtApi(who.script);
      return () => answerOf(api.monitor.checkNow.mutate({ id }));
    },
  },
  {
    name: "POST /monitors/:id intent=checkNow",
    over: "route",
    limit: "checkNow",
    countedIn: `${ROUTERS}/monitor.server.ts`,
    async prepare() {
      const who = await member();
      const id = await monitorOf(who);
      return (mode) => postForm(`/monitors/${id}`, { intent: "checkNow" }, who.browser, mode);
    },
  },
  {
    name: "monitor.pauseMany",
    over: "/api/trpc",
    limit: "bulkAction",
    countedIn: `${ROUTERS}/monitor.server.ts`,
    async prepare() {
      const who = await member();
      const id = await monitorOf(who);
      const api = builtApi(who.script);
      return () => answerOf(api.monitor.pauseMany.mutate({ ids: [id] }));
    },
  },
  {
    name: "monitor.resumeMany",
    over: "/api/trpc",
    limit: "bulkAction",
    countedIn: `${ROUTERS}/monitor.server.ts`,
    async prepare() {
      const who = await member();
      const id = await monitorOf(who);
      const api = builtApi(who.script);
      return () => answerOf(api.monitor.resumeMany.mutate({ ids: [id] }));
    },
  },
  {
    name: "POST /monitors intent=pause",
    over: "route",
    limit: "bulkAction",
    countedIn: `${ROUTERS}/monitor.server.ts`,
    async prepare() {
      const who = await member();
      const id = await monitorOf(who);
      return (mode) => postForm("/monitors?index", { intent: "pause", ids: [id] }, who.browser, mode);
    },
  },
  {
    name: "POST /monitors intent=resume",
    over: "route",
    limit: "bulkAction",
    countedIn: `${ROUTERS}/monitor.server.ts`,
    async prepare() {
      const who = await member();
      const id = await monitorOf(who);
      return (mode) => postForm("/monitors?index", { intent: "resume", ids: [id] }, who.browser, mode);
    },
  },
  // Logo uploads: each one an image decoded and encoded again, per user. An empty image
  // is refused (400) after it is counted, so the door spends the limit without decoding.
  {
    name: "statusPage.setLogo",
    over: "/api/trpc",
    limit: "logoUpload",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      const api = builtApi(who.script);
      return () => answerOf(api.statusPage.setLogo.mutate({ id: page.id, image: "" }));
    },
  },
  {
    name: "POST /status-pages/:id intent=logo",
    over: "route",
    limit: "logoUpload",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      return (mode) => postForm(`/status-pages/${page.id}`, { intent: "logo" }, who.browser, mode);
    },
  },
  // Mails to every subscriber of the owner's pages: per user.
  {
    name: "statusPage.postIncidentUpdate",
    over: "/api/trpc",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const incidentId = await incidentOf(who);
      const api = builtApi(who.script);
      return () =>
        answerOf(api.statusPage.postIncidentUpdate.mutate({ incidentId, status: "MONITORING", message: "Watching" }));
    },
  },
  {
    name: "POST /status-pages/:id intent=incidentUpdate",
    over: "route",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      const incidentId = await incidentOf(who);
      const fields = { intent: "incidentUpdate", incidentId, status: "MONITORING", message: "Watching" };
      return (mode) => postForm(`/status-pages/${page.id}`, fields, who.browser, mode);
    },
  },
  {
    name: "statusPage.postAnnouncement",
    over: "/api/trpc",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      const api = builtApi(who.script);
      return () =>
        answerOf(
          api.statusPage.postAnnouncement.mutate({ id: page.id, kind: "NOTICE", title: "Notice", message: "Hi" }),
        );
    },
  },
  {
    name: "POST /status-pages/:id intent=postAnnouncement",
    over: "route",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      const fields = {
        intent: "postAnnouncement",
        kind: "NOTICE",
        impact: "NONE",
        status: "INVESTIGATING",
        title: "Notice",
        message: "Hi",
      };
      return (mode) => postForm(`/status-pages/${page.id}`, fields, who.browser, mode);
    },
  },
  {
    name: "statusPage.updateAnnouncement",
    over: "/api/trpc",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      const announcement = await who.owner.statusPage.postAnnouncement({
        id: page.id,
        kind: "INCIDENT",
        title: "Slow",
        message: "Looking",
      });
      const api = builtApi(who.script);
      return () =>
        answerOf(
          api.statusPage.updateAnnouncement.mutate({
            announcementId: announcement.id,
            status: "MONITORING",
            message: "Still watching",
          }),
        );
    },
  },
  {
    name: "POST /status-pages/:id intent=updateAnnouncement",
    over: "route",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const page = await publishedPage(who);
      const announcement = await who.owner.statusPage.postAnnouncement({
        id: page.id,
        kind: "INCIDENT",
        title: "Slow",
        message: "Looking",
      });
      const fields = {
        intent: "updateAnnouncement",
        announcementId: announcement.id,
        status: "MONITORING",
        message: "Still watching",
      };
      return (mode) => postForm(`/status-pages/${page.id}`, fields, who.browser, mode);
    },
  },
  {
    name: "maintenance.create",
    over: "/api/trpc",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const monitorIds = [await monitorOf(who)];
      const api = builtApi(who.script);
      return () =>
        answerOf(
          api.maintenance.create.mutate({ title: "Upgrade", startsAt: inAnHour(1), endsAt: inAnHour(2), monitorIds }),
        );
    },
  },
  {
    name: "POST /maintenance",
    over: "route",
    limit: "subscriberMail",
    countedIn: `${ROUTERS}/status-page.server.ts`,
    async prepare() {
      const who = await member();
      const monitorIds = [await monitorOf(who)];
      const fields = { title: "Upgrade", startsAt: formTime(inAnHour(1)), endsAt: formTime(inAnHour(2)), monitorIds };
      return (mode) => postForm("/maintenance", fields, who.browser, mode);
    },
  },
  // Heartbeat pings: per push token, and per client address on unknown tokens.
  {
    name: "heartbeat.ping",
    over: "/api/trpc",
    limit: "perToken",
    countedIn: PUSH_LIMITS_FILE,
    async prepare() {
      const token = await pushTokenOf(await member());
      const api = builtApi({ ip: freshIp() });
      return () => answerOf(api.heartbeat.ping.mutate({ token }));
    },
  },
  {
    name: "GET /api/push/:token",
    over: "route",
    limit: "perToken",
    countedIn: PUSH_LIMITS_FILE,
    async prepare() {
      const token = await pushTokenOf(await member());
      const ip = freshIp();
      return () => pushPing(token, ip);
    },
  },
  {
    name: "heartbeat.ping (unknown tokens)",
    over: "/api/trpc",
    limit: "unknownPerAddress",
    countedIn: PUSH_LIMITS_FILE,
    prepare() {
      const api = builtApi({ ip: freshIp() });
      return () => answerOf(api.heartbeat.ping.mutate({ token: guessedToken() }));
    },
  },
  {
    name: "GET /api/push/:token (unknown tokens)",
    over: "route",
    limit: "unknownPerAddress",
    countedIn: PUSH_LIMITS_FILE,
    prepare() {
      const ip = freshIp();
      return () => pushPing(guessedToken(), ip);
    },
  },
];

/** Every place the source counts a limit: [file, what it counts]. */
function countingSites(): [string, string][] {
  const files = readdirSync(path.join(repoRoot, "app"), { recursive: true, encoding: "utf8" })
    .filter((file) => /\.tsx?$/.test(file))
    .map((file) => path.join("app", file))
    .filter((file) => file !== path.join(SERVICES, "process/rate-limits.server.ts")); // the limiter itself
  return files.flatMap((file) => {
    const text = readFileSync(path.join(repoRoot, file), "utf8");
    // rateLimited("x") in routers, rateLimits.consume("x", …) in services, and any other
    // limiter's counter.consume(…) (named by its counter); not the rateLimited middleware itself.
    return [...text.matchAll(/rateLimited\("(\w+)"\)|rateLimits\.consume\("(\w+)"|(\w+)\.consume\(/g)]
      .filter((match) => match[3] !== "rateLimits")
      .map((match): [string, string] => [file, match[1] ?? match[2] ?? match[3]!]);
  });
}

/** Each procedure a router wraps in `rateLimited(…)`, by its name in the router. */
function limitedProcedureNames(): string[] {
  return readdirSync(path.join(repoRoot, ROUTERS)).flatMap((file) => {
    const text = readFileSync(path.join(repoRoot, ROUTERS, file), "utf8");
    return [...text.matchAll(/(\w+): \w+Procedure\s*\.use\(rateLimited\(/g)].map((match) => match[1]!);
  });
}

describe("rate limits on the built server", () => {
  it("has a door here for every limit, every place one is counted and every limited procedure", () => {
    const limits = new Set(DOORS.map((door) => door.limit));
    for (const action of Object.keys(LIMITS)) expect(limits, action).toContain(action);
    for (const [file, limit] of countingSites()) {
      expect(
        DOORS.some((door) => door.countedIn === file && door.limit === limit),
        `${limit} counted in ${file}`,
      ).toBe(true);
    }
    const procedures = DOORS.filter((door) => door.over === "/api/trpc").map((door) => door.name.split(" ")[0]!);
    for (const name of limitedProcedureNames()) {
      expect(
        procedures.some((procedure) => procedure.endsWith(`.${name}`)),
        name,
      ).toBe(true);
    }
    // Each limit refuses through the API and through a form alike (logging in has no API).
    for (const limit of limits) {
      expect(new Set(DOORS.filter((door) => door.limit === limit).map((door) => door.over)).size, limit).toBe(
        limit === "login" ? 1 : 2,
      );
    }
  });

  it.concurrent.for(DOORS)(
    "$name ($over): the call past the limit answers 429 with Retry-After and says when",
    async (door, { expect }) => {
      const call = await door.prepare();
      const limit = allowed(door.limit);
      // Spent as a script, or as a browser with JavaScript (the form's data URL: no page rendered).
      for (let n = 1; n <= limit; n += 1) {
        const answer = await call("data");
        expect(answer.status, `call ${n} of ${limit}: ${answer.message.slice(0, 500)}`).toBeLessThan(500);
        expect(answer.status, `call ${n} of ${limit} is within the limit`).not.toBe(429);
      }
      // Refused, and says when: as a script, as a page without JavaScript, and as data.
      const refusals = door.over === "/api/trpc" ? [await call("data")] : [await call("document"), await call("data")];
      for (const refused of refusals) {
        expect(refused.status, refused.message.slice(0, 500)).toBe(429);
        const retryAfter = Number(refused.retryAfter);
        expect(Number.isInteger(retryAfter) && retryAfter >= 1, `Retry-After: ${refused.retryAfter}`).toBe(true);
        expect(retryAfter).toBeLessThanOrEqual(windowSeconds(door.limit));
        expect(refused.message).toMatch(/Too many attempts\. Try again in \d+ (seconds|minutes)\./);
        if (door.over === "/api/trpc") {
          expect(refused.data).toMatchObject({ code: "TOO_MANY_REQUESTS", retryAfterSeconds: retryAfter });
        }
      }
    },
  );
});
