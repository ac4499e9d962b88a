/**
 * Private and unlisted status pages (issue 18, part 3), through the routes visitors
 * reach: without the password nothing of a private page comes back (page, JSON, feed,
 * badges, logo, subscribing); the password opens it by a signed cookie; feeds and badges
 * take the page's token; a new password closes every open door; guesses are rate-limited;
 * unlisted pages are never indexed.
 */
import type { AppLoadContext } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPgPool } from "../../core/db/pg-pool.ts";
import { createRateLimits } from "../../app/server/services/auth/rate-limits.server.ts";
import { action as pageAction, loader as pageLoader } from "../../app/routes/status.$slug.tsx";
import { loader as jsonLoader } from "../../app/routes/status.$slug[.json].ts";
import { loader as feedLoader } from "../../app/routes/status.$slug_.feed[.atom].ts";
import { loader as badgeLoader } from "../../app/routes/status.$slug_.badge.$serviceId.status[.svg].ts";
import { loader as logoLoader } from "../../app/routes/status.$slug_.logo.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, createWebsite, unique } from "../support/factories.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const SERVICE = "Payroll service";
let slug: string;
let pageId: string;
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

const page = (cookie?: string) =>
  answer(() => pageLoader({ request: get("", cookie), params: { slug }, context: context() }));
const json = (query = "", cookie?: string) =>
  answer(() => jsonLoader({ request: get(`.json${query}`, cookie), params: { slug }, context: context() }));
const feed = (query = "") =>
  answer(() => feedLoader({ request: get(`/feed.atom${query}`), params: { slug }, context: context() }));

async function unlock(password: string, ctx = context()): Promise<Response> {
  const form = new FormData();
  form.set("intent", "unlock");
  form.set("password", password);
  return answer(() =>
    pageAction({ request: new Request(url(""), { method: "POST", body: form }), params: { slug }, context: ctx }),
  );
}

const cookieOf = (response: Response) => response.headers.get("set-cookie")!.split(";")[0]!;

beforeAll(async () => {
  owner = await createUser(db);
  const api = callerFor(db, { user: owner });
  const monitor = await createWebsite(db, owner.id);
  slug = unique("private");
  const created = await api.statusPage.create({ name: "Acme internal", slug });
  pageId = created.id;
  await api.statusPage.setMonitors({ id: pageId, monitors: [{ websiteId: monitor.id, displayName: SERVICE }] });
  await api.statusPage.setLogo({ id: pageId, image: PNG });
  await api.statusPage.setPublished({ id: pageId, isPublished: true });
  await api.statusPage.setAccess({ id: pageId, visibility: "PRIVATE", password: "open sesame 1" });
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

  it("gives no JSON, feed, badge, logo or subscription", async () => {
    for (const response of [await json(), await feed(), await json("?token=wrong")]) {
      expect(response.status).toBe(401);
      expect(await response.text()).not.toContain(SERVICE);
    }
    const badge = await answer(() =>
      badgeLoader({ request: get("/badge/x/status.svg"), params: { slug, serviceId: "x" }, context: context() }),
    );
    expect(badge.status).toBe(401);
    const logo = await answer(() => logoLoader({ request: get("/logo"), params: { slug }, context: context() }));
    expect(logo.status).toBe(404);
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

  it("guesses are rate-limited per visitor", async () => {
    const ctx = context();
    let status = 0;
    for (let attempt = 0; attempt < 25 && status !== 429; attempt++)
      status = (await unlock(`guess ${attempt}`, ctx)).status;
    expect(status).toBe(429);
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
