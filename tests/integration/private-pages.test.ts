/**
 * Private and unlisted status pages (issue 18, part 3), through the routes visitors
 * reach: without the password nothing of a private page comes back (page, JSON, feed,
 * badges, logo, subscribing); the password opens it by a signed cookie; feeds and badges
 * take the page's token; a new password closes every open door; guesses are rate-limited
 * per visitor, never page-wide; a full unlock lane answers 429 without holding sign-ins
 * up; a stored hash costlier than the policy is never verified; unlisted pages are never
 * indexed.
 */
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { hashSync } from "@node-rs/argon2";
import { createRateLimits, LIMITS } from "../../app/server/services/process/rate-limits.server.ts";
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from "../../app/server/services/crypto.server.ts";
import {
  boundedLane,
  createPasswordWork,
  type PasswordWork,
} from "../../app/server/services/process/password-work.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import { action as pageAction, loader as pageLoader } from "../../app/routes/status.$slug.tsx";
import { loader as jsonLoader } from "../../app/routes/status.$slug[.json].ts";
import { loader as feedLoader } from "../../app/routes/status.$slug_.feed[.atom].ts";
import { loader as badgeLoader } from "../../app/routes/status.$slug_.badge.$serviceId.status[.svg].ts";
import { loader as uptimeBadgeLoader } from "../../app/routes/status.$slug_.badge.$serviceId.uptime[.svg].ts";
import { loader as logoLoader } from "../../app/routes/status.$slug_.logo.ts";
import { callerFor, sharedPasswords, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const SERVICE = "Payroll service";
/** What the page's history (a past incident and the owner's update on it) says. */
const HISTORY = "payroll-ledger-outage-explained";
let slug: string;
let pageId: string;
/** The page's real service, by its public id (as its badges are asked for). */
let serviceId: string;
let owner: Awaited<ReturnType<typeof createUser>>;

const context = (): AppLoadContext => testContext(db, { rateLimits: createRateLimits(pool), clientIp: unique("ip") });
const url = (path: string) => `http://127.0.0.1:3000/status/${slug}${path}`;
const get = (path: string, cookie?: string) => new Request(url(path), { headers: cookie ? { cookie } : {} });

/** A loader's answer, thrown or returned, as a Response. */
async function answer(run: () => Promise<unknown>): Promise<Response> {
  try {
    const result = await run();
    if (result instanceof Response) return result;
    const { data, init } = result as { data: unknown; init?: ResponseInit | null };
    return Response.json(data, init ?? {});
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const page = (cookie?: string, at = slug) =>
  answer(() =>
    pageLoader({
      request: new Request(`http://127.0.0.1:3000/status/${at}`, { headers: cookie ? { cookie } : {} }),
      params: { slug: at },
      context: context(),
    }),
  );
const json = (query = "", cookie?: string) =>
  answer(() => jsonLoader({ request: get(`.json${query}`, cookie), params: { slug }, context: context() }));
const feed = (query = "") =>
  answer(() => feedLoader({ request: get(`/feed.atom${query}`), params: { slug }, context: context() }));

async function unlock(password: string, ctx = context(), at = slug): Promise<Response> {
  const form = new FormData();
  form.set("intent", "unlock");
  form.set("password", password);
  const request = new Request(`http://127.0.0.1:3000/status/${at}`, { method: "POST", body: form });
  return answer(() => pageAction({ request, params: { slug: at }, context: ctx }));
}

const cookieOf = (response: Response) => response.headers.get("set-cookie")!.split(";")[0]!;

/** A loader's answer for `path` under the page, with the visitor's cookie or none. */
const load =
  (
    loader: (args: { request: Request; params: Record<string, string>; context: AppLoadContext }) => Promise<unknown>,
    path: string,
    params: Record<string, string> = {},
  ) =>
  (cookie: string | undefined) =>
    answer(() => loader({ request: get(path, cookie), params: { slug, ...params }, context: context() }));

/**
 * Every public route of the page, for its real service. The HTML page and its `.data`
 * (Remix's data request) are the same loader; the history (past incidents and the
 * owner's updates) is part of the page, its JSON and its feed.
 */
const PUBLIC_ROUTES = {
  "page (HTML and .data)": (cookie: string | undefined) => page(cookie),
  JSON: (cookie: string | undefined) => json("", cookie),
  feed: (cookie: string | undefined) => load(feedLoader, "/feed.atom")(cookie),
  "status badge": (cookie: string | undefined) =>
    load(badgeLoader, `/badge/${serviceId}/status.svg`, { serviceId })(cookie),
  ...Object.fromEntries(
    ["1", "7", "30", "90"].map((days) => [
      `uptime badge, ${days} d`,
      (cookie: string | undefined) =>
        load(uptimeBadgeLoader, `/badge/${serviceId}/uptime.svg?days=${days}`, { serviceId })(cookie),
    ]),
  ),
  logo: (cookie: string | undefined) => load(logoLoader, "/logo")(cookie),
  "subscribing (the page's form)": (cookie: string | undefined) => {
    const form = new FormData();
    form.set("intent", "subscribe");
    form.set("email", `${unique("visitor")}@example.test`);
    const request = new Request(url(""), { method: "POST", body: form, headers: cookie ? { cookie } : {} });
    return answer(() => pageAction({ request, params: { slug }, context: context() }));
  },
} as Record<string, (cookie: string | undefined) => Promise<Response>>;

/** What each route shows a visitor who has access. */
const SHOWS: Record<string, string> = {
  "page (HTML and .data)": HISTORY,
  JSON: HISTORY,
  feed: HISTORY,
  "status badge": SERVICE,
  ...Object.fromEntries(["1", "7", "30", "90"].map((days) => [`uptime badge, ${days} d`, "uptime"])),
  logo: "PNG",
  "subscribing (the page's form)": "Almost done",
};

beforeAll(async () => {
  owner = await createUser(db);
  const api = callerFor(db, { user: owner });
  const monitor = await createMonitorRow(db, owner.id);
  slug = unique("private");
  const created = await api.statusPage.create({ name: "Acme internal", slug });
  pageId = created.id;
  await api.statusPage.setMonitors({ id: pageId, monitors: [{ monitorId: monitor.id, displayName: SERVICE }] });
  await api.statusPage.setLogo({ id: pageId, image: PNG });
  await api.statusPage.setPublished({ id: pageId, isPublished: true });
  await api.statusPage.setAccess({ id: pageId, visibility: "PRIVATE", password: "open sesame 1" });
  const past = await db.incident.create({
    data: {
      monitorId: monitor.id,
      cause: "status",
      causeDetail: "HTTP 503",
      startedAt: new Date(Date.now() - 3 * 3_600_000),
      resolvedAt: new Date(Date.now() - 2 * 3_600_000),
      durationSeconds: 3600,
    },
  });
  await api.statusPage.postIncidentUpdate({ incidentId: past.id, status: "RESOLVED", message: HISTORY });
  const opened = (await (await json("", cookieOf(await unlock("open sesame 1")))).json()) as {
    sections: { services: { id: string; name: string }[] }[];
  };
  serviceId = opened.sections[0]!.services[0]!.id;
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

describe("a private page without its password", () => {
  it("shows only the password form, and no shared cache may keep it", async () => {
    const response = await page();
    expect(response.status).toBe(401);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    expect(response.headers.get("x-robots-tag")).toMatch(/noindex/);
    // What the page renders from: the lock, and nothing of the page (its name, services, incidents).
    expect(await response.json()).toEqual({ locked: true });
  });

  it.each(Object.entries(PUBLIC_ROUTES))("%s: refused, and nothing of the page in the answer", async (name, ask) => {
    const response = await ask(undefined);
    expect(response.status).toBe(name === "logo" ? 404 : 401);
    expect(response.headers.get("cache-control")).toMatch(/no-store/);
    const body = await response.text();
    for (const secret of [SERVICE, HISTORY, "Acme internal", serviceId]) expect(body).not.toContain(secret);
  });

  it("every one of those routes answers a visitor with access (so each refusal above had something to refuse)", async () => {
    const cookie = cookieOf(await unlock("open sesame 1"));
    for (const [name, ask] of Object.entries(PUBLIC_ROUTES)) {
      const response = await ask(cookie);
      expect(response.status, name).toBe(200);
      const body = await response.text();
      expect(body, name).toContain(SHOWS[name]);
    }
  });

  it("refuses the subscription procedure itself, without the page's access", async () => {
    const subscribe = callerFor(db).statusPage.subscribe({ slug, email: "someone@example.test" });
    await expect(subscribe).rejects.toThrow(/private/);
  });
});

describe("the password", () => {
  it("opens the page by a signed, HttpOnly cookie; a wrong one says so", async () => {
    const wrong = await unlock("not it");
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("That is not the password of this page.");

    const right = await unlock("open sesame 1");
    expect(right.status).toBe(303);
    expect(right.headers.get("set-cookie")).toMatch(
      /^bu_page_[a-z0-9-]+=\d+\.[\w-]+; Path=\/; Max-Age=2592000; HttpOnly; SameSite=Lax$/,
    );
    const opened = await page(cookieOf(right));
    expect(opened.status).toBe(200);
    expect(opened.headers.get("cache-control")).toBe("private, no-store");
    expect(await opened.text()).toContain(SERVICE);
    expect((await json("", cookieOf(right))).status).toBe(200);
    // A cookie for this page opens nothing else, and a forged one opens nothing.
    const [name, value] = cookieOf(right).split("=");
    expect((await page(`${name}=${value!.replace(/.$/, (c) => (c === "A" ? "B" : "A"))}`)).status).toBe(401);
  });

  it("a new password closes the doors the old one opened, and makes a new token", async () => {
    const cookie = cookieOf(await unlock("open sesame 1"));
    const api = callerFor(db, { user: owner });
    const before = await api.statusPage.byId({ id: pageId });
    const after = await api.statusPage.setAccess({ id: pageId, visibility: "PRIVATE", password: "open sesame 2" });
    expect(after.accessToken).not.toBe(before.access.accessToken);
    expect((await page(cookie)).status).toBe(401);
    expect((await feed(`?token=${before.access.accessToken}`)).status).toBe(401);
    const withToken = await feed(`?token=${after.accessToken}`);
    expect(withToken.status).toBe(200);
    expect(await withToken.text()).toContain("Acme internal");
    expect(withToken.headers.get("cache-control")).toBe("private, no-store");
  });

  it("guesses are rate-limited per visitor, with a Retry-After", async () => {
    const ctx = context();
    let refused: Response | undefined;
    for (let attempt = 0; attempt < 25 && !refused; attempt++) {
      const response = await unlock(`guess ${attempt}`, ctx);
      if (response.status === 429) refused = response;
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused?.headers.get("cache-control")).toBe("no-store");
    expect(await refused?.text()).toContain("Too many attempts");
  });

  it("visitors spending their own attempts — even from eleven addresses — lock out no one else (issue 25)", async () => {
    // Every limit of the action a tenth of the real one, so eleven visitors spend more
    // than any page-wide limit would allow (before: 200 attempts an hour per page).
    const tenth = Object.fromEntries(
      Object.entries(LIMITS.pageUnlock).map(([kind, limit]) => [kind, { ...limit, points: limit.points / 10 }]),
    );
    const rateLimits = createRateLimits(pool, { ...LIMITS, pageUnlock: tenth });
    const visitorAt = () => testContext(db, { rateLimits, clientIp: unique("ip") });
    const perVisitor = LIMITS.pageUnlock.ipOnPage!.points / 10;
    for (let visitor = 0; visitor < 11; visitor++) {
      const ctx = visitorAt();
      for (let attempt = 0; attempt < perVisitor; attempt++) {
        expect((await unlock(`guess ${attempt}`, ctx)).status).toBe(400);
      }
      expect((await unlock("open sesame 2", ctx)).status).toBe(429);
    }
    expect((await unlock("open sesame 2", visitorAt())).status).toBe(303);
  });
});

describe("argon2 work (issue 25)", () => {
  /** The process's lanes, with the unlock lane held full by one unfinished hash. */
  function fullUnlockLane(logger: { warn: (...args: unknown[]) => void } = { warn: () => undefined }) {
    const unlocks = boundedLane({ concurrency: 1, waiting: 0, retryAfterSeconds: 2 });
    let release!: () => void;
    const held = unlocks(() => new Promise<void>((resolve) => (release = resolve)));
    const passwords: PasswordWork = {
      hash: (lane, password) => sharedPasswords.hash(lane, password),
      verify: (lane, stored, password, subject) =>
        lane === "unlocks"
          ? verifyPassword(stored, password, logger, unlocks, subject)
          : sharedPasswords.verify(lane, stored, password, subject),
    };
    return { passwords, release: () => (release(), held) };
  }

  it("a full unlock lane answers 429 with Retry-After on the form and over /api/trpc, while a sign-in goes through", async () => {
    const lane = fullUnlockLane();
    try {
      const ctx = testContext(db, { passwords: lane.passwords, clientIp: unique("ip") });
      const form = await unlock("open sesame 2", ctx);
      expect(form.status).toBe(429);
      expect(form.headers.get("retry-after")).toBe("2");
      expect(await form.text()).toContain("Too many password attempts are being checked right now");

      const api = await handleTrpcRequest(
        new Request("http://127.0.0.1:3000/api/trpc/statusPage.unlock", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ slug, password: "open sesame 2" }),
        }),
        ctx,
      );
      expect(api.status).toBe(429);
      expect(api.headers.get("retry-after")).toBe("2");
      expect(((await api.json()) as { error: { data: { code: string } } }).error.data.code).toBe("TOO_MANY_REQUESTS");

      const email = `${unique("signin")}@example.test`;
      const member = await createUser(db, { email });
      await db.user.update({ where: { id: member.id }, data: { passwordHash: await hashPassword("member pass 1") } });
      const signedIn = await callerFor(db, { passwords: lane.passwords }).auth.logIn({
        email,
        password: "member pass 1",
      });
      expect(signedIn.id).toBe(member.id);
    } finally {
      await lane.release();
    }
  });

  it("a stored hash costlier than the policy opens the page for nobody, and the log names its cost but not the hash", async () => {
    const costly = hashSync("costly secret 1", { ...ARGON2_OPTIONS, timeCost: 3 });
    await db.statusPage.update({ where: { id: pageId }, data: { accessPasswordHash: costly } });
    const warnings: string[] = [];
    const passwords = createPasswordWork({
      logger: { warn: (...args: unknown[]) => void warnings.push(JSON.stringify(args)) },
    });
    try {
      const refused = await unlock("costly secret 1", testContext(db, { passwords, clientIp: unique("ip") }));
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("That is not the password of this page.");
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain("costlier than this instance's policy");
      expect(warnings[0]).toContain(`"pageId":"${pageId}"`);
      expect(warnings[0]).not.toContain(costly.split("$").at(-1)!);
    } finally {
      await callerFor(db, { user: owner }).statusPage.setAccess({
        id: pageId,
        visibility: "PRIVATE",
        password: "open sesame 2",
      });
    }
  });
});

describe("an unlisted page", () => {
  it("is served to whoever has its address, and never indexed", async () => {
    await callerFor(db, { user: owner }).statusPage.setAccess({ id: pageId, visibility: "UNLISTED" });
    const response = await page();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-robots-tag")).toBe("noindex");
    expect(response.headers.get("cache-control")).toMatch(/^public/);
    expect(await response.text()).toContain(SERVICE);
    expect((await json()).headers.get("x-robots-tag")).toBe("noindex");
  });
});

/** Another published (public) page of the owner's, with one service: its slug and id. */
async function publishedPage(prefix: string) {
  const api = callerFor(db, { user: owner });
  const monitor = await createMonitorRow(db, owner.id);
  const at = unique(prefix);
  const { id } = await api.statusPage.create({ name: `Acme ${prefix}`, slug: at });
  await api.statusPage.setMonitors({ id, monitors: [{ monitorId: monitor.id, displayName: SERVICE }] });
  await api.statusPage.setPublished({ id, isPublished: true });
  return { slug: at, id };
}

/** Another published private page of the owner's, with one service: its slug, id and token. */
async function privatePage(password: string) {
  const created = await publishedPage("private");
  const { accessToken } = await callerFor(db, { user: owner }).statusPage.setAccess({
    id: created.id,
    visibility: "PRIVATE",
    password,
  });
  return { ...created, accessToken: accessToken! };
}

/** The page's Atom feed at `at`, with a `?token=` or none. */
const feedAt = (at: string, token?: string) =>
  answer(() =>
    feedLoader({
      request: new Request(
        `http://127.0.0.1:3000/status/${at}/feed.atom${token === undefined ? "" : `?token=${token}`}`,
      ),
      params: { slug: at },
      context: context(),
    }),
  );

/** A cookie (`name=value`) with its value's expiry and signature apart. */
function partsOf(cookie: string) {
  const [name, value] = cookie.split("=") as [string, string];
  const [expires, signature] = value.split(".") as [string, string];
  return { name, value, expiresAt: Number(expires), signature };
}

describe("the access cookie", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("opens its page for 30 days from the unlock, and not a second longer", async () => {
    const p = await privatePage("cookie pass 1");
    const before = Math.floor(Date.now() / 1000);
    const cookie = cookieOf(await unlock("cookie pass 1", context(), p.slug));
    const after = Math.floor(Date.now() / 1000);
    const { expiresAt } = partsOf(cookie);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400);
    expect(expiresAt).toBeLessThanOrEqual(after + 30 * 86_400);

    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(expiresAt * 1000 - 1);
    const last = await page(cookie, p.slug);
    expect(last.status).toBe(200);
    expect(await last.text()).toContain(SERVICE);
    vi.setSystemTime(expiresAt * 1000);
    const expired = await page(cookie, p.slug);
    expect(expired.status).toBe(401);
    expect(await expired.text()).not.toContain(SERVICE);
  });

  it("opens only the page it was given for: not another page, not with a later expiry, not cut short", async () => {
    const a = await privatePage("first page pass");
    const b = await privatePage("second page pass");
    const fromA = partsOf(cookieOf(await unlock("first page pass", context(), a.slug)));
    expect((await page(`${fromA.name}=${fromA.value}`, a.slug)).status).toBe(200);
    // A's cookie, renamed for B: the signature names the page.
    expect((await page(`bu_page_${b.slug}=${fromA.value}`, b.slug)).status).toBe(401);
    // A visitor who moves the expiry on, or sends part of the signature: no access, and no error.
    expect((await page(`${fromA.name}=${fromA.expiresAt + 86_400}.${fromA.signature}`, a.slug)).status).toBe(401);
    expect((await page(`${fromA.name}=${fromA.expiresAt}.${fromA.signature.slice(0, -1)}`, a.slug)).status).toBe(401);
  });

  it("two pages unlocked in one browser both stay open, whatever other cookies it sends", async () => {
    const a = await privatePage("browser pass a");
    const b = await privatePage("browser pass b");
    const cookieA = cookieOf(await unlock("browser pass a", context(), a.slug));
    const cookieB = cookieOf(await unlock("browser pass b", context(), b.slug));
    expect(partsOf(cookieA).name).not.toBe(partsOf(cookieB).name);
    // As a browser sends them, and as written by hand (curl -b) with spaces around the separators.
    for (const header of [
      `theme=dark; ${cookieA}; ${cookieB}; consent=yes`,
      `theme=dark ; ${cookieA} ;${cookieB} ;x=1`,
    ]) {
      for (const at of [a.slug, b.slug]) {
        const opened = await page(header, at);
        expect(opened.status, `${at} with ${header}`).toBe(200);
        expect(await opened.text(), at).toContain(SERVICE);
      }
    }
  });

  it("the API refuses a cookie or token it never issued (malformed, another length, another page's) with 401, never an error", async () => {
    const a = await privatePage("api pass a");
    const b = await privatePage("api pass b");
    const { expiresAt } = partsOf(cookieOf(await unlock("api pass a", context(), a.slug)));
    const open = (access: { cookie?: string; token?: string }) =>
      callerFor(db).statusPage.public({ slug: a.slug, access });
    for (const access of [
      { cookie: String(expiresAt) },
      { cookie: `${expiresAt}.short` },
      { cookie: `not-a-time.${"A".repeat(43)}` },
      { token: "short" },
      { token: b.accessToken },
    ]) {
      await expect(open(access), JSON.stringify(access)).rejects.toMatchObject({
        code: "UNAUTHORIZED",
        message: "This status page is private: enter its password.",
      });
    }
    await expect(open({ token: a.accessToken })).resolves.toMatchObject({ slug: a.slug });
    // The same through the feed, as a feed reader sends it.
    expect((await feedAt(a.slug, "short")).status).toBe(401);
    expect((await feedAt(a.slug, b.accessToken)).status).toBe(401);
    expect((await feedAt(a.slug, a.accessToken)).status).toBe(200);
  });

  it("the lock is read on every request: another instance's unpublish or new password closes the page while this one still holds it", async () => {
    const p = await privatePage("stale pass 1");
    const cookie = cookieOf(await unlock("stale pass 1", context(), p.slug));
    // One instant for the whole test, so this process's copy of the page stays fresh.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now());
    expect((await page(cookie, p.slug)).status).toBe(200);

    await db.statusPage.update({ where: { id: p.id }, data: { isPublished: false } });
    const unpublished = await page(cookie, p.slug);
    expect(unpublished.status).toBe(401);
    expect(await unpublished.text()).not.toContain(SERVICE);

    await db.statusPage.update({ where: { id: p.id }, data: { isPublished: true } });
    expect((await page(cookie, p.slug)).status).toBe(200);
    await db.statusPage.update({
      where: { id: p.id },
      data: { accessPasswordHash: await hashPassword("stale pass 2") },
    });
    expect((await page(cookie, p.slug)).status).toBe(401);
  });

  it("a private page stored without a password or token (the columns allow it) opens for no guess and no token, without an error or a warning", async () => {
    const p = await privatePage("no pass 1");
    await db.statusPage.update({ where: { id: p.id }, data: { accessPasswordHash: null, accessToken: null } });
    const warnings: string[] = [];
    const passwords = createPasswordWork({
      logger: { warn: (...args: unknown[]) => void warnings.push(JSON.stringify(args)) },
    });
    const refused = await unlock("no pass 1", testContext(db, { passwords, clientIp: unique("ip") }), p.slug);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("That is not the password of this page.");
    expect(warnings).toEqual([]);
    expect((await feedAt(p.slug, p.accessToken)).status).toBe(401);
  });

  it("unlocking a page that is not private (or does not exist) is a 404, not an error", async () => {
    const { slug: at } = await publishedPage("public");
    for (const target of [at, unique("nowhere")]) {
      await expect(
        callerFor(db, { clientIp: unique("ip") }).statusPage.unlock({ slug: target, password: "anything 1" }),
      ).rejects.toMatchObject({ code: "NOT_FOUND", message: "Status page not found" });
    }
  });
});

