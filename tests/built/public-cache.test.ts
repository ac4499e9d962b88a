/**
 * Cache poisoning of public status answers, on the built server (its cache, compressor and
 * Remix's request URL as shipped): what a kept copy holds depends only on its key, and its
 * key holds everything that changes it. Each test asks once with the tainting part (a query
 * string, a forwarded host or scheme, an odd Accept-Encoding), then as an ordinary visitor,
 * who must never get the first answer.
 *
 * This project's server trusts loopback as its proxy (TRUST_PROXY, tests/support/built-setup.ts);
 * one test starts a second server without TRUST_PROXY, on the same database.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { builtDb, builtUrl } from "../support/built-client.ts";
import { APP_SESSION_SECRET, startApp, type AppProcess } from "../support/app-process.ts";
import { createStatusPage, createUser, unique } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";

const db = builtDb();
let userId: string;

beforeAll(async () => {
  userId = (await createUser(db)).id;
});
afterAll(() => db.$disconnect());

/** A published public page of its own per test, so no test reads another's kept copies. */
async function publishedPage(): Promise<string> {
  const page = await createStatusPage(db, userId, unique("cache"));
  await db.statusPage.update({ where: { id: page.id }, data: { isPublished: true } });
  return page.slug;
}

const get = (base: string, path: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { headers, redirect: "manual" });

describe("public answers on the built server", () => {
  it("a query string is never reflected into a kept page or feed", async () => {
    const slug = await publishedPage();
    for (const path of [`/status/${slug}`, `/status/${slug}/feed.atom`, `/status/${slug}.json`]) {
      const tainted = await get(builtUrl(), `${path}?x=qmark3r&utm_source=qmark3r`);
      expect(tainted.status, path).toBe(200);
      expect(await tainted.text(), path).not.toContain("qmark3r");
      const plain = await get(builtUrl(), path);
      expect(await plain.text(), path).not.toContain("qmark3r");
    }
  });

  it("a trusted proxy's X-Forwarded-Host is the host of the feed's links, and kept apart from the plain host's", async () => {
    const slug = await publishedPage();
    const feed = `/status/${slug}/feed.atom`;
    const forwarded = await get(builtUrl(), feed, { "x-forwarded-host": "Status.Example.TEST" });
    expect(await forwarded.text()).toContain(`http://status.example.test/status/${slug}`);
    const plain = await (await get(builtUrl(), feed)).text();
    expect(plain).toContain(`${builtUrl()}/status/${slug}`);
    expect(plain).not.toContain("status.example.test");
    // A list (several proxies): the first, as Express reads it, not a 500 from `new URL`.
    const listed = await get(builtUrl(), feed, { "x-forwarded-host": "a.example.test, b.example.test" });
    expect(listed.status).toBe(200);
    expect(await listed.text()).toContain(`http://a.example.test/status/${slug}`);
    // Not a host at all: a clear 400.
    const bad = await get(builtUrl(), feed, { "x-forwarded-host": "evil.example.test/<x>" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("not a host name");
  });

  it("the scheme a trusted proxy forwards is in the key: an https copy is never served over http", async () => {
    const slug = await publishedPage();
    const feed = `/status/${slug}/feed.atom`;
    const https = await get(builtUrl(), feed, { "x-forwarded-proto": "https" });
    expect(await https.text()).toContain(`https://${new URL(builtUrl()).host}/status/${slug}`);
    const plain = await (await get(builtUrl(), feed)).text();
    expect(plain).toContain(`${builtUrl()}/status/${slug}`);
    expect(plain).not.toContain("https://");
  });

  it("each client gets a compression it accepts, whatever another client asked for first", async () => {
    const slug = await publishedPage();
    const page = `/status/${slug}`;
    const padding = "x".repeat(100);
    // Once the key held only the first 100 characters of Accept-Encoding.
    const first = await get(builtUrl(), page, { "accept-encoding": `${padding}, gzip` });
    expect(first.headers.get("content-encoding")).toBe("gzip");
    const text = await first.text();
    const cases: [string, string | null][] = [
      [padding, null],
      ["gzip", "gzip"],
      ["gzip, deflate, br", "br"],
      ["br;q=0.5, gzip", "gzip"],
      ["identity", null],
      ["gzip;q=0", null],
    ];
    for (const [acceptEncoding, expected] of cases) {
      const answer = await get(builtUrl(), page, { "accept-encoding": acceptEncoding });
      expect(answer.headers.get("content-encoding"), acceptEncoding).toBe(expected);
      expect(await answer.text(), acceptEncoding).toBe(text); // fetch undoes the compression
    }
  });

  describe("without TRUST_PROXY", () => {
    let untrusting: AppProcess;
    beforeAll(async () => {
      untrusting = await startApp(
        {
          DATABASE_URL: inject("databaseUrl"),
          LOG_LEVEL: "warn",
          SESSION_SECRET: APP_SESSION_SECRET,
          RUNNER_ENABLED: "false",
          DNS_SERVERS: `127.0.0.1:${await closedPort()}`,
        },
        await closedPort(),
      );
    }, 60_000);
    afterAll(() => untrusting?.stop());

    it("X-Forwarded-Host from a client changes nothing: links, kept copies and the cross-site check use Host", async () => {
      const slug = await publishedPage();
      const feed = `/status/${slug}/feed.atom`;
      const tainted = await get(untrusting.baseUrl, feed, { "x-forwarded-host": "evil.example.test" });
      expect(tainted.status).toBe(200);
      const taintedText = await tainted.text();
      expect(taintedText).toContain(`${untrusting.baseUrl}/status/${slug}`);
      expect(taintedText).not.toContain("evil.example.test");
      expect(await (await get(untrusting.baseUrl, feed)).text()).not.toContain("evil.example.test");
      // A form posted from evil.example.test that names itself in X-Forwarded-Host is still cross-site.
      const post = await fetch(`${untrusting.baseUrl}/theme`, {
        method: "POST",
        headers: { origin: "http://evil.example.test", "x-forwarded-host": "evil.example.test" },
        body: new URLSearchParams({ theme: "dark" }),
        redirect: "manual",
      });
      expect(post.status).toBe(403);
    });
  });
});
