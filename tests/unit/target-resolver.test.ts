import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { approveTarget, parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver, parseHostsFile } from "../../core/net/target-resolver.ts";

describe("parseHostsFile", () => {
  it("maps each name to its addresses in file order, ignoring comments and junk", () => {
    const names = parseHostsFile(
      [
        "# comment",
        "127.0.0.1 localhost Box.Local # trailing",
        "::1 localhost ip6-localhost",
        "not-an-ip example.test",
        "",
      ].join("\n"),
    );
    expect(names.get("localhost")).toEqual(["127.0.0.1", "::1"]);
    expect(names.get("box.local")).toEqual(["127.0.0.1"]);
    expect(names.has("example.test")).toBe(false);
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
