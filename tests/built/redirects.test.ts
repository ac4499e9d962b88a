/**
 * After sign-in (and after choosing a theme) the app follows `redirectTo` only to a path
 * of its own, on the built server: every trick that once or elsewhere led to another host
 * ends on an in-app path (tests/unit/safe-redirect.test.ts has the rule's cases).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtDb, builtUrl, sessionCookieOf } from "../support/built-client.ts";
import { createUser } from "../support/factories.ts";

const db = builtDb();
let cookie: string;

beforeAll(async () => {
  cookie = await sessionCookieOf(db, (await createUser(db)).id);
});
afterAll(() => db.$disconnect());

const TRICKS = [
  "//evil.example",
  "/\\evil.example",
  "%2F%2Fevil.example",
  "/%2F%2Fevil.example",
  "/%5Cevil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "javascript:alert(1)",
  "/.//evil.example",
  "/..//evil.example",
  "/a/..//evil.example",
];

/** Where a browser goes with this Location, from the app. */
const hostOf = (location: string | null) => new URL(location ?? "", builtUrl()).host;

describe("redirectTo on the built server", () => {
  it.each(TRICKS)("%j: a signed-in visit to /login, and the theme form, land on an in-app path", async (to) => {
    const login = await fetch(`${builtUrl()}/login?${new URLSearchParams({ redirectTo: to }).toString()}`, {
      headers: { cookie },
      redirect: "manual",
    });
    expect(login.status).toBe(302);
    expect(login.headers.get("location")).toMatch(/^\/(?![/\\])/);
    expect(hostOf(login.headers.get("location"))).toBe(new URL(builtUrl()).host);

    const theme = await fetch(`${builtUrl()}/theme`, {
      method: "POST",
      headers: { cookie, origin: builtUrl() },
      body: new URLSearchParams({ theme: "dark", redirectTo: to }),
      redirect: "manual",
    });
    expect(theme.status).toBe(302);
    expect(theme.headers.get("location")).toMatch(/^\/(?![/\\])/);
    expect(hostOf(theme.headers.get("location"))).toBe(new URL(builtUrl()).host);
  });

  it("keeps a real in-app path", async () => {
    const theme = await fetch(`${builtUrl()}/theme`, {
      method: "POST",
      headers: { cookie, origin: builtUrl() },
      body: new URLSearchParams({ theme: "light", redirectTo: "/status-pages?tab=1" }),
      redirect: "manual",
    });
    expect(theme.headers.get("location")).toBe("/status-pages?tab=1");
  });
});
