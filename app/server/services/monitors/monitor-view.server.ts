import { displayStatus, type DisplayStatus } from "../../../../core/domain/status.ts";
import { storedHeaders } from "../../../../core/domain/headers.ts";
import { MASKED_VALUE, type MonitorSettings } from "../../../../core/monitor-types/settings.ts";
import { monitorType } from "../../../../core/monitor-types/registry.ts";
import type { TypeView } from "../../../../core/monitor-types/module.ts";
import type { MonitorType } from "../../../../core/db/generated/enums.ts";
import { storedAssertions } from "../../../../core/domain/assertions.ts";
import type { Monitor } from "../../../../core/db/generated/client.ts";

/** A monitor as the API answers it: its settings, its type's own part (null for other types), its state. */
export interface MonitorView extends Omit<MonitorSettings, "headers">, TypeView {
  id: string;
  type: MonitorType;
  /** Heartbeat monitors: where the job pings (GET or POST). A secret for the owner's eyes: never logged. */
  pushUrl: string | null;
  /** Alert channels notified about this monitor. */
  channelIds: string[];
  /** Names as stored; every value masked. */
  headers: { name: string; value: string }[];
  isActive: boolean;
  status: DisplayStatus;
  statusChangedAt: Date;
  lastCheckedAt: Date | null;
  lastResponseTimeMs: number | null;
  tlsExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function settingsOf(monitor: Monitor): MonitorSettings {
  return {
    url: monitor.url,
    name: monitor.name,
    method: monitor.method as MonitorSettings["method"],
    headers: storedHeaders(monitor.requestHeaders),
    body: monitor.requestBody,
    expectedStatusCodes: monitor.expectedStatusCodes,
    keyword: monitor.keyword,
    keywordMode: monitor.keywordMode,
    keywordIgnoreCase: monitor.keywordIgnoreCase,
    assertions: storedAssertions(monitor.assertions),
    maxResponseMs: monitor.maxResponseMs,
    ignoreTlsErrors: monitor.ignoreTlsErrors,
    followRedirects: monitor.followRedirects,
    maxRedirects: monitor.maxRedirects,
    timeoutMs: monitor.timeoutMs,
    intervalSeconds: monitor.intervalSeconds,
    failureThreshold: monitor.failureThreshold,
    recoveryThreshold: monitor.recoveryThreshold,
    regions: monitor.regions,
    downQuorum: monitor.downQuorum,
    tags: monitor.tags,
  };
}

/** Where a heartbeat's job pings: the app's URL, /api/push/, the token. */
export function pushUrlOf(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/$/, "")}/api/push/${token}`;
}

const NO_TYPE_PARTS: TypeView = { tcp: null, certificate: null, dns: null, heartbeat: null };

/** What the API returns for a monitor. Header values may be secrets: never returned. */
export function toMonitorView(monitor: Monitor & { channels?: { channelId: string }[] }, appUrl: string): MonitorView {
  const settings = settingsOf(monitor);
  return {
    ...settings,
    id: monitor.id,
    type: monitor.type,
    ...NO_TYPE_PARTS,
    ...monitorType(monitor.type).view(monitor),
    // Only heartbeats hold a push token.
    pushUrl: monitor.pushToken ? pushUrlOf(appUrl, monitor.pushToken) : null,
    channelIds: monitor.channels?.map((channel) => channel.channelId) ?? [],
    headers: settings.headers.map((header) => ({ name: header.name, value: MASKED_VALUE })),
    isActive: monitor.isActive,
    status: displayStatus(monitor),
    statusChangedAt: monitor.statusChangedAt,
    lastCheckedAt: monitor.lastCheckedAt,
    lastResponseTimeMs: monitor.lastResponseTimeMs,
    tlsExpiresAt: monitor.tlsExpiresAt,
    createdAt: monitor.createdAt,
    updatedAt: monitor.updatedAt,
  };
}
