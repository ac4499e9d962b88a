import { describe, expect, it } from "vitest";
import { isCrossSiteWrite } from "../../app/host/origin.server.ts";

const post = { method: "POST", host: "status.example.test", secFetchSite: undefined };

describe("isCrossSiteWrite", () => {
  it("refuses a POST whose Origin is another site", () => {
    expect(isCrossSiteWrite({ ...post, origin: "https://evil.example.test" })).toBe(true);
    expect(isCrossSiteWrite({ ...post, origin: "null" })).toBe(true);
  });

  it("accepts a POST from our own pages", () => {
    expect(isCrossSiteWrite({ ...post, origin: "https://status.example.test" })).toBe(false);
  });

  it("judges by Sec-Fetch-Site when there is no Origin", () => {
    expect(isCrossSiteWrite({ ...post, origin: undefined, secFetchSite: "cross-site" })).toBe(true);
    expect(isCrossSiteWrite({ ...post, origin: undefined, secFetchSite: undefined })).toBe(false);
  });

  it("leaves reads alone (an API token's way past is the guard's, host/cross-site.server.ts)", () => {
    expect(isCrossSiteWrite({ ...post, method: "GET", origin: "https://evil.example.test" })).toBe(false);
  });
});
