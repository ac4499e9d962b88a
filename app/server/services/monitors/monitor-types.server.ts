/**
 * What differs between monitor types when a monitor is stored: how each type's input
 * becomes the shared settings (a URL-shaped target) and its own columns, which settings
 * an update may touch, and what the target policy checks. The engine's side is
 * workers/engine/scheduler.ts (toCheckRequest); the API's, app/lib/monitors/monitor-input.ts.
 */
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import {
  tcpUrl,
  type CreateMonitorInput,
  type MonitorSettings,
  type MonitorType,
  type UpdateMonitorInput,
} from "~/lib/monitors/monitor-input.ts";
import type { Monitor } from "../../../../core/db/generated/client.ts";
import { ValidationError } from "../errors.server.ts";
import {
  DNS_DEFAULTS,
  HEARTBEAT_DEFAULTS,
  TCP_DEFAULTS,
  TLS_DEFAULTS,
} from "../../../../core/domain/monitor-defaults.ts";

export type CreateInput = z.output<typeof CreateMonitorInput>;
type UpdateInput = z.output<typeof UpdateMonitorInput>;

/** The columns only some types use. */
export interface TypeColumns {
  type: MonitorType;
  tcpTls?: boolean;
  pushToken?: string;
  heartbeatGraceSeconds?: number;
  dnsRecordType?: NonNullable<Monitor["dnsRecordType"]>;
  dnsResolver?: string | null;
  expectedValue?: string | null;
  tlsExpiryDays?: number;
}

/** What the target policy must approve before the monitor is stored: a host (or IP) and the field to blame. */
export interface PolicyTarget {
  host: string;
  field: string;
}

/** Settings as a create names them (any may be left out; a null timeout is the automatic one), with the stored URL. */
export type SettingsInput = Partial<Omit<MonitorSettings, "timeoutMs">> & {
  url: string;
  timeoutMs?: number | null;
  channelIds?: string[];
};

export interface StoredForm {
  settings: SettingsInput;
  columns: TypeColumns;
  target: PolicyTarget | null;
}

/** A push URL's secret: 192 random bits, URL-safe. */
export function newPushToken(): string {
  return randomBytes(24).toString("base64url");
}

/** What a heartbeat monitor stores in `url`: nothing is fetched; the push URL carries the token. */
export const HEARTBEAT_URL = "heartbeat";

/** A resolver as "ip", "ip:port" or "[v6]:port": the IP, for the target policy. */
export function resolverIp(resolver: string): string {
  return /^\[([^\]]+)\]/.exec(resolver)?.[1] ?? /^([\d.]+)(?::\d+)?$/.exec(resolver)?.[1] ?? resolver;
}

/** A new monitor's stored form, by its type. */
export function storedForm(input: CreateInput): StoredForm {
  switch (input.type) {
    case undefined:
    case "HTTP": {
      const { type: _type, ...settings } = input;
      return { settings, columns: { type: "HTTP" }, target: { host: new URL(input.url).hostname, field: "url" } };
    }
    case "TCP": {
      const { type, host, port, tls, ...settings } = input;
      return {
        settings: { ...settings, url: tcpUrl({ host, port }) },
        columns: { type, tcpTls: tls ?? TCP_DEFAULTS.tls },
        target: { host, field: "host" },
      };
    }
    case "TLS": {
      const { type, host, port, expiryDays, ...settings } = input;
      return {
        settings: { ...settings, url: tcpUrl({ host, port }, "tls") },
        columns: { type, tlsExpiryDays: expiryDays },
        target: { host, field: "host" },
      };
    }
    case "DNS": {
      const { type, hostname, recordType, expectedValue, resolver, ...settings } = input;
      return {
        settings: { ...settings, url: hostname },
        columns: {
          type,
          dnsRecordType: recordType,
          expectedValue: expectedValue ?? DNS_DEFAULTS.expectedValue,
          dnsResolver: resolver ?? DNS_DEFAULTS.resolver,
        },
        // The name is only looked up; the resolver is what the check sends packets to.
        target: resolver ? { host: resolverIp(resolver), field: "resolver" } : null,
      };
    }
    case "HEARTBEAT": {
      const { type, periodSeconds, graceSeconds, ...settings } = input;
      return {
        // A heartbeat has no URL to name it by: unnamed, it is "Heartbeat" in lists and alerts.
        settings: {
          ...settings,
          name: settings.name || "Heartbeat",
          url: HEARTBEAT_URL,
          intervalSeconds: periodSeconds,
          timeoutMs: null,
        },
        columns: {
          type,
          pushToken: newPushToken(),
          heartbeatGraceSeconds: graceSeconds ?? HEARTBEAT_DEFAULTS.graceSeconds,
        },
        target: null,
      };
    }
  }
}

