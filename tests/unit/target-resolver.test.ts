import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { approveTarget, parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { addressesOf, createTargetResolver, parseHostsFile } from "../../core/net/target-resolver.ts";

describe("parseHostsFile", () => {
  it("maps each name to its addresses in file order, ignoring comments and junk", () => {
    const names = parseHostsFile(
      [
        "# comment",
        "127.0.0.1 localhost Box.Local # trailing",
        "::1\tlocalhost  ip6-localhost",
        "   127.0.0.2   indented.test\t",
        "127.0.0.3 hashed.test#",
        "not-an-ip example.test",
        "#127.0.0.4 commented.test",
        "",
      ].join("\n"),
    );
    expect(Object.fromEntries(names)).toEqual({
      localhost: ["127.0.0.1", "::1"],
      "box.local": ["127.0.0.1"],
      "ip6-localhost": ["::1"],
      "indented.test": ["127.0.0.2"],
      "hashed.test": ["127.0.0.3"],
    });
  });
});

/** Each answer as Promise.allSettled gives it; a rejection as c-ares makes one. */
const answered = (...addresses: string[]): PromiseSettledResult<string[]> => ({
  status: "fulfilled",
  value: addresses,
});
const failed = (code?: string): PromiseSettledResult<string[]> => ({
  status: "rejected",
  reason: Object.assign(new Error(`query failed`), code ? { code } : {}),
});

describe("addressesOf: a name's A and AAAA answers", () => {
  it("gives every address, A answers first, when either query answered", () => {
    expect(addressesOf("both.test", [answered("127.0.0.1", "127.0.0.2"), answered("::1")])).toEqual([
      "127.0.0.1",
      "127.0.0.2",
      "::1",
    ]);
    expect(addressesOf("v4.test", [answered("127.0.0.1"), failed("ENODATA")])).toEqual(["127.0.0.1"]);
    expect(addressesOf("v6.test", [failed("ETIMEOUT"), answered("::1")])).toEqual(["::1"]);
  });

  it.each<[string, PromiseSettledResult<string[]>[], string, string]>([
    ["no such name", [failed("ENOTFOUND"), failed("ENOTFOUND")], "ENOTFOUND", "x.test does not resolve"],
    ["no records of either type", [failed("ENODATA"), failed("ENODATA")], "ENODATA", "x.test does not resolve"],
    ["no such name and no records", [failed("ENODATA"), failed("ENOTFOUND")], "ENOTFOUND", "x.test does not resolve"],
    ["no records and no such name", [failed("ENOTFOUND"), failed("ENODATA")], "ENOTFOUND", "x.test does not resolve"],
    ["two empty answers", [answered(), answered()], "ENODATA", "x.test does not resolve"],
    ["an empty answer and no such name", [answered(), failed("ENOTFOUND")], "ENOTFOUND", "x.test does not resolve"],
    ["two timeouts", [failed("ETIMEOUT"), failed("ETIMEOUT")], "ETIMEOUT", "DNS lookup of x.test timed out"],
    [
      "no such A name, AAAA timed out",
      [failed("ENOTFOUND"), failed("ETIMEOUT")],
      "ETIMEOUT",
      "DNS lookup of x.test timed out",
    ],
    [
      "no A records, AAAA timed out",
      [failed("ENODATA"), failed("ETIMEOUT")],
      "ETIMEOUT",
      "DNS lookup of x.test timed out",
    ],
    ["an empty answer, AAAA timed out", [answered(), failed("ETIMEOUT")], "ETIMEOUT", "DNS lookup of x.test timed out"],
    [
      "A timed out, no AAAA records",
      [failed("ETIMEOUT"), failed("ENODATA")],
      "ETIMEOUT",
      "DNS lookup of x.test timed out",
    ],
    [
      "a server failure, then a timeout",
      [failed("ESERVFAIL"), failed("ETIMEOUT")],
      "ESERVFAIL",
      "DNS lookup of x.test failed",
    ],
    ["no records, refused", [failed("ENODATA"), failed("ECONNREFUSED")], "ECONNREFUSED", "DNS lookup of x.test failed"],
    ["an error without a code", [failed(), failed("ENOTFOUND")], "ESERVFAIL", "DNS lookup of x.test failed"],
  ])("fails %s as %s", (_label, answers, code, message) => {
    let error: unknown;
    try {
      addressesOf("x.test", answers);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code, message });
  });
});

