/**
 * Every monitor type, by its stored name. Outside this folder and the engine's probes,
 * nothing branches on the type: ask the registry.
 */
import type { MonitorType } from "../db/generated/enums.ts";
import { dns } from "./dns.ts";
import { heartbeat } from "./heartbeat.ts";
import { http } from "./http.ts";
import type { MonitorTypeModule } from "./module.ts";
import type { ProbeRequest } from "./probe-request.ts";
import type { StoredCheck } from "../db/queries/claims.ts";
import type { ProbeLimits } from "./module.ts";
import { tcp } from "./tcp.ts";
import { tls } from "./tls.ts";

export const MONITOR_TYPES: { [Type in MonitorType]: MonitorTypeModule<Type> } = {
  HTTP: http,
  TCP: tcp,
  TLS: tls,
  DNS: dns,
  HEARTBEAT: heartbeat,
};

export function monitorType(type: MonitorType): MonitorTypeModule {
  return MONITOR_TYPES[type] as MonitorTypeModule;
}

/** The probe request for a due check, by its type. */
export function probeRequestFor(check: StoredCheck, limits: ProbeLimits): ProbeRequest {
  return monitorType(check.type).probeRequest(check, limits);
}
