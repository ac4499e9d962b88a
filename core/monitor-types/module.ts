/**
 * One monitor type's rules, in one module (core/monitor-types/<type>.ts) behind the
 * registry (registry.ts): what the engine must know of it today. Its probe lives in
 * workers/engine/probes/<type>.ts.
 */
import type { MonitorType } from "../db/generated/enums.ts";
import type { ProbeRequest } from "./probe-request.ts";
import type { StoredCheck } from "../db/queries/claims.ts";

/** The probe request a type makes (`http` for HTTP, `tcp` for TCP, …). */
export type ProbeRequestOf<Type extends MonitorType> = Extract<ProbeRequest, { kind: Lowercase<Type> }>;

/** What the runner sets for every probe (HTTP bodies are read up to this many bytes). */
export interface ProbeLimits {
  maxBodyBytes: number;
}

export interface MonitorTypeModule<Type extends MonitorType = MonitorType> {
  type: Type;
  /** What a check thread is asked to do for a due check of this type. */
  probeRequest(check: StoredCheck, limits: ProbeLimits): ProbeRequestOf<Type>;
  /**
   * Whether judging it needs what only the database knows (a heartbeat's pings): a runner
   * cut off from the database holds such checks instead of guessing.
   */
  needsDatabaseToJudge: boolean;
}