describe("the owner choosing who may see a page", () => {
  it("public is open to all; private needs a password; saving private without one keeps its password, token and open cookies; no longer private forgets them", async () => {
    const api = callerFor(db, { user: owner });
    const { slug: at, id } = await publishedPage("chosen");
    const open = await page(undefined, at);
    expect(open.status).toBe(200);
    expect(open.headers.get("cache-control")).toMatch(/^public/);
    expect(open.headers.get("x-robots-tag")).toBeNull();

    await expect(api.statusPage.setAccess({ id, visibility: "PRIVATE" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("Choose the password visitors will enter") as unknown,
    });
    expect((await page(undefined, at)).status).toBe(200);

    const first = await api.statusPage.setAccess({ id, visibility: "PRIVATE", password: "chosen pass 1" });
    expect(first).toEqual({ visibility: "PRIVATE", accessToken: expect.stringMatching(/^[\w-]{32}$/) as unknown });
    expect((await page(undefined, at)).status).toBe(401);
    const cookie = cookieOf(await unlock("chosen pass 1", context(), at));

    const kept = await api.statusPage.setAccess({ id, visibility: "PRIVATE" });
    expect(kept).toEqual(first);
    expect((await page(cookie, at)).status).toBe(200);
    expect((await feedAt(at, first.accessToken!)).status).toBe(200);
    expect((await unlock("chosen pass 1", context(), at)).status).toBe(303);

    const unlisted = await api.statusPage.setAccess({ id, visibility: "UNLISTED" });
    expect(unlisted).toEqual({ visibility: "UNLISTED", accessToken: null });
    expect((await api.statusPage.byId({ id })).access).toEqual({ visibility: "UNLISTED", accessToken: null });
    // The old password was forgotten: private again needs a new one.
    await expect(api.statusPage.setAccess({ id, visibility: "PRIVATE" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("subscribers are paused and mailed once when it turns private and again for a new password, not for saving it unchanged, and resume when it opens", async () => {
    const api = callerFor(db, { user: owner });
    const { id } = await publishedPage("subscribed");
    const subscriber = await db.subscriber.create({
      data: {
        statusPageId: id,
        email: `${unique("reader")}@example.test`,
        confirmTokenHash: unique("confirm"),
        confirmedAt: new Date(),
      },
    });
    const state = async () => {
      const mails = await db.notificationDelivery.findMany({
        where: { subscriberId: subscriber.id, event: "subscription.reconfirm" },
        orderBy: { seq: "asc" },
        select: { payload: true },
      });
      return {
        paused: (await db.subscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).pausedAt !== null,
        reasons: mails.map((mail) => (mail.payload as { reason: string }).reason),
      };
    };

    await api.statusPage.setAccess({ id, visibility: "UNLISTED" });
    expect(await state()).toEqual({ paused: false, reasons: [] });
    await api.statusPage.setAccess({ id, visibility: "PRIVATE", password: "subscribed pass 1" });
    expect(await state()).toEqual({ paused: true, reasons: ["private"] });
    await api.statusPage.setAccess({ id, visibility: "PRIVATE" });
    expect(await state()).toEqual({ paused: true, reasons: ["private"] });
    await api.statusPage.setAccess({ id, visibility: "PRIVATE", password: "subscribed pass 2" });
    // The earlier mail, not yet sent, is dropped: its link would no longer confirm.
    expect(await state()).toEqual({ paused: true, reasons: ["password"] });
    // Open again: mail resumes, and the confirm-again mails not yet sent are dropped.
    await api.statusPage.setAccess({ id, visibility: "PUBLIC" });
    expect(await state()).toEqual({ paused: false, reasons: [] });
  });
});
