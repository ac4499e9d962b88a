import { once } from "node:events";
import { readdirSync } from "node:fs";
import path from "node:path";
import type { AddressInfo } from "node:net";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CACHED_PATH, chosenEncoding, createPublicResponseCache } from "../../app/host/public-cache.server.ts";
import { requestHost } from "../../app/host/request-host.server.ts";
import { PublicPageCache } from "../../app/server/services/process/public-page-cache.server.ts";
import { routeUrl } from "../support/route-url.ts";
import { repoRoot } from "../support/test-database.ts";

let renders = 0;
let base = "";
const app = express();
const pages = new PublicPageCache();
const cache = createPublicResponseCache({ pageVersion: (slug) => pages.version(slug), ttlMs: 60_000 });
app.use(cache.middleware);
app.use(compression({ threshold: 0 }));
app.all("/status/:slug", (req, res) => {
  renders++;
  if (req.params.slug === "slow") return void setTimeout(() => res.send(`slow render ${renders}`), 200);
  if (req.params.slug === "missing") return void res.status(404).send("not found");
  if (req.params.slug === "personal") res.setHeader("set-cookie", "a=b");
  if (req.params.slug === "confirm") res.setHeader("cache-control", "no-store");
  if (req.params.slug === "big") return void res.type("text/plain").send("x".repeat(3 * 1024 * 1024));
  res.type("text/html").send(`<p>${req.params.slug} render ${renders}</p>`);
});
const server = app.listen(0, "127.0.0.1");
const listening = once(server, "listening");
beforeAll(async () => {
  await listening;
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => void server.close());

const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, init);

describe("public response cache", () => {
  it("answers repeat visitors from one render, compressed as asked, until the page changes", async () => {
    const first = await get("/status/acme", { headers: { "accept-encoding": "gzip" } });
    const body = await first.text();
    const again = await get("/status/acme", { headers: { "accept-encoding": "gzip" } });
    expect(await again.text()).toBe(body);
    expect(again.headers.get("content-encoding")).toBe("gzip");
    expect(again.headers.get("age")).toBe("0");
    const rendersBefore = renders;

    // Another encoding is another copy; an owner's change makes a fresh render.
    expect(await (await get("/status/acme", { headers: { "accept-encoding": "identity" } })).text()).toContain(
      "acme render",
    );
    expect(renders).toBe(rendersBefore + 1);
    pages.invalidate("acme");
    const fresh = await (await get("/status/acme", { headers: { "accept-encoding": "gzip" } })).text();
    expect(fresh).not.toBe(body);
  });

  it("renders once for visitors arriving together", async () => {
    const before = renders;
    const bodies = await Promise.all(Array.from({ length: 20 }, () => get("/status/slow").then((r) => r.text())));
    expect(renders).toBe(before + 1);
    expect(new Set(bodies).size).toBe(1);
  });

  it("never keeps errors, writes or answers that set cookies", async () => {
    for (const [path, method] of [
      ["/status/missing", "GET"],
      ["/status/personal", "GET"],
      ["/status/form", "POST"],
    ] as const) {
      await get(path, { method });
      const before = renders;
      await get(path, { method });
      expect(renders, `${method} ${path}`).toBe(before + 1);
    }
  });

  it("cache flooding: query strings the page does not read never make new entries", async () => {
    await get("/status/flood");
    const before = renders;
    for (let i = 0; i < 20; i++) await get(`/status/flood?cachebuster=${i}`);
    expect(renders).toBe(before);
    // The one parameter public routes read is part of the key.
    await get("/status/flood?days=7");
    expect(renders).toBe(before + 1);
  });

  it("never keeps answers marked no-store", async () => {
    await get("/status/confirm");
    const before = renders;
    await get("/status/confirm");
    expect(renders).toBe(before + 1);
  });

  it("cache flooding: the cache is bounded in bytes, not only in entries", async () => {
    for (let i = 0; i < 40; i++) {
      pages.invalidate("big");
      await get("/status/big", { headers: { "accept-encoding": "identity" } });
    }
    expect(cache.bytes()).toBeLessThanOrEqual(64 * 1024 * 1024);
    // Forty large pages rendered and compressed: seconds on a busy machine, not a hang.
  }, 60_000);
});

