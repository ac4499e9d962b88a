/**
 * Per-address rate limits count IPv6 clients by their /64 (what one host owns), IPv4
 * clients by their address, and IPv4-mapped IPv6 as the IPv4 address it maps.
 */
import { describe, expect, it } from "vitest";
import { clientAddressKey } from "../../core/net/client-address-key.ts";

describe("clientAddressKey", () => {
  it("keeps an IPv4 address as it is", () => {
    expect(clientAddressKey("192.0.2.1")).toBe("192.0.2.1");
    expect(clientAddressKey("192.0.2.1")).not.toBe(clientAddressKey("192.0.2.2"));
  });

  it("counts every address of one IPv6 /64 as one client, and another /64 apart", () => {
    const key = clientAddressKey("2001:db8:1:2::1");
    expect(key).toBe("2001:db8:1:2::/64");
    expect(clientAddressKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe(key);
    expect(clientAddressKey("2001:0db8:0001:0002:0000:0000:0000:0abc")).toBe(key); // however it is written
    expect(clientAddressKey("2001:db8:1:3::1")).not.toBe(key);
    expect(clientAddressKey("::1")).toBe("0:0:0:0::/64");
  });

  it("judges IPv4-mapped IPv6 as its IPv4 address", () => {
    expect(clientAddressKey("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(clientAddressKey("::ffff:c000:201")).toBe("192.0.2.1");
    expect(clientAddressKey("::ffff:192.0.2.1")).not.toBe(clientAddressKey("::ffff:192.0.2.2"));
  });

  it("ignores a zone index, and keeps what is not an address", () => {
    expect(clientAddressKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(clientAddressKey("unknown")).toBe("unknown");
  });
});
