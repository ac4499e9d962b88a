/**
 * A renamed page's former address, on the built server, for every public route (page,
 * its .data, JSON, feed, both badges) — issue 25, item 6. A public page's redirects for
 * anyone. An unlisted page's address is its only secret: its former one answers 404, as
 * an unknown address does, never the new address. A private page's redirects only a
 * visitor whose access cookie or token opens the page; anyone else gets the 404.
 */
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createMonitor, signUpFresh } from "./helpers.ts";

const PASSWORD = "renamed-page-password";

/** A fresh visitor's base URL: the app the signed-in page is on. */
const baseOf = (page: Page) => new URL(page.url()).origin;

async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.post(`/api/trpc/${path}`, { data: input });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** Each public route of a page, by its address (`serviceId`: a service shown on it). */
const routes = (slug: string, serviceId: string) => ({
  page: `/status/${slug}`,
  data: `/status/${slug}.data`,
  json: `/status/${slug}.json`,
  feed: `/status/${slug}/feed.atom`,
  statusBadge: `/status/${slug}/badge/${serviceId}/status.svg`,
  uptimeBadge: `/status/${slug}/badge/${serviceId}/uptime.svg?days=30`,
});

/** Where the answer sends the visitor (a redirect's Location, or single fetch's redirect for .data), or its status. */
async function outcome(request: APIRequestContext, path: string): Promise<string> {
  const response = await request.get(path, { maxRedirects: 0 });
  const location = response.headers()["location"] ?? response.headers()["x-remix-redirect"];
  if (location) return `redirect ${location}`;
  if (path.includes(".data") && response.status() === 202) {
    // Single fetch carries a loader's redirect in its body.
    const body = await response.text();
    const found = /"redirect","?([^"]+)"?/.exec(body) ?? /(\/status\/[a-z0-9-]+[^"]*)/.exec(body);
    return `redirect ${found?.[1] ?? body}`;
  }
  return String(response.status());
}

/** A published page with one monitor, renamed; its old and new slugs and its service's public id. */
async function renamedPage(page: Page, visibility: "PUBLIC" | "UNLISTED" | "PRIVATE") {
  await createMonitor(page, "http://127.0.0.1:9/renamed-target", "Renamed target");
  const monitorId = new URL(page.url()).pathname.split("/").at(-1)!;
  const oldSlug = `old-${visibility.toLowerCase()}-${Date.now()}`;
  const newSlug = `new-${visibility.toLowerCase()}-${Date.now()}`;
  const statusPage = await mutate<{ id: string }>(page, "statusPage.create", { name: "Renamed", slug: oldSlug });
  await mutate(page, "statusPage.setMonitors", { id: statusPage.id, monitors: [{ monitorId, displayName: "API" }] });
  await mutate(page, "statusPage.setPublished", { id: statusPage.id, isPublished: true });
  const access = await mutate<{ accessToken: string | null }>(page, "statusPage.setAccess", {
    id: statusPage.id,
    visibility,
    ...(visibility === "PRIVATE" ? { password: PASSWORD } : {}),
  });
  return { id: statusPage.id, oldSlug, newSlug, accessToken: access.accessToken };
}

test("a renamed public page's former address redirects every route to the new one", async ({ page, playwright }) => {
  await signUpFresh(page, "Renamed Public");
  const { id, oldSlug, newSlug } = await renamedPage(page, "PUBLIC");
  const json = (await (await page.request.get(`/status/${oldSlug}.json`)).json()) as {
    sections: { services: { id: string }[] }[];
  };
  const serviceId = json.sections[0]!.services[0]!.id;
  await mutate(page, "statusPage.update", { id, name: "Renamed", slug: newSlug });

  const visitor = await playwright.request.newContext({ baseURL: baseOf(page) });
  const before = routes(oldSlug, serviceId);
  const after = routes(newSlug, serviceId);
  for (const name of Object.keys(before) as (keyof typeof before)[]) {
    const answered = await outcome(visitor, before[name]);
    expect(answered, name).toMatch(/^redirect /);
    expect(answered, name).toContain(after[name].replace(".data", ""));
    expect(await outcome(visitor, after[name]), `${name} at the new address`).toBe("200");
  }
  await visitor.dispose();
});

