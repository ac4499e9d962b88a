/**
 * DNS record monitors, against a DNS server on 127.0.0.1 the test controls: each record
 * type, the expected value and a changed answer (old → new in the cause), NXDOMAIN, a
 * resolver that never answers, the target policy on the resolver, and the engine end to end.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { runDnsCheck } from "../../workers/engine/probes/dns.ts";
import type { DnsProbeRequest } from "../../core/monitor-types/probe-request.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startFakeDns, type FakeDns } from "../support/fakes.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";

const db = testDb();
const policy = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") };
const runners: Runner[] = [];
let dns: FakeDns;
let user: SessionUser;

const check = (request: Partial<DnsProbeRequest> & Pick<DnsProbeRequest, "hostname" | "recordType">) =>
  runDnsCheck(
    { kind: "dns", resolver: dns.server, expectedValue: null, timeoutMs: 2_000, ...request },
    { policy, servers: [] },
  );

beforeAll(async () => {
  dns = await startFakeDns();
  user = await createUser(db);
  dns.setRecords("www.example.test", "A", ["192.0.2.1", "192.0.2.2"]);
  dns.setRecords("www.example.test", "AAAA", ["2001:db8::1"]);
  dns.setRecords("alias.example.test", "CNAME", ["www.example.test"]);
  dns.setRecords("example.test", "MX", [
    { preference: 10, exchange: "mx1.example.test" },
    { preference: 20, exchange: "mx2.example.test" },
  ]);
  dns.setRecords("example.test", "NS", ["ns1.example.test", "ns2.example.test"]);
  dns.setRecords("example.test", "CAA", [{ flags: 0, tag: "issue", value: "letsencrypt.org" }]);
  dns.setTxt("example.test", ["v=spf1 -all"]);
  dns.setSilent("slow.example.test", true);
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await dns.stop();
  await db.$disconnect();
});

describe("DNS probe", () => {
  it("is UP for each record type when the answer is the expected one, in any order", async () => {
    const cases: [DnsProbeRequest["recordType"], string, string][] = [
      ["A", "www.example.test", "192.0.2.2, 192.0.2.1"],
      ["AAAA", "www.example.test", "2001:db8::1"],
      ["CNAME", "alias.example.test", "www.example.test."],
      ["MX", "example.test", "10 mx1.example.test, 20 mx2.example.test"],
      ["NS", "example.test", "ns2.example.test,ns1.example.test"],
      ["CAA", "example.test", '0 issue "letsencrypt.org"'],
      ["TXT", "example.test", "v=spf1 -all"],
    ];
    for (const [recordType, hostname, expectedValue] of cases) {
      const outcome = await check({ hostname, recordType, expectedValue });
      expect({ recordType, ...outcome }).toMatchObject({ recordType, status: "UP", errorClass: null });
    }
  });

  it("is DOWN with the old and the new values when the answer changed", async () => {
    dns.setRecords("moved.example.test", "A", ["192.0.2.9"]);
    expect(await check({ hostname: "moved.example.test", recordType: "A", expectedValue: "192.0.2.9" })).toMatchObject({
      status: "UP",
    });
    dns.setRecords("moved.example.test", "A", ["198.51.100.7"]);
    expect(await check({ hostname: "moved.example.test", recordType: "A", expectedValue: "192.0.2.9" })).toMatchObject({
      status: "DOWN",
      errorClass: "assertion",
      error: "A changed from 192.0.2.9 to 198.51.100.7",
    });
    dns.setTxt("moved.example.test", ["token=new"]);
    expect(
      await check({ hostname: "moved.example.test", recordType: "TXT", expectedValue: "token=old" }),
    ).toMatchObject({ status: "DOWN", error: "TXT changed from token=old to token=new" });
  });

  it("is DOWN on NXDOMAIN, on a name without records of the type, and when the resolver never answers", async () => {
    expect(await check({ hostname: "gone.example.test", recordType: "A" })).toMatchObject({
      status: "DOWN",
      errorClass: "dns",
      error: "gone.example.test does not exist (NXDOMAIN)",
    });
    expect(await check({ hostname: "alias.example.test", recordType: "MX" })).toMatchObject({
      status: "DOWN",
      errorClass: "dns",
      error: "alias.example.test has no MX records",
    });
    expect(await check({ hostname: "slow.example.test", recordType: "A", timeoutMs: 400 })).toMatchObject({
      status: "DOWN",
      errorClass: "timeout",
      error: "the resolver gave no answer within 400 ms",
    });
  });

  it("refuses a resolver the target policy does not allow, before any query leaves", async () => {
    // A private address handed to the probe: refused by the policy, so no packet is sent.
    expect(await check({ hostname: "www.example.test", recordType: "A", resolver: "10.0.0.53" })).toMatchObject({
      status: "DOWN",
      errorClass: "blocked",
    });
  });

  it("judges a stored resolver with port 0 DOWN, never handing it to c-ares (which aborts the process)", async () => {
    expect(await check({ hostname: "www.example.test", recordType: "A", resolver: "127.0.0.1:0" })).toMatchObject({
      status: "DOWN",
      errorClass: "dns",
      error: "the resolver 127.0.0.1:0 is not an IP address with a port 1–65535",
    });
  });
});

describe("DNS monitors through the API and the engine", () => {
  it("creates one with the API's names and refuses a private resolver on the resolver field", async () => {
    const api = callerFor(db, { user });
    const monitor = await api.monitor.create({
      type: "DNS",
      hostname: "WWW.Example.test.",
      recordType: "TXT",
      expectedValue: "v=spf1 -all",
      resolver: dns.server,
    });
    expect(monitor).toMatchObject({
      type: "DNS",
      url: "www.example.test",
      dns: { hostname: "www.example.test", recordType: "TXT", expectedValue: "v=spf1 -all", resolver: dns.server },
    });
    await expect(
      api.monitor.create({ type: "DNS", hostname: "example.test", recordType: "A", resolver: "10.0.0.53" }),
    ).rejects.toMatchObject({ cause: { fieldErrors: { resolver: [expect.stringContaining("10.0.0.53")] } } });
    // Not an IP address with a port 1–65535: refused on the field (port 0 aborted the runner's process).
    for (const resolver of ["127.0.0.1:0", "[::1]:0", "127.0.0.1:99999", "dead", ":", "999.999.999.999"]) {
      await expect(
        api.monitor.create({ type: "DNS", hostname: "example.test", recordType: "A", resolver }),
        resolver,
      ).rejects.toThrow(
        /"path": \[\s*"resolver"\s*\],\s*"message": "Enter the resolver's IP address, with :port \(1–65535\)/,
      );
    }
    await expect(
      api.monitor.create({ type: "DNS", hostname: "example.test", recordType: "SRV" as "A" }),
    ).rejects.toThrow(/The record type is one of A, AAAA, CNAME, MX, TXT, NS, CAA/);
    const updated = await api.monitor.update({ id: monitor.id, recordType: "A", expectedValue: "192.0.2.1" });
    expect(updated.dns).toMatchObject({ recordType: "A", expectedValue: "192.0.2.1" });
    expect((await api.monitor.duplicate({ id: monitor.id })).dns).toEqual(updated.dns);
  });

  it("is UP on the expected value, and DOWN with old → new when the record changes", async () => {
    const region = uniqueRegion();
    dns.setRecords("api.example.test", "A", ["192.0.2.50"]);
    const api = callerFor(db, { user });
    const monitor = await api.monitor.create({
      type: "DNS",
      hostname: "api.example.test",
      recordType: "A",
      expectedValue: "192.0.2.50",
      resolver: dns.server,
      regions: [region],
    });
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    const statusOf = async () => (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status;
    await eventually("UP", async () => ((await statusOf()) === "UP" ? true : null));
    dns.setRecords("api.example.test", "A", ["203.0.113.8"]);
    await api.monitor.checkNow({ id: monitor.id });
    await eventually("DOWN", async () => ((await statusOf()) === "DOWN" ? true : null));
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(incident).toMatchObject({ cause: "assertion", causeDetail: "A changed from 192.0.2.50 to 203.0.113.8" });
  }, 30_000);
});
