import { describe, expect, it } from "vitest";
import { parseStatusCodes, statusMatches } from "../../core/domain/status-codes.ts";

describe("parseStatusCodes", () => {
  it("reads codes, ranges and families", () => {
    expect(parseStatusCodes("200-299, 301,4xx")).toEqual({
      ok: true,
      ranges: [
        { from: 200, to: 299 },
        { from: 301, to: 301 },
        { from: 400, to: 499 },
      ],
    });
  });

  it.each([
    ["", /at least one/],
    ["abc", /"abc" is not a status code/],
    ["200-", /"200-" is not a status code/],
    ["600", /100 to 599/],
    ["299-200", /starts after it ends/],
    [Array.from({ length: 21 }, () => "200").join(","), /At most 20/],
  ])("refuses %j", (spec, message) => {
    const parsed = parseStatusCodes(spec);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe("statusMatches", () => {
  it("accepts codes inside any range", () => {
    const parsed = parseStatusCodes("200-299,301");
    if (!parsed.ok) throw new Error(parsed.error);
    expect([200, 204, 299, 301].map((code) => statusMatches(parsed.ranges, code))).toEqual([true, true, true, true]);
    expect([199, 300, 302, 500].map((code) => statusMatches(parsed.ranges, code))).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});
