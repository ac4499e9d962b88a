/**
 * Live streams are capped per user and per process (issue 25, item 9); the built server's
 * answer (429 with Retry-After) is tested in tests/e2e/edge-guards.spec.ts.
 */
import { describe, expect, it } from "vitest";
import { createStreamSlots } from "../../app/host/live/stream-slots.server.ts";

describe("stream slots", () => {
  it("gives a user up to their cap, refuses the next, and takes one again once a stream ends", () => {
    const slots = createStreamSlots({ perUser: 2, perProcess: 100 });
    const first = slots.take("alice");
    const second = slots.take("alice");
    expect(slots.take("alice")).toEqual({ refused: "user" });
    expect("release" in slots.take("bob")).toBe(true); // another user is not affected
    if (!("release" in first) || !("release" in second)) throw new Error("expected slots");
    first.release();
    first.release(); // twice frees one slot, not two
    expect("release" in slots.take("alice")).toBe(true);
    expect(slots.take("alice")).toEqual({ refused: "user" });
    expect(slots.open()).toBe(3);
  });

  it("refuses everyone once the process holds its cap", () => {
    const slots = createStreamSlots({ perUser: 5, perProcess: 3 });
    const taken = ["a", "b", "c"].map((user) => slots.take(user));
    expect(slots.take("d")).toEqual({ refused: "process" });
    const [one] = taken;
    if (!one || !("release" in one)) throw new Error("expected a slot");
    one.release();
    expect("release" in slots.take("d")).toBe(true);
  });
});
