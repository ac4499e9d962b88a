/**
 * DNS that never answers stalls nothing but the checks that need it: lookups go through
 * c-ares with a timeout, not getaddrinfo on libuv's four threads (shared with password
 * hashing). The only DNS server here is a silent one on 127.0.0.1.
 */
import dgram from "node:dgram";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { hashPassword, verifyPassword } from "../../app/server/services/auth/crypto.server.ts";
import { testDb } from "../support/db.ts";
import {
  createFastMonitor,
  createFastMonitors,
  eventually,
  sleep,
  startTestRunner,
  uniqueRegion,
} from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { checksOf } from "../support/stored-results.ts";

const db = testDb();
let target: TargetServer;
let silentDns: dgram.Socket;
let silentDnsServer: string;
let queries = 0;

beforeAll(async () => {
  target = await startTargetServer();
  silentDns = dgram.createSocket("udp4");
  silentDns.on("message", () => (queries += 1)); // and never answers
  silentDns.bind(0, "127.0.0.1");
  await once(silentDns, "listening");
  silentDnsServer = `127.0.0.1:${silentDns.address().port}`;
});
afterAll(async () => {
  await target.stop();
  await new Promise<void>((resolve) => silentDns.close(() => resolve()));
  await db.$disconnect();
});

describe("the target resolver", () => {
  it("fails a lookup the server never answers with a DNS timeout, and answers names in /etc/hosts without DNS", async () => {
    const resolve = createTargetResolver({ servers: [silentDnsServer], timeoutMs: 200, tries: 1 });
    await expect(resolve("never-answers.example.test")).rejects.toMatchObject({ code: "ETIMEOUT" });
    expect(await resolve("localhost")).toContain("127.0.0.1");
  });
});

describe("200 monitors whose DNS never answers", () => {
  it("leave a healthy monitor on schedule and a login fast", async () => {
    const region = uniqueRegion();
    const user = await createUser(db);
    const stalled = Array.from({ length: 200 }, (_, i) => `http://stall-${i}.example.test:${target.port}/never`);
    await createFastMonitors(db, user.id, stalled, { intervalSeconds: 2, region });
    const healthy = await createFastMonitor(db, user.id, {
      url: `http://localhost:${target.port}/ok/dns-healthy`,
      regions: [region],
    });
    const runner = startTestRunner(inject("databaseUrl"), { region, concurrency: 500, dnsServers: silentDnsServer });
    try {
      await eventually("lookups hanging", () => Promise.resolve(queries >= 200));
      const passwordHash = await hashPassword("correct horse battery");
      await sleep(4_000);
      const loginStarted = performance.now();
      expect(await verifyPassword(passwordHash, "correct horse battery", console)).toBe(true);
      const loginMs = performance.now() - loginStarted;
      await sleep(2_000);

      const results = await checksOf(db, healthy.id);
      const lags = results.map((r) => r.checkedAt.getTime() - r.scheduledAt.getTime()).sort((a, b) => a - b);
      const p99 = lags[Math.min(lags.length - 1, Math.floor(lags.length * 0.99))]!;
      console.warn(
        `dns stall: healthy monitor ${results.length} checks, lag p99 ${p99} ms; login ${Math.round(loginMs)} ms`,
      );
      expect(results.length).toBeGreaterThanOrEqual(5);
      expect(results.every((r) => r.status === "UP")).toBe(true);
      expect(p99).toBeLessThan(1_000);
      expect(loginMs).toBeLessThan(1_000);
      // The stalled ones fail as DNS errors, on their own.
      const stalledMonitor = await db.website.findFirstOrThrow({ where: { url: stalled[0] } });
      const stalledResult = (await checksOf(db, stalledMonitor.id)).find((r) => r.status === "DOWN");
      expect(stalledResult).toMatchObject({
        errorClass: "dns",
        error: expect.stringMatching(/gave no answer/) as unknown,
      });
    } finally {
      await runner.stop();
    }
  }, 60_000);
});
