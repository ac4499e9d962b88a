/**
 * SSRF: a check never opens a socket to a refused address, whether the URL names it,
 * a host resolves to it (injected resolver: no real DNS), or a redirect points at it.
 * The socket opener is a spy that only ever connects to 127.0.0.1 and fails the test
 * for anything else, so a bug here cannot send a packet anywhere.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedNetworks, type Resolver } from "../../core/net/target-policy.ts";
import { httpCheckRequest } from "../support/check-request.ts";
import { runCheck, type SocketOpener } from "../../workers/engine/probes/http.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const request = (url: string) => httpCheckRequest(url, { maxBodyBytes: 1024 });

const fakeDns: Record<string, string[]> = {
  "private.example.test": ["10.0.0.1"],
  "mapped.example.test": ["::ffff:10.0.0.1"],
  "metadata.example.test": ["169.254.169.254"],
  "ula.example.test": ["fd12:3456::1"],
  "linklocal.example.test": ["fe80::1"],
  "multicast.example.test": ["239.1.2.3"],
  "unspecified.example.test": ["0.0.0.0"],
  "cgnat.example.test": ["100.64.1.1"],
  "rebind.example.test": ["127.0.0.1", "10.0.0.1"],
  // c-ares writes an IPv4-compatible AAAA answer with a dotted tail.
  "compat.example.test": ["::127.0.0.1"],
  "sixtofour.example.test": ["2002:a00:1::1"],
};
const resolve: Resolver = (host) => Promise.resolve(fakeDns[host] ?? []);

const opened: string[] = [];
const loopbackOnlyOpener: SocketOpener = ({ ip, port }) => {
  opened.push(ip);
  if (ip !== "127.0.0.1") throw new Error(`test bug: a socket to ${ip} was requested`);
  return net.connect({ host: ip, port });
};

const deps = {
  policy: { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") },
  resolve,
  openSocket: loopbackOnlyOpener,
};

let target: TargetServer;
beforeAll(async () => {
  target = await startTargetServer();
});
afterAll(() => target.stop());

describe("refused targets open no socket", () => {
  it.each([
    ["a host resolving to a private address", "http://private.example.test/", "10.0.0.1 is a private address"],
    [
      "a host resolving to an IPv4-mapped IPv6 private address",
      "http://mapped.example.test/",
      "10.0.0.1 is a private address",
    ],
    [
      "a host resolving to the cloud metadata address",
      "http://metadata.example.test/latest/",
      "169.254.169.254 is a cloud metadata address",
    ],
    ["a host resolving to a unique-local address", "http://ula.example.test/", "is a unique-local address"],
    ["a host resolving to a link-local address", "http://linklocal.example.test/", "is a link-local address"],
    ["a host resolving to a multicast address", "http://multicast.example.test/", "is a multicast address"],
    ["a host resolving to the unspecified address", "http://unspecified.example.test/", "is an unspecified address"],
    ["a host resolving to carrier-grade NAT", "http://cgnat.example.test/", "is a carrier-grade NAT address"],
    ["a host with one allowed and one refused address", "http://rebind.example.test/", "10.0.0.1 is a private address"],
    ["a private IP literal", "http://10.0.0.1/", "10.0.0.1 is a private address"],
    ["an IPv4-mapped IPv6 literal", "http://[::ffff:10.0.0.1]/", "10.0.0.1 is a private address"],
    ["a decimal IP form", "http://167772161/", "10.0.0.1 is a private address"],
    ["a hex IP form", "http://0xa000001/", "10.0.0.1 is a private address"],
    ["a mixed hex/dotted IP form", "http://0x0a.0.0.1/", "10.0.0.1 is a private address"],
    ["a metadata IPv6 literal", "http://[fd00:ec2::254]/", "is a cloud metadata address"],
    // Issue 25, item 11: with loopback allowed, ::127.0.0.1 still does not reach loopback
    // (the socket would go to ::7f00:1), so it is refused as the form it is.
    [
      "an IPv4-compatible IPv6 literal",
      "http://[::127.0.0.1]/",
      "::7f00:1 is an IPv4-compatible IPv6 (deprecated) address",
    ],
    [
      "a host whose AAAA answer is IPv4-compatible",
      "http://compat.example.test/",
      "::7f00:1 is an IPv4-compatible IPv6 (deprecated) address",
    ],
    ["a 6to4 literal around a private address", "http://[2002:a00:1::1]/", "10.0.0.1 (inside 2002:a00:1::1)"],
    ["a host resolving to 6to4 around a private address", "http://sixtofour.example.test/", "is a private address"],
    ["a NAT64 literal around the metadata address", "http://[64:ff9b::a9fe:a9fe]/", "is a cloud metadata address"],
  ])("%s", async (_label, url, message) => {
    opened.length = 0;
    const outcome = await runCheck(request(url), deps);
    expect(outcome).toMatchObject({ status: "DOWN", errorClass: "blocked", error: expect.stringContaining(message) });
    expect(opened).toEqual([]);
  });

  it("a redirect from an allowed target to a refused address", async () => {
    opened.length = 0;
    const outcome = await runCheck(request(target.url("/redirect-to?url=http://10.0.0.1/admin")), deps);
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "blocked",
      error: expect.stringContaining("10.0.0.1 is a private address"),
    });
    expect(opened).toEqual(["127.0.0.1"]); // the allowed first hop only
  });

  it("a redirect to a host that resolves to a refused address", async () => {
    opened.length = 0;
    const outcome = await runCheck(request(target.url("/redirect-to?url=http://metadata.example.test/")), deps);
    expect(outcome).toMatchObject({ status: "DOWN", errorClass: "blocked" });
    expect(opened).toEqual(["127.0.0.1"]);
  });

  it("an IPv4-compatible loopback literal when the operator has not allowed loopback: refused as loopback", async () => {
    opened.length = 0;
    const outcome = await runCheck(request("http://[::127.0.0.1]/"), { ...deps, policy: { allowedNetworks: [] } });
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "blocked",
      error: expect.stringContaining("127.0.0.1 (inside ::7f00:1) is a loopback address"),
    });
    expect(opened).toEqual([]);
  });

  it("loopback itself when the operator has not allowed it", async () => {
    opened.length = 0;
    const outcome = await runCheck(request(target.url("/ok")), { ...deps, policy: { allowedNetworks: [] } });
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "blocked",
      error: expect.stringContaining("127.0.0.1 is a loopback address"),
    });
    expect(opened).toEqual([]);
  });
});
