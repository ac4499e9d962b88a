/**
 * The SSRF gate, on addresses only: no resolver, no sockets.
 */
import { describe, expect, it } from "vitest";
import {
  approveTarget,
  parseAllowedNetworks,
  refusalReason,
  TargetRefusedError,
} from "../../core/net/target-policy.ts";

const publicOnly = { allowedNetworks: [] };
const loopbackAllowed = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8,::1/128") };

describe("refusalReason", () => {
  it.each([
    ["10.0.0.1", "a private"],
    ["172.16.5.4", "a private"],
    ["192.168.1.1", "a private"],
    ["127.0.0.1", "a loopback"],
    ["::1", "a loopback"],
    ["169.254.169.254", "a cloud metadata"],
    ["169.254.1.1", "a link-local"],
    ["fe80::1", "a link-local"],
    ["fd00:ec2::254", "a cloud metadata"],
    ["fd12:3456::1", "a unique-local"],
    ["224.0.0.1", "a multicast"],
    ["ff02::1", "a multicast"],
    ["0.0.0.0", "an unspecified"],
    ["::", "an unspecified"],
    ["100.64.0.1", "a carrier-grade NAT"],
    ["::ffff:10.0.0.1", "a private"],
    ["::ffff:127.0.0.1", "a loopback"],
    ["2002:a00:1::", "an IPv6 transition (6to4)"],
    ["64:ff9b::a00:1", "an IPv6 transition (NAT64)"],
    ["255.255.255.255", "a broadcast"],
  ])("refuses %s as %s address", (address, reason) => {
    expect(refusalReason(address, publicOnly)).toBe(reason);
  });

  it("lets through public unicast addresses", () => {
    // Judged as data only; nothing connects to them.
    expect(refusalReason("203.0.114.7", publicOnly)).toBeNull();
    expect(refusalReason("2606:4700::6810:84e5", publicOnly)).toBeNull();
  });

  it("lets through networks the operator allows, and only those", () => {
    expect(refusalReason("127.0.0.1", loopbackAllowed)).toBeNull();
    expect(refusalReason("127.8.9.10", loopbackAllowed)).toBeNull();
    expect(refusalReason("::1", loopbackAllowed)).toBeNull();
    expect(refusalReason("::ffff:127.0.0.1", loopbackAllowed)).toBeNull();
    expect(refusalReason("10.0.0.1", loopbackAllowed)).toBe("a private");
  });
});

describe("parseAllowedNetworks", () => {
  it("reads CIDRs and bare addresses", () => {
    expect(
      parseAllowedNetworks(" 10.1.0.0/16 , fd00::/8,192.168.0.7").map(([ip, bits]) => `${ip.toString()}/${bits}`),
    ).toEqual(["10.1.0.0/16", "fd00::/8", "192.168.0.7/32"]);
    expect(parseAllowedNetworks("")).toEqual([]);
  });

  it("names a malformed entry", () => {
    expect(() => parseAllowedNetworks("10.0.0.0/8,localhost")).toThrow('"localhost" is not a CIDR network');
  });
});

describe("approveTarget with an injected resolver", () => {
  const resolver = (answers: Record<string, string[]>) => (host: string) => Promise.resolve(answers[host] ?? []);

  it("refuses a host if any of its addresses is refused", async () => {
    const resolve = resolver({ "mixed.example.test": ["203.0.114.7", "10.0.0.1"] });
    await expect(approveTarget("mixed.example.test", publicOnly, resolve)).rejects.toThrow(TargetRefusedError);
  });

  it("returns the approved address to connect to", async () => {
    const resolve = resolver({ "public.example.test": ["203.0.114.7"] });
    await expect(approveTarget("public.example.test", publicOnly, resolve)).resolves.toBe("203.0.114.7");
  });

  it("judges IP literals without resolving them", async () => {
    const never = () => Promise.reject(new Error("must not resolve"));
    await expect(approveTarget("[::ffff:10.0.0.1]", publicOnly, never)).rejects.toThrow(
      "10.0.0.1 is a private address",
    );
  });

  it("reports a name that does not resolve", async () => {
    await expect(approveTarget("nowhere.example.test", publicOnly, resolver({}))).rejects.toThrow("does not resolve");
  });
});
