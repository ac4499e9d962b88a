import { describe, expect, it } from "vitest";
import { runnerStall, type RunnerLiveness } from "../../app/server/services/health.server.ts";

const now = 1_000_000;
const fresh: RunnerLiveness = {
  lastClaimAt: now - 500,
  lastFlushAt: now - 200,
  lastAlertClaimAt: now - 900,
  writerQueue: 3,
};

describe("runnerStall", () => {
  it("is null while every loop made progress within the bound", () => {
    expect(runnerStall(fresh, now, 60_000)).toBeNull();
  });

  it("names the loop that has been silent too long, and for how long", () => {
    expect(runnerStall({ ...fresh, lastClaimAt: now - 61_000 }, now, 60_000)).toBe("no checks claimed for 61 s");
    expect(runnerStall({ ...fresh, lastFlushAt: now - 90_000, writerQueue: 1200 }, now, 60_000)).toBe(
      "1200 results unwritten for 90 s",
    );
    expect(runnerStall({ ...fresh, lastAlertClaimAt: now - 70_000 }, now, 60_000)).toBe("no alerts claimed for 70 s");
  });
});