/** Which types each type-specific setting belongs to; an update naming another type's setting is refused. */
const SETTING_TYPES: Partial<Record<keyof UpdateInput, readonly MonitorType[]>> = {
  url: ["HTTP"],
  method: ["HTTP"],
  headers: ["HTTP"],
  body: ["HTTP"],
  expectedStatusCodes: ["HTTP"],
  keyword: ["HTTP"],
  keywordMode: ["HTTP"],
  keywordIgnoreCase: ["HTTP"],
  assertions: ["HTTP"],
  maxResponseMs: ["HTTP"],
  ignoreTlsErrors: ["HTTP"],
  followRedirects: ["HTTP"],
  maxRedirects: ["HTTP"],
  host: ["TCP", "TLS"],
  port: ["TCP", "TLS"],
  tls: ["TCP"],
  expiryDays: ["TLS"],
  hostname: ["DNS"],
  recordType: ["DNS"],
  expectedValue: ["DNS"],
  resolver: ["DNS"],
  periodSeconds: ["HEARTBEAT"],
  graceSeconds: ["HEARTBEAT"],
  intervalSeconds: ["HTTP", "TCP", "DNS", "TLS"],
  timeoutMs: ["HTTP", "TCP", "DNS", "TLS"],
  regions: ["HTTP", "TCP", "DNS", "TLS", "HEARTBEAT"],
  downQuorum: ["HTTP", "TCP", "DNS", "TLS"],
};

const TYPE_NAMES: Record<MonitorType, string> = {
  HTTP: "HTTP",
  TCP: "TCP port",
  HEARTBEAT: "heartbeat",
  DNS: "DNS",
  TLS: "TLS certificate",
};

/** "HTTP", "TCP port and TLS certificate", "HTTP, TCP port, DNS and TLS certificate". */
function typeList(types: readonly MonitorType[]): string {
  const names = types.map((type) => TYPE_NAMES[type]);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** Field errors for settings the monitor's type does not have. */
function foreignSettings(type: MonitorType, input: UpdateInput): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  for (const [field, types] of Object.entries(SETTING_TYPES)) {
    if (input[field as keyof UpdateInput] === undefined || types.includes(type)) continue;
    errors[field] = [`Only ${typeList(types)} monitors have this setting (this one is ${TYPE_NAMES[type]})`];
  }
  return errors;
}

export interface TypePatch {
  /** The new stored URL, when the target changed. */
  url?: string;
  intervalSeconds?: number;
  columns: Partial<TypeColumns>;
  target: PolicyTarget | null;
}

function hostAndPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ""), port: Number(parsed.port) };
}

/** What an update changes in the type's own columns and target; refuses another type's settings. */
export function typePatch(existing: Monitor, input: UpdateInput): TypePatch {
  const errors = foreignSettings(existing.type, input);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  switch (existing.type) {
    case "HTTP":
      return {
        columns: {},
        target: input.url && input.url !== existing.url ? { host: new URL(input.url).hostname, field: "url" } : null,
      };
    case "TCP":
    case "TLS": {
      const columns: Partial<TypeColumns> = {};
      if (input.tls !== undefined) columns.tcpTls = input.tls;
      if (input.expiryDays !== undefined) columns.tlsExpiryDays = input.expiryDays;
      if (input.host === undefined && input.port === undefined) return { columns, target: null };
      const stored = hostAndPort(existing.url);
      const host = input.host ?? stored.host;
      const url = tcpUrl({ host, port: input.port ?? stored.port }, existing.type === "TLS" ? "tls" : "tcp");
      return { url, columns, target: url === existing.url ? null : { host, field: "host" } };
    }
    case "DNS": {
      const columns: Partial<TypeColumns> = {};
      if (input.recordType !== undefined) columns.dnsRecordType = input.recordType;
      if (input.expectedValue !== undefined) columns.expectedValue = input.expectedValue;
      if (input.resolver !== undefined) columns.dnsResolver = input.resolver;
      const target = input.resolver ? { host: resolverIp(input.resolver), field: "resolver" } : null;
      return { ...(input.hostname !== undefined ? { url: input.hostname } : {}), columns, target };
    }
    case "HEARTBEAT":
      return {
        ...(input.periodSeconds !== undefined ? { intervalSeconds: input.periodSeconds } : {}),
        columns: input.graceSeconds !== undefined ? { heartbeatGraceSeconds: input.graceSeconds } : {},
        target: null,
      };
  }
}

/** Whether a changed column changes what the check does (so the monitor is checked again at once). */
export function changesCheck(existing: Monitor, columns: Partial<TypeColumns>): boolean {
  return Object.entries(columns).some(([key, value]) => existing[key as keyof Monitor] !== value);
}

/** A create input that makes a monitor like `monitor` (duplicate): its type, target and settings. */
export function createInputOf(monitor: Monitor, settings: MonitorSettings): CreateInput {
  const { url, ...common } = settings;
  const shared = { ...common, timeoutMs: settings.timeoutMs };
  switch (monitor.type) {
    case "HTTP":
      return { ...settings, type: "HTTP" };
    case "TCP":
      return { ...shared, type: "TCP", ...hostAndPort(url), tls: monitor.tcpTls };
    case "TLS":
      return {
        ...shared,
        type: "TLS",
        ...hostAndPort(url),
        expiryDays: monitor.tlsExpiryDays ?? TLS_DEFAULTS.expiryDays,
      };
    case "DNS":
      return {
        ...shared,
        type: "DNS",
        hostname: url,
        recordType: monitor.dnsRecordType ?? DNS_DEFAULTS.recordType,
        expectedValue: monitor.expectedValue,
        resolver: monitor.dnsResolver,
      };
    case "HEARTBEAT":
      return {
        name: settings.name,
        failureThreshold: settings.failureThreshold,
        recoveryThreshold: settings.recoveryThreshold,
        tags: settings.tags,
        regions: settings.regions,
        type: "HEARTBEAT",
        periodSeconds: settings.intervalSeconds,
        graceSeconds: monitor.heartbeatGraceSeconds,
      };
  }
}
