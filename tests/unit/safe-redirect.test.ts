import { describe, expect, it } from "vitest";
import { safeRedirect } from "../../app/server/auth/current-user.server.ts";

describe("open redirect through redirectTo", () => {
  it.each([
    "//evil.example/x",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "monitors",
  ])("%j falls back to the app", (to) => {
    expect(safeRedirect(to)).toBe("/monitors");
  });

  it("keeps a path on our origin, in its normal form (no newline reaches a Location header)", () => {
    expect(safeRedirect("/monitors/abc?range=7d#chart")).toBe("/monitors/abc?range=7d#chart");
    expect(safeRedirect("/account\r\nSet-Cookie: x=1")).not.toMatch(/[\r\n]/);
  });
});
