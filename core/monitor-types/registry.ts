/**
 * Every monitor type, by its stored name. Outside this folder and the engine's probes,
 * nothing branches on the type: ask the registry (`monitorType(type).…`).
 */
import { z } from "zod";
import type { Monitor } from "../db/generated/client.ts";
import type { MonitorType } from "../db/generated/enums.ts";
import type { StoredCheck } from "../db/queries/claims.ts";
import { CreateDnsMonitorInput, dns } from "./dns.ts";
import { CreateHeartbeatMonitorInput, heartbeat } from "./heartbeat.ts";
import { CreateHttpMonitorInput, http } from "./http.ts";
import type { MonitorTypeModule, ProbeLimits } from "./module.ts";
import type { ProbeRequest } from "./probe-request.ts";
import { monitorSettingsShape, type MonitorSettings } from "./settings.ts";
import { CreateTcpMonitorInput, tcp } from "./tcp.ts";
import { CreateTlsMonitorInput, tls } from "./tls.ts";

/** In the order the new-monitor page offers them (and errors list them). */
const MODULES: { [Type in MonitorType]: MonitorTypeModule<Type, z.ZodObject> } = {
  HTTP: http,
  TCP: tcp,
  HEARTBEAT: heartbeat,
  DNS: dns,
  TLS: tls,
};

export const MONITOR_TYPES = Object.keys(MODULES) as MonitorType[];

/** The type of a monitor created without one (the API's `type` may be left out). */
export const DEFAULT_TYPE = "HTTP" satisfies MonitorType;

export function monitorType(type: MonitorType): MonitorTypeModule {
  return MODULES[type] as MonitorTypeModule;
}

/** A monitor of any type, by `type` (HTTP when left out). */
export const CreateMonitorInput = z.discriminatedUnion(
  "type",
  [
    CreateHttpMonitorInput,
    CreateTcpMonitorInput,
    CreateHeartbeatMonitorInput,
    CreateDnsMonitorInput,
    CreateTlsMonitorInput,
  ],
  { error: `Type is one of ${MONITOR_TYPES.join(", ")}` },
);
export type CreateMonitorInput = z.input<typeof CreateMonitorInput>;
export type CreateMonitor = z.output<typeof CreateMonitorInput>;

/** Every type's settings, all optional: an update (the service refuses those of another type). */
export const monitorUpdateShape = {
  ...z.object(monitorSettingsShape).partial().shape,
  ...z.object(tcp.updateShape).partial().shape,
  ...z.object(tls.updateShape).partial().shape,
  ...z.object(dns.updateShape).partial().shape,
  ...z.object(heartbeat.updateShape).partial().shape,
};

/** The module of a create input's type (HTTP when left out). */
export function moduleOf(input: { type?: MonitorType }): MonitorTypeModule {
  return monitorType(input.type ?? DEFAULT_TYPE);
}

/** A create input that makes a monitor like this one (duplicate, export): its type, target and settings. */
export function createInputOf(monitor: Monitor, settings: MonitorSettings): CreateMonitor {
  return monitorType(monitor.type).createInputOf(monitor, settings) as CreateMonitor;
}

/** "HTTP", "TCP port and TLS certificate", "HTTP, TCP port, DNS and TLS certificate". */
function typeList(types: readonly MonitorType[]): string {
  const names = types.map((type) => monitorType(type).name);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** Field errors for settings an update names that the monitor's type does not have. */
export function foreignSettings(type: MonitorType, input: Record<string, unknown>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const own = monitorType(type).settings;
  for (const [field, value] of Object.entries(input)) {
    if (value === undefined || own.includes(field)) continue;
    const owners = MONITOR_TYPES.filter((other) => monitorType(other).settings.includes(field));
    // Settings no type claims (name, thresholds, tags, channels) belong to every type.
    if (owners.length === 0) continue;
    errors[field] = [`Only ${typeList(owners)} monitors have this setting (this one is ${monitorType(type).name})`];
  }
  return errors;
}

/** The probe request for a due check, by its type. */
export function probeRequestFor(check: StoredCheck, limits: ProbeLimits): ProbeRequest {
  return monitorType(check.type).probeRequest(check, limits);
}
