import { describe, expect, it } from "vitest";
import {
  applyCheck,
  incidentChange,
  monitorStatus,
  type RegionState,
  type Thresholds,
  type Verdict,
} from "../../core/domain/transitions.ts";

const fresh: RegionState = { status: "PENDING", consecutiveFailures: 0, consecutiveSuccesses: 0 };

function run(verdicts: Verdict[], thresholds: Thresholds, start: RegionState = fresh) {
  const statuses: string[] = [];
  let state = start;
  for (const verdict of verdicts) {
    state = applyCheck(state, verdict, thresholds);
    statuses.push(state.status);
  }
  return statuses;
}

describe("applyCheck (one region)", () => {
  it("is UP after the first success and DOWN after the first failure with thresholds of 1", () => {
    expect(run(["UP", "DOWN", "UP"], { failureThreshold: 1, recoveryThreshold: 1 })).toEqual(["UP", "DOWN", "UP"]);
  });

  it("waits for N consecutive failures before DOWN, showing PENDING while it confirms", () => {
    expect(run(["UP", "DOWN", "DOWN", "DOWN"], { failureThreshold: 3, recoveryThreshold: 1 })).toEqual([
      "UP",
      "PENDING",
      "PENDING",
      "DOWN",
    ]);
  });

  it("forgives a failure streak broken by a success", () => {
    expect(run(["UP", "DOWN", "DOWN", "UP", "DOWN", "DOWN"], { failureThreshold: 3, recoveryThreshold: 1 })).toEqual([
      "UP",
      "PENDING",
      "PENDING",
      "UP",
      "PENDING",
      "PENDING",
    ]);
  });

  it("stays DOWN until M consecutive successes", () => {
    const down: RegionState = { status: "DOWN", consecutiveFailures: 5, consecutiveSuccesses: 0 };
    expect(run(["UP", "UP", "DOWN", "UP", "UP", "UP"], { failureThreshold: 1, recoveryThreshold: 3 }, down)).toEqual([
      "DOWN",
      "DOWN",
      "DOWN",
      "DOWN",
      "DOWN",
      "UP",
    ]);
  });

  it("is UP at the first success when it was not DOWN, whatever the recovery threshold", () => {
    // A new monitor, and one merely confirming a failure, are not in an outage to recover from.
    expect(run(["UP", "DOWN", "UP"], { failureThreshold: 3, recoveryThreshold: 3 })).toEqual(["UP", "PENDING", "UP"]);
  });

  it("shows a DOWN region as DOWN, not 'confirming', when it fails again during its recovery", () => {
    const down: RegionState = { status: "DOWN", consecutiveFailures: 5, consecutiveSuccesses: 0 };
    expect(run(["UP", "DOWN", "UP"], { failureThreshold: 3, recoveryThreshold: 3 }, down)).toEqual([
      "DOWN",
      "DOWN",
      "DOWN",
    ]);
  });

  it("ignores results without a verdict (runner errors)", () => {
    const up: RegionState = { status: "UP", consecutiveFailures: 0, consecutiveSuccesses: 4 };
    expect(applyCheck(up, null, { failureThreshold: 1, recoveryThreshold: 1 })).toBe(up);
  });
});

describe("monitorStatus (regions and quorum)", () => {
  it("is DOWN only when the quorum of regions is DOWN", () => {
    expect(monitorStatus(["DOWN", "UP"], 2)).toBe("UP");
    expect(monitorStatus(["DOWN", "DOWN"], 2)).toBe("DOWN");
    expect(monitorStatus(["DOWN", "UP"], 1)).toBe("DOWN");
  });

  it("is PENDING until some region is confirmed", () => {
    expect(monitorStatus(["PENDING", "PENDING"], 1)).toBe("PENDING");
    expect(monitorStatus([], 1)).toBe("PENDING");
  });
});

describe("incidentChange", () => {
  it("opens on DOWN with none open, resolves on UP, and otherwise does nothing", () => {
    expect(incidentChange(false, "DOWN")).toBe("open");
    expect(incidentChange(true, "DOWN")).toBeNull();
    expect(incidentChange(true, "UP")).toBe("resolve");
    expect(incidentChange(true, "PENDING")).toBeNull();
    expect(incidentChange(false, "UP")).toBeNull();
  });
});
