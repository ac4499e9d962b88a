/**
 * Input PostgreSQL cannot store is found before it reaches SQL, and told apart: a NUL or
 * broken character is one thing, nesting deeper than any input of ours another (it was
 * answered as "control character (NUL)").
 */
import { describe, expect, it } from "vitest";
import { fieldPathOf, MAX_INPUT_DEPTH, unstorableInputAt } from "../../core/text/storable.ts";

const nested = (depth: number): unknown => (depth === 0 ? "leaf" : { level: nested(depth - 1) });

describe("unstorableInputAt", () => {
  it("finds a NUL or a lone surrogate, naming its field", () => {
    expect(unstorableInputAt({ monitors: [{ displayName: "a\u0000" }] })).toEqual({
      path: ["monitors", "0", "displayName"],
      problem: "character",
    });
    expect(unstorableInputAt({ name: "\uD800" })).toEqual({ path: ["name"], problem: "character" });
    expect(unstorableInputAt({ "bad\u0000key": 1 })).toEqual({ path: [], problem: "character" });
  });

  it("calls nesting past the limit too deep, where it was reached", () => {
    expect(unstorableInputAt(nested(MAX_INPUT_DEPTH))).toBeNull();
    const found = unstorableInputAt(nested(MAX_INPUT_DEPTH + 1));
    expect(found).toEqual({ path: Array.from({ length: MAX_INPUT_DEPTH }, () => "level"), problem: "depth" });
  });

  it("passes what is storable", () => {
    expect(unstorableInputAt({ name: "Ünïcode 🙂", count: 3, list: [null, true] })).toBeNull();
  });
});

describe("fieldPathOf", () => {
  it("joins the path with dots and cuts keys no form has", () => {
    expect(fieldPathOf(["monitors", "0", "displayName"])).toBe("monitors.0.displayName");
    expect(fieldPathOf(["x".repeat(100)])).toBe(`${"x".repeat(40)}…`);
  });
});
