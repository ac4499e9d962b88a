/**
 * The thread's side of a lane (check-task.ts): takes batches of checks, starts each at
 * its due time from one timer (not one timer per check), runs many at once, and sends
 * the outcomes back in batches — at most REPORT_EVERY_MS after a check ends, sooner
 * when REPORT_BATCH have piled up — and every LOAD_EVERY_MS how busy the thread is,
 * so the runner can fill one thread before waking the next (check-pool.ts).
 */
import { performance } from "node:perf_hooks";
import type { CheckOutcome } from "./probes/outcome.ts";
import type {
  CheckAssignment,
  CheckerConfig,
  CheckReport,
  LaneMessage,
  LaneStart,
  ProbeRequest,
} from "./check-task.ts";

export type Checker = (request: ProbeRequest) => Promise<CheckOutcome>;

const REPORT_EVERY_MS = 10;
const REPORT_BATCH = 256;
const LOAD_EVERY_MS = 250;
const START_TICK_MS = 10;

/** A piscina handler serving one lane with the checker `makeChecker` builds from the runner's config. */
export function serveLane(makeChecker: (config: CheckerConfig) => Checker): (start: LaneStart) => Promise<void> {
  return ({ port, config }) =>
    new Promise<void>((resolve) => {
      const check = makeChecker(config);
      // Checks waiting for their start, in start order.
      let due: CheckAssignment[] = [];
      let timer: NodeJS.Timeout | null = null;
      let timerAt = Infinity;
      let reports: CheckReport[] = [];
      let reportTimer: NodeJS.Timeout | null = null;

      const sendReports = () => {
        if (reportTimer) clearTimeout(reportTimer);
        reportTimer = null;
        if (reports.length === 0) return;
        port.postMessage({ reports, load: null } satisfies LaneMessage);
        reports = [];
      };
      let utilization = performance.eventLoopUtilization();
      const loadTimer = setInterval(() => {
        const since = performance.eventLoopUtilization(utilization);
        utilization = performance.eventLoopUtilization();
        port.postMessage({ reports: [], load: since.utilization } satisfies LaneMessage);
      }, LOAD_EVERY_MS);
      const report = (entry: CheckReport) => {
        reports.push(entry);
        if (reports.length >= REPORT_BATCH) sendReports();
        else reportTimer ??= setTimeout(sendReports, REPORT_EVERY_MS);
      };

      const start = (assignment: CheckAssignment) => {
        const startedAtMs = Date.now();
        check(assignment.request).then(
          (outcome) => report({ id: assignment.id, startedAtMs, outcome }),
          (error: unknown) =>
            report({ id: assignment.id, startedAtMs, failure: (error as Error)?.message ?? String(error) }),
        );
      };

      const startDue = () => {
        timer = null;
        timerAt = Infinity;
        const now = Date.now();
        let count = 0;
        while (count < due.length && due[count]!.startAtMs <= now) count += 1;
        const starting = due.slice(0, count);
        due = due.slice(count); // one copy per timer, rather than shifting the queue per check
        for (const assignment of starting) start(assignment);
        arm();
      };
      const arm = () => {
        const next = due[0];
        if (!next || next.startAtMs >= timerAt) return;
        if (timer) clearTimeout(timer);
        // On the next tick boundary: the checks due within a tick start together, so one
        // wake-up of the thread serves several (each a few ms late at most, never early).
        timerAt = Math.ceil(next.startAtMs / START_TICK_MS) * START_TICK_MS;
        timer = setTimeout(startDue, Math.max(0, timerAt - Date.now()));
      };

      port.on("message", (message: CheckAssignment[] | "close") => {
        if (message === "close") {
          if (timer) clearTimeout(timer);
          clearInterval(loadTimer);
          sendReports();
          port.close();
          resolve();
          return;
        }
        // Claims return rows in no particular order: one sort per batch (a merge of two sorted runs, mostly).
        due.push(...message);
        due.sort(byStart);
        arm();
      });
    });
}

const byStart = (a: CheckAssignment, b: CheckAssignment) => a.startAtMs - b.startAtMs;