describe("what the public cache keys on", () => {
  it("chooses the compression a client accepts, best-rated first, none when it accepts neither", () => {
    expect(chosenEncoding("gzip, deflate, br, zstd")).toBe("br");
    expect(chosenEncoding("gzip")).toBe("gzip");
    expect(chosenEncoding("br;q=0.5, gzip")).toBe("gzip");
    expect(chosenEncoding("gzip;q=0, br;q=0")).toBe("identity");
    expect(chosenEncoding("*")).toBe("br");
    expect(chosenEncoding("*;q=0.1, br;q=0")).toBe("gzip");
    expect(chosenEncoding("identity")).toBe("identity");
    expect(chosenEncoding(undefined)).toBe("identity");
    expect(chosenEncoding("")).toBe("identity");
    // Padding cannot hide what follows it (a key cut at 100 characters once could).
    expect(chosenEncoding(`${"x".repeat(100)}, gzip`)).toBe("gzip");
    expect(chosenEncoding("x".repeat(100))).toBe("identity");
    expect(chosenEncoding("gzip;q=abc")).toBe("identity");
  });

  it("keeps each public status route's answers, and none of the pages whose forms post back to their own URL", () => {
    const params = { slug: "acme", serviceId: "svc1" };
    const cached = [
      "status.$slug.tsx",
      "status.$slug[.json].ts",
      "status.$slug_.feed[.atom].ts",
      "status.$slug_.logo.ts",
      "status.$slug_.badge.$serviceId.status[.svg].ts",
      "status.$slug_.badge.$serviceId.uptime[.svg].ts",
    ];
    const notCached = ["status.$slug_.confirm.tsx", "status.$slug_.reconfirm.tsx", "status.$slug_.unsubscribe.tsx"];
    // A new public route is classified here before it ships.
    const statusRoutes = readdirSync(path.join(repoRoot, "app/routes")).filter((file) => file.startsWith("status."));
    expect(statusRoutes.sort()).toEqual([...cached, ...notCached].sort());
    for (const file of cached) expect(CACHED_PATH.test(routeUrl(file, params).url), file).toBe(true);
    for (const file of notCached) expect(CACHED_PATH.test(routeUrl(file, params).url), file).toBe(false);
    expect(CACHED_PATH.test("/status/acme.data")).toBe(false);
  });

  it("a query string the page does not read never reaches the render; a visitor's ?token= passes the cache by", async () => {
    const seen: string[] = [];
    const echo = express();
    echo.use(cache.middleware);
    echo.get("/status/:slug", (req, res) => {
      seen.push(req.originalUrl);
      res.type("text/html").send(`<p>${req.originalUrl}</p>`);
    });
    const echoServer = echo.listen(0, "127.0.0.1");
    await once(echoServer, "listening");
    const echoBase = `http://127.0.0.1:${(echoServer.address() as AddressInfo).port}`;
    try {
      const poisoned = await fetch(`${echoBase}/status/echo?x=%3Cmarker%3E&days=7&utm=1`);
      expect(await poisoned.text()).toBe("<p>/status/echo?days=7</p>");
      expect(await (await fetch(`${echoBase}/status/echo`)).text()).toBe("<p>/status/echo</p>");
      const withToken = await fetch(`${echoBase}/status/echo?token=abc&x=1`);
      expect(await withToken.text()).toBe("<p>/status/echo?token=abc&x=1</p>");
      // Too long to key whole, or repeated: not kept, and rendered as asked.
      expect(await (await fetch(`${echoBase}/status/echo?days=${"9".repeat(17)}`)).text()).toContain("9".repeat(17));
      expect(await (await fetch(`${echoBase}/status/echo?days=7&days=30`)).text()).toContain("days=7&days=30");
      expect(seen).toEqual([
        "/status/echo?days=7",
        "/status/echo",
        "/status/echo?token=abc&x=1",
        `/status/echo?days=${"9".repeat(17)}`,
        "/status/echo?days=7&days=30",
      ]);
    } finally {
      echoServer.close();
    }
  });
});

describe("the request's host", () => {
  it("takes X-Forwarded-Host only from a trusted proxy (its first value), lower-cased; refuses what is no host", () => {
    expect(requestHost("status.example.test", "evil.example.test", false)).toBe("status.example.test");
    expect(requestHost("127.0.0.1:3000", "Status.Example.TEST", true)).toBe("status.example.test");
    expect(requestHost("127.0.0.1:3000", "a.example.test, b.example.test", true)).toBe("a.example.test");
    expect(requestHost("[::1]:3000", undefined, true)).toBe("[::1]:3000");
    expect(requestHost("Example.test:8080", undefined, false)).toBe("example.test:8080");
    for (const bad of ["evil.example.test/path", "a b", "evil.example.test:99999999", "", "<x>", "a..b"]) {
      expect(requestHost(bad, undefined, false), bad).toBeNull();
      expect(requestHost("ok.example.test", bad || "x y", true), bad).toBeNull();
    }
  });
});
