/**
 * DNS that never answers stalls nothing but the checks that need it: lookups go through
 * c-ares with a timeout, not getaddrinfo on libuv's four threads (shared with password
 * hashing). The only DNS server here is a silent one on 127.0.0.1.
 *
 * Outcomes only, polled: how fast the healthy check and the login stay while lookups
 * hang is a timing, measured by a bench, never asserted here (a loaded machine is slow,
 * not broken).
 */
import dgram from "node:dgram";
import { once } from "node:events";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { hashPassword, verifyPassword } from "../../app/server/services/crypto.server.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, createFastMonitors, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { checksOf, countChecks } from "../support/stored-results.ts";

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
    await expect(resolve("never-answers.example.test")).rejects.toMatchObject({
      code: "ETIMEOUT",
      message: "DNS lookup of never-answers.example.test timed out",
    });
    expect(await resolve("localhost")).toContain("127.0.0.1");
  }, 20_000); // settles in well under a second: one that never settles fails rather than hangs
});

describe("one tenant's 200 monitors whose DNS never answers", () => {
  it("leave another tenant's monitor judged UP check after check, a login working, and end DOWN as DNS timeouts", async () => {
    const region = uniqueRegion();
    const stalling = await createUser(db);
    const other = await createUser(db);
    const stalled = Array.from({ length: 200 }, (_, i) => `http://stall-${i}.example.test:${target.port}/never`);
    await createFastMonitors(db, stalling.id, stalled, { intervalSeconds: 2, region });
    const healthy = await createFastMonitor(db, other.id, {
      url: `http://localhost:${target.port}/ok/dns-healthy`,
      regions: [region],
    });
    const passwordHash = await hashPassword("correct horse battery");
    const runner = startTestRunner(inject("databaseUrl"), { region, concurrency: 500, dnsServers: silentDnsServer });
    try {
      await eventually("the stalled monitors' lookups hanging", () => Promise.resolve(queries >= 200), 60_000);

      // While they hang: the other tenant's monitor keeps being checked and judged UP…
      const upBefore = await countChecks(db, healthy.id, { status: "UP" });
      await eventually(
        "five more UP checks of the healthy monitor",
        async () => (await countChecks(db, healthy.id, { status: "UP" })) >= upBefore + 5,
        60_000,
      );
      // …and a login (password hashing shares libuv's threads with getaddrinfo) succeeds.
      expect(await verifyPassword(passwordHash, "correct horse battery", console)).toBe(true);
      expect(await countChecks(db, healthy.id, { status: "DOWN" })).toBe(0);
      expect(await db.monitor.findUniqueOrThrow({ where: { id: healthy.id } })).toMatchObject({ status: "UP" });

      // The stalled ones fail on their own, as DNS errors the owner can read.
      const stalledMonitor = await db.monitor.findFirstOrThrow({ where: { url: stalled[0] } });
      const stalledResult = await eventually(
        "a DOWN result for a stalled monitor",
        async () => (await checksOf(db, stalledMonitor.id)).find((r) => r.status === "DOWN"),
        60_000,
      );
      expect(stalledResult).toMatchObject({
        errorClass: "dns",
        error: expect.stringMatching(/^DNS lookup of stall-0\.example\.test gave no answer/) as unknown,
      });
      await eventually("the stalled monitor shown DOWN", async () => {
        const monitor = await db.monitor.findUniqueOrThrow({ where: { id: stalledMonitor.id } });
        return monitor.status === "DOWN";
      });
      expect(await countChecks(db, stalledMonitor.id, { status: "UP" })).toBe(0);
    } finally {
      await runner.stop();
    }
  }, 240_000);
});