test("a renamed unlisted page's former address answers 404, as an unknown one, and never names the new address", async ({
  page,
  playwright,
}) => {
  await signUpFresh(page, "Renamed Unlisted");
  const { id, oldSlug, newSlug } = await renamedPage(page, "UNLISTED");
  const json = (await (await page.request.get(`/status/${oldSlug}.json`)).json()) as {
    sections: { services: { id: string }[] }[];
  };
  const serviceId = json.sections[0]!.services[0]!.id;
  await mutate(page, "statusPage.update", { id, name: "Renamed", slug: newSlug });

  // Someone who knew the old address (a stranger: no session, no cookie).
  const stranger = await playwright.request.newContext({ baseURL: baseOf(page) });
  const unknown = routes(`never-existed-${Date.now()}`, serviceId);
  const before = routes(oldSlug, serviceId);
  for (const name of Object.keys(before) as (keyof typeof before)[]) {
    const response = await stranger.get(before[name], { maxRedirects: 0 });
    const text = await response.text();
    expect(JSON.stringify(response.headers()), name).not.toContain(newSlug);
    expect(text, name).not.toContain(newSlug);
    expect(String(response.status()), name).toBe(await outcome(stranger, unknown[name]));
  }
  // The owner's link to the new address works.
  expect((await stranger.get(`/status/${newSlug}.json`)).status()).toBe(200);
  await stranger.dispose();
});

test("a renamed private page's former address redirects only a visitor whose cookie or token opens it", async ({
  page,
  playwright,
}) => {
  await signUpFresh(page, "Renamed Private");
  const { id, oldSlug, newSlug, accessToken } = await renamedPage(page, "PRIVATE");
  const base = baseOf(page);
  // A visitor who unlocked the page before it was renamed: the cookie is the page's.
  const member = await playwright.request.newContext({ baseURL: base });
  const unlocked = await member.post(`/status/${oldSlug}`, {
    form: { intent: "unlock", password: PASSWORD },
    maxRedirects: 0,
  });
  expect(unlocked.status()).toBe(303);
  const json = (await (await member.get(`/status/${oldSlug}.json?token=${accessToken}`)).json()) as {
    sections: { services: { id: string }[] }[];
  };
  const serviceId = json.sections[0]!.services[0]!.id;
  await mutate(page, "statusPage.update", { id, name: "Renamed", slug: newSlug });

  const stranger = await playwright.request.newContext({ baseURL: base });
  const unknown = routes(`never-existed-${Date.now()}`, serviceId);
  const before = routes(oldSlug, serviceId);
  const after = routes(newSlug, serviceId);
  for (const name of Object.keys(before) as (keyof typeof before)[]) {
    // Without access: what an unknown address answers, and no trace of the new one.
    const response = await stranger.get(before[name], { maxRedirects: 0 });
    expect(JSON.stringify(response.headers()), name).not.toContain(newSlug);
    expect(await response.text(), name).not.toContain(newSlug);
    expect(String(response.status()), name).toBe(await outcome(stranger, unknown[name]));
    // A wrong token opens nothing either.
    const separator = before[name].includes("?") ? "&" : "?";
    expect(await outcome(stranger, `${before[name]}${separator}token=wrong-token`), name).not.toMatch(/redirect/);

    // With the page's cookie: redirected.
    const withCookie = await outcome(member, before[name]);
    expect(withCookie, name).toMatch(/^redirect /);
    expect(withCookie, name).toContain(after[name].split("?")[0]!.replace(".data", ""));
    // With its token (feeds and badges carry no cookies): redirected, the token kept.
    const withToken = await outcome(stranger, `${before[name]}${separator}token=${accessToken}`);
    expect(withToken, name).toMatch(/^redirect /);
    expect(withToken, name).toContain(newSlug);
  }
  await Promise.all([member.dispose(), stranger.dispose()]);
});
