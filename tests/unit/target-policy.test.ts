/**
 * The SSRF gate, on addresses only: no resolver, no sockets.
 */
import { describe, expect, it } from "vitest";
import {
  approveTarget,
  formatAllowedNetworks,
  judgeAddress,
  parseAllowedNetworks,
  parseIp,
  refusalReason,
  TargetRefusedError,
  TargetResolutionError,
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
    ["2002:a00:1::", "a private"],
    ["64:ff9b::a00:1", "a private"],
    ["255.255.255.255", "a broadcast"],
    // The other cloud metadata services (ECS task metadata, Alibaba Cloud), not named
    // for the range around them (link-local, carrier-grade NAT).
    ["169.254.170.2", "a cloud metadata"],
    ["100.100.100.200", "a cloud metadata"],
    ["240.0.0.1", "a reserved"],
    ["2001:db8::1", "a reserved"],
    ["100::1", "a discard-only"],
    // A range the table has no name for is still refused, under ipaddr.js's name.
    ["fec0::1", "a deprecatedSiteLocal"],
  ])("refuses %s as %s address", (address, reason) => {
    expect(refusalReason(address, publicOnly)).toBe(reason);
  });

  // Both sides of every private range's edges: a one-off in a range is a hole or a false refusal.
  it.each([
    ["9.255.255.255", null],
    ["10.0.0.0", "a private"],
    ["10.255.255.255", "a private"],
    ["11.0.0.0", null],
    ["100.63.255.255", null],
    ["100.64.0.0", "a carrier-grade NAT"],
    ["100.127.255.255", "a carrier-grade NAT"],
    ["100.128.0.0", null],
    ["126.255.255.255", null],
    ["127.255.255.255", "a loopback"],
    ["128.0.0.0", null],
    ["169.253.255.255", null],
    ["169.254.0.0", "a link-local"],
    ["169.254.255.255", "a link-local"],
    ["169.255.0.0", null],
    ["172.15.255.255", null],
    ["172.16.0.0", "a private"],
    ["172.31.255.255", "a private"],
    ["172.32.0.0", null],
    ["192.167.255.255", null],
    ["192.168.0.0", "a private"],
    ["192.168.255.255", "a private"],
    ["192.169.0.0", null],
    ["223.255.255.255", null],
    ["239.255.255.255", "a multicast"],
    ["0.1.2.3", "an unspecified"],
    ["fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null],
    ["fc00::", "a unique-local"],
    ["fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "a unique-local"],
    ["fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff", null],
    ["fe80::", "a link-local"],
    ["febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "a link-local"],
  ])("at a range's edge, %s is %s", (address, reason) => {
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
    // Exactly the allowed network: its neighbours stay refused.
    const tenEight = { allowedNetworks: parseAllowedNetworks("10.1.0.0/16") };
    expect(refusalReason("10.1.255.255", tenEight)).toBeNull();
    expect(refusalReason("10.2.0.0", tenEight)).toBe("a private");
    expect(refusalReason("fd00::1", tenEight)).toBe("a unique-local");
  });

  it("refuses anything that is not exactly one address, naming it as given", () => {
    for (const text of ["not-an-ip", "", "::127.0.0.1x", "127.0.0.1 10.0.0.1", "::ffff:203.0.114.7 x"]) {
      expect(judgeAddress(text, publicOnly)).toEqual({ address: text, kind: "an invalid" });
    }
    // Even where the operator allows everything.
    const everything = { allowedNetworks: parseAllowedNetworks("0.0.0.0/0,::/0") };
    expect(judgeAddress("junk\n::203.0.114.7", everything)).toEqual({
      address: "junk\n::203.0.114.7",
      kind: "an invalid",
    });
  });

  it("reads a literal in brackets as the address inside them", () => {
    expect(judgeAddress("[::1]", publicOnly)).toEqual({ address: "::1", kind: "a loopback" });
    expect(parseIp("[2606:4700::6810:84e5]").toString()).toBe("2606:4700::6810:84e5");
  });

  it("reads a dotted tail after a global prefix as the global address it is, not as IPv4-compatible", () => {
    expect(parseIp("2606:4700::203.0.114.7").toString()).toBe("2606:4700::cb00:7207");
    expect(judgeAddress("2606:4700::203.0.114.7", publicOnly)).toBeNull();
  });
});

/**
 * IPv6 forms carrying an IPv4 address are judged by it (issue 25, item 11): each row is
 * a literal, the address named in the refusal and why, with no networks allowed (as in
 * production with ALLOWED_TARGET_NETWORKS unset) and with loopback allowed (development).
 */
describe("IPv6 addresses carrying an IPv4 address", () => {
  const cases: [string, string, string, string | null][] = [
    // literal, refused address shown, kind (no networks allowed), kind with loopback allowed
    ["::127.0.0.1", "127.0.0.1 (inside ::7f00:1)", "a loopback", "an IPv4-compatible IPv6 (deprecated)"],
    ["::7f00:1", "127.0.0.1 (inside ::7f00:1)", "a loopback", "an IPv4-compatible IPv6 (deprecated)"],
    ["::10.0.0.1", "10.0.0.1 (inside ::a00:1)", "a private", "a private"],
    ["::169.254.169.254", "169.254.169.254 (inside ::a9fe:a9fe)", "a cloud metadata", "a cloud metadata"],
    ["::ffff:127.0.0.1", "127.0.0.1", "a loopback", null],
    ["::ffff:7f00:1", "127.0.0.1", "a loopback", null],
    ["::ffff:0:127.0.0.1", "127.0.0.1 (inside ::ffff:0:7f00:1)", "a loopback", "an IPv6 transition (SIIT)"],
    ["64:ff9b::127.0.0.1", "127.0.0.1 (inside 64:ff9b::7f00:1)", "a loopback", "an IPv6 transition (NAT64)"],
    ["64:ff9b::192.168.0.1", "192.168.0.1 (inside 64:ff9b::c0a8:1)", "a private", "a private"],
    ["64:ff9b:1::127.0.0.1", "127.0.0.1 (inside 64:ff9b:1::7f00:1)", "a loopback", "a local-use NAT64"],
    // RFC 6052's /48 layout: 127.0 in bits 48–63, 0.1 in bits 72–87.
    ["64:ff9b:1:7f00:0:100::", "127.0.0.1 (inside 64:ff9b:1:7f00:0:100::)", "a loopback", "a local-use NAT64"],
    ["2002:7f00:1::", "127.0.0.1 (inside 2002:7f00:1::)", "a loopback", "an IPv6 transition (6to4)"],
    ["2002:a9fe:a9fe::1", "169.254.169.254 (inside 2002:a9fe:a9fe::1)", "a cloud metadata", "a cloud metadata"],
    // Teredo: server 203.0.114.7 (public), client 127.0.0.1 stored inverted (80ff:fffe).
    [
      "2001:0:cb00:7207:0:0:80ff:fffe",
      "127.0.0.1 (inside 2001:0:cb00:7207::80ff:fffe)",
      "a loopback",
      "an IPv6 transition (Teredo)",
    ],
    // Teredo with a private server address.
    ["2001:0:a00:1:0:0:3456:789a", "10.0.0.1 (inside 2001:0:a00:1::3456:789a)", "a private", "a private"],
    ["2606:4700::5efe:7f00:1", "127.0.0.1 (inside 2606:4700::5efe:7f00:1)", "a loopback", null],
    ["2606:4700::200:5efe:a00:1", "10.0.0.1 (inside 2606:4700::200:5efe:a00:1)", "a private", "a private"],
  ];

  it.each(cases)("refuses %s as %s, %s address", (literal, shown, kind, kindWithLoopback) => {
    expect(judgeAddress(literal, publicOnly)).toEqual({ address: shown, kind });
    expect(judgeAddress(literal, loopbackAllowed)?.kind ?? null).toBe(kindWithLoopback);
  });

  it("judges the tunnelling forms around a public address as before: refused unless their network is allowed", () => {
    expect(refusalReason("::ffff:203.0.114.7", publicOnly)).toBeNull();
    expect(refusalReason("2002:cb00:7207::1", publicOnly)).toBe("an IPv6 transition (6to4)");
    expect(refusalReason("64:ff9b::cb00:7207", publicOnly)).toBe("an IPv6 transition (NAT64)");
    expect(refusalReason("::cb00:7207", publicOnly)).toBe("an IPv4-compatible IPv6 (deprecated)");
    const nat64Allowed = { allowedNetworks: parseAllowedNetworks("64:ff9b::/96") };
    expect(refusalReason("64:ff9b::cb00:7207", nat64Allowed)).toBeNull();
    // Allowing the NAT64 prefix does not let it reach what it would translate to.
    expect(refusalReason("64:ff9b::7f00:1", nat64Allowed)).toBe("a loopback");
    // An ordinary global address with an ISATAP interface id around a public address.
    expect(refusalReason("2606:4700::5efe:cb00:7207", publicOnly)).toBeNull();
  });

  it("leaves :: and ::1 as what they are", () => {
    expect(judgeAddress("::", publicOnly)).toEqual({ address: "::", kind: "an unspecified" });
    expect(judgeAddress("::1", publicOnly)).toEqual({ address: "::1", kind: "a loopback" });
  });

  it("refuses http://[::127.0.0.1]/ before resolving or connecting, naming the loopback address", async () => {
    const never = () => Promise.reject(new Error("must not resolve"));
    await expect(approveTarget(new URL("http://[::127.0.0.1]/").hostname, publicOnly, never)).rejects.toThrow(
      "127.0.0.1 (inside ::7f00:1) is a loopback address",
    );
  });

  it("refuses a host whose AAAA record carries a loopback address (injected resolver)", async () => {
    const resolve = (host: string) => Promise.resolve(host === "sneaky.example.test" ? ["2002:7f00:1::1"] : []);
    await expect(approveTarget("sneaky.example.test", publicOnly, resolve)).rejects.toThrow(
      "127.0.0.1 (inside 2002:7f00:1::1) is a loopback address",
    );
  });
});

describe("parseAllowedNetworks", () => {
  it("reads CIDRs and bare addresses", () => {
    expect(
      parseAllowedNetworks(" 10.1.0.0/16 , fd00::/8,192.168.0.7").map(([ip, bits]) => `${ip.toString()}/${bits}`),
    ).toEqual(["10.1.0.0/16", "fd00::/8", "192.168.0.7/32"]);
    expect(parseAllowedNetworks("")).toEqual([]);
  });

  it("reads a bare IPv6 address as its /128 and ignores empty entries", () => {
    expect(formatAllowedNetworks(parseAllowedNetworks("fd00::7,,10.1.0.0/16,"))).toBe("fd00::7/128,10.1.0.0/16");
  });

  it("hands the same networks to the check workers as text (formatAllowedNetworks)", () => {
    const networks = parseAllowedNetworks("127.0.0.0/8,::1/128,fd00::/8");
    expect(formatAllowedNetworks(networks)).toBe("127.0.0.0/8,::1/128,fd00::/8");
    expect(parseAllowedNetworks(formatAllowedNetworks(networks))).toEqual(networks);
    expect(formatAllowedNetworks([])).toBe("");
  });

  it("names a malformed entry", () => {
    expect(() => parseAllowedNetworks("10.0.0.0/8,localhost")).toThrow('"localhost" is not a CIDR network');
  });
});

describe("approveTarget with an injected resolver", () => {
  const resolver = (answers: Record<string, string[]>) => (host: string) => Promise.resolve(answers[host] ?? []);

  it("refuses a host if any of its addresses is refused, first, last or in between, telling the owner why", async () => {
    const answers = {
      "last.example.test": ["203.0.114.7", "2606:4700::6810:84e5", "10.0.0.1"],
      "first.example.test": ["::1", "203.0.114.7"],
      "between.example.test": ["203.0.114.7", "169.254.169.254", "2606:4700::6810:84e5"],
    };
    const refusals = await Promise.all(
      Object.keys(answers).map((host) =>
        approveTarget(host, publicOnly, resolver(answers)).catch((error: Error) => error),
      ),
    );
    expect(refusals.map((error) => [error instanceof TargetRefusedError, String(error)])).toEqual([
      [
        true,
        "TargetRefusedError: 10.0.0.1 is a private address; only public addresses can be monitored " +
          "(the operator can allow networks with ALLOWED_TARGET_NETWORKS)",
      ],
      [
        true,
        "TargetRefusedError: ::1 is a loopback address; only public addresses can be monitored " +
          "(the operator can allow networks with ALLOWED_TARGET_NETWORKS)",
      ],
      [
        true,
        "TargetRefusedError: 169.254.169.254 is a cloud metadata address; only public addresses can be monitored " +
          "(the operator can allow networks with ALLOWED_TARGET_NETWORKS)",
      ],
    ]);
    expect(refusals[0]).toMatchObject({ address: "10.0.0.1", kind: "a private" });
  });

  it("connects to the first address, in its canonical form, once all are approved", async () => {
    const resolve = resolver({ "v6.example.test": ["0:0:0:0:0:0:0:1", "127.0.0.1"] });
    await expect(approveTarget("v6.example.test", loopbackAllowed, resolve)).resolves.toBe("::1");
    await expect(approveTarget("[0:0:0:0:0:0:0:1]", loopbackAllowed, resolve)).resolves.toBe("::1");
  });

  it("asks the resolver for the host exactly as given (brackets are stripped around a literal only)", async () => {
    const asked: string[] = [];
    const recording = (host: string) => (asked.push(host), Promise.resolve(["203.0.114.7"]));
    for (const host of ["odd[name.example.test", "odd]name.example.test", "[odd.example.test"]) {
      await approveTarget(host, publicOnly, recording);
    }
    expect(asked).toEqual(["odd[name.example.test", "odd]name.example.test", "odd.example.test"]);
  });

  it.each([
    ["ENOTFOUND", "gone.example.test does not resolve (DNS ENOTFOUND)"],
    ["ENODATA", "gone.example.test does not resolve (DNS ENODATA)"],
    ["ETIMEOUT", "DNS lookup of gone.example.test failed (ETIMEOUT)"],
    ["ESERVFAIL", "DNS lookup of gone.example.test failed (ESERVFAIL)"],
    [undefined, "DNS lookup of gone.example.test failed (Error: resolver crashed)"],
  ])("turns a resolver failure %s into a DNS error the owner can read", async (code, message) => {
    const failing = () => Promise.reject(Object.assign(new Error("resolver crashed"), code ? { code } : {}));
    const error = (await approveTarget("gone.example.test", publicOnly, failing).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(TargetResolutionError);
    expect(String(error)).toBe(`TargetResolutionError: ${message}`);
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
    const error = await approveTarget("nowhere.example.test", publicOnly, resolver({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetResolutionError);
    expect(String(error)).toBe("TargetResolutionError: nowhere.example.test does not resolve");
  });
});
