import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/server/auth/current-user.server.ts";

/** Where a browser goes when handed `location` as a redirect from our origin. */
const followed = (location: string) => new URL(location, "https://uptime.example.test/login");

describe("open redirect through redirectTo", () => {
  it.each([
    "//evil.example/x",
    "/\\evil.example",
    "/\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "\t//evil.example",
    " //evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.example",
    "%2f%5cevil.example",
    "monitors",
    "",
    // Normalising dot segments made these "//evil.example" once: another host.
    "/.//evil.example",
    "/..//evil.example",
    "/%2e//evil.example",
    "/%2E%2E//evil.example",
    "/a/..//evil.example",
    "/./\\evil.example",
    "/x/../\\evil.example",
    "/.\t/\\evil.example",
  ])("%j falls back to the app", (to) => {
    expect(safeRedirect(to)).toBe("/monitors");
  });

  it.each([
    // Encoded slashes and backslashes stay encoded: a path of ours, never a host.
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/%5Cevil.example", "/%5Cevil.example"],
    ["/%5C%5Cevil.example", "/%5C%5Cevil.example"],
    ["/%09/evil.example", "/%09/evil.example"],
    ["/monitors/abc?range=7d#chart", "/monitors/abc?range=7d#chart"],
    ["/monitors/./abc/../def", "/monitors/def"],
    ["/account?next=//evil.example", "/account?next=//evil.example"],
  ])("%j stays in the app as %j", (to, expected) => {
    expect(safeRedirect(to)).toBe(expected);
  });

  it("whatever it is given, the answer is a path a browser follows to our own origin (no newline in a Location)", () => {
    const attempts = [
      "//evil.example",
      "/\\evil.example",
      "/%2F%2Fevil.example",
      "/%5Cevil.example",
      "/\t/evil.example",
      "/.//evil.example",
      "/..//evil.example",
      "/account\r\nSet-Cookie: x=1",
      "javascript:alert(1)",
      "/monitors",
    ];
    for (const to of attempts) {
      const location = safeRedirect(to);
      expect(location, JSON.stringify(to)).toMatch(/^\/(?![/\\])/);
      expect(location, JSON.stringify(to)).not.toMatch(/[\r\n\t]/);
      expect(followed(location).host, JSON.stringify(to)).toBe("uptime.example.test");
    }
  });

  it("keeps the fallback the caller gives", () => {
    expect(safeRedirect("/.//evil.example", "/")).toBe("/");
    expect(safeRedirect(null, "/")).toBe("/");
  });
});
