/**
 * The messages between the runner and its check threads. Each thread serves one lane
 * (check-lane.ts): the runner sends it batches of checks, each with the time it is
 * due, as soon as they are claimed; the thread starts each at its time and sends the
 * outcomes back in batches. One message carries many checks each way, rather than one
 * message and one piscina task per check.
 *
 * Both ends are our own code and structured clone keeps the types, so the outcomes are
 * not validated again on the way back.
 */
import type { MessagePort } from "node:worker_threads";
import type { ProbeRequest } from "../../core/monitor-types/probe-request.ts";
import type { CheckOutcome } from "./probes/outcome.ts";
import type { ProbeConfig } from "./probes/index.ts";

export type { ProbeRequest };

/** The piscina task that opens a lane: it runs as long as the thread does. */
export interface LaneStart {
  port: MessagePort;
  config: CheckerConfig;
}

/** What every check of a runner shares. */
export type CheckerConfig = ProbeConfig;

/** Runner → thread: a check to start at `startAtMs` (epoch ms; at once if past). */
export interface CheckAssignment {
  id: number;
  request: ProbeRequest;
  startAtMs: number;
}

/**
 * Thread → runner: checks that ended, and now and then how busy the thread's event loop
 * has been (0–1, its event-loop utilisation since the last figure; null when not measured).
 */
export interface LaneMessage {
  reports: CheckReport[];
  load: number | null;
}

/** How a check went, and when it started (epoch ms). */
export type CheckReport =
  { id: number; startedAtMs: number; outcome: CheckOutcome } | { id: number; startedAtMs: number; failure: string };

/** A check the runner could not carry out: no verdict on the target, never DOWN. */
export interface RunnerFailure {
  status: null;
  errorClass: "runner";
  error: string;
}

export type CheckVerdict = CheckOutcome | RunnerFailure;
