/**
 * Piscina worker: serves one lane of checks (check-lane.ts), many at once, each by its
 * type's probe (probes/). Never touches the database: it takes checks and returns their
 * outcomes.
 */
import { serveLane, type Checker } from "./check-lane.ts";
import type { CheckerConfig } from "./check-task.ts";
import { createProbe } from "./probes/index.ts";
import { profileThisThread } from "./thread-profile.ts";

profileThisThread("check-worker");

export function createChecker(config: CheckerConfig): Checker {
  return createProbe(config);
}

export default serveLane(createChecker);