describe("addresses from /etc/hosts are judged as the socket would reach them", () => {
  it("refuses a name pinned to ::127.0.0.1 (not loopback on the wire) before any socket opens", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hosts-"));
    const hostsFile = path.join(dir, "hosts");
    await writeFile(hostsFile, "::127.0.0.1 compat.example.test\n2002:7f00:1::1 sixtofour.example.test\n");
    // A closed port on loopback as the DNS server: the hosts file answers, nothing is sent.
    const resolve = createTargetResolver({ hostsFile, servers: ["127.0.0.1:9"], timeoutMs: 200, tries: 1 });
    expect(await resolve("compat.example.test")).toEqual(["::127.0.0.1"]);
    const production = { allowedNetworks: [] };
    const development = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8,::1/128") };
    await expect(approveTarget("compat.example.test", production, resolve)).rejects.toThrow(
      "127.0.0.1 (inside ::7f00:1) is a loopback address",
    );
    // ipaddr.js alone reads "::127.0.0.1" as the mapped ::ffff:127.0.0.1, which loopback allows.
    await expect(approveTarget("compat.example.test", development, resolve)).rejects.toThrow(
      "::7f00:1 is an IPv4-compatible IPv6 (deprecated) address",
    );
    await expect(approveTarget("sixtofour.example.test", production, resolve)).rejects.toThrow(
      "127.0.0.1 (inside 2002:7f00:1::1) is a loopback address",
    );
    await rm(dir, { recursive: true });
  });
});

describe("the hosts file", () => {
  let dir: string;
  /** A hosts file holding `text`, in a folder removed after the test. */
  const hostsFileWith = async (text: string) => {
    dir = await mkdtemp(path.join(tmpdir(), "hosts-"));
    const file = path.join(dir, "hosts");
    await writeFile(file, text);
    return file;
  };
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true });
  });
  // A closed port on loopback as the DNS server: the hosts file answers, nothing is sent.
  const closedDns = { servers: ["127.0.0.1:9"], timeoutMs: 200, tries: 1 };

  it("is re-read once 30 s have passed, not on every lookup, so an operator's edit takes effect without a restart", async () => {
    const hostsFile = await hostsFileWith("127.0.0.5 pinned.example.test\n");
    vi.useFakeTimers({ toFake: ["Date"] });
    const start = new Date("2026-12-07T12:00:00Z").getTime();
    vi.setSystemTime(start);
    const resolve = createTargetResolver({ hostsFile, ...closedDns });
    expect(await resolve("pinned.example.test")).toEqual(["127.0.0.5"]);
    await writeFile(hostsFile, "127.0.0.6 pinned.example.test\n");
    vi.setSystemTime(start + 30_000);
    expect(await resolve("pinned.example.test")).toEqual(["127.0.0.5"]);
    vi.setSystemTime(start + 30_001);
    expect(await resolve("pinned.example.test")).toEqual(["127.0.0.6"]);
  });

  it("answers a pinned name in any case, with or without the final dot", async () => {
    const resolve = createTargetResolver({
      hostsFile: await hostsFileWith("127.0.0.5 pinned.example.test\n"),
      ...closedDns,
    });
    expect(await resolve("Pinned.Example.TEST.")).toEqual(["127.0.0.5"]);
    expect(await resolve("pinned.example.test.")).toEqual(["127.0.0.5"]);
  });

  // Last: were the hosts file skipped, this one would ask the system's resolvers.
  it("answers a pinned name when no DNS server is configured (the system's)", async () => {
    const resolve = createTargetResolver({ hostsFile: await hostsFileWith("127.0.0.5 pinned.example.test\n") });
    expect(await resolve("pinned.example.test")).toEqual(["127.0.0.5"]);
  });
});
