import { once } from "node:events";
import type { AddressInfo } from "node:net";
import compression from "compression";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPublicResponseCache } from "../../app/server/host/public-cache.server.ts";
import { PublicPageCache } from "../../app/server/services/status-pages/public-page.server.ts";

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
  });
});
