import { describe, expect, it } from "vitest";
import { decodeMs, encodeMs, ERROR_CLASSES, errorClassOf, errorCode } from "../../core/domain/compact-result.ts";

describe("compact check results", () => {
  it("keep durations exact to 32,767 ms and to 10 ms beyond, as smallints", () => {
    for (const ms of [0, 1, 250, 32_767]) expect(decodeMs(encodeMs(ms))).toBe(ms);
    expect(decodeMs(encodeMs(40_000))).toBe(40_000);
    expect(decodeMs(encodeMs(40_004))).toBe(40_000);
    expect(decodeMs(encodeMs(59_996))).toBe(60_000);
    // Beyond any check's deadline it saturates instead of wrapping around.
    expect(decodeMs(encodeMs(10_000_000))).toBe(327_680);
    for (const ms of [1, 32_767, 40_000, 10_000_000]) {
      expect(encodeMs(ms)).toBeGreaterThanOrEqual(-32_768);
      expect(encodeMs(ms)).toBeLessThanOrEqual(32_767);
    }
  });

  it("store a phase that did not happen as 0", () => {
    expect(encodeMs(null)).toBe(0);
    expect(encodeMs(undefined)).toBe(0);
    expect(encodeMs(-5)).toBe(0);
  });

  it("name every error class by a stable small integer, 0 for none", () => {
    expect(errorCode(null)).toBe(0);
    expect(errorClassOf(0)).toBeNull();
    for (const errorClass of ERROR_CLASSES) expect(errorClassOf(errorCode(errorClass))).toBe(errorClass);
    // Stored codes never move: the migration and old rows depend on them.
    expect(errorCode("timeout")).toBe(1);
    expect(errorCode("runner")).toBe(12);
  });
});
