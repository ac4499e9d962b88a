import { displayStatus, type DisplayStatus } from "../../../../core/domain/status.ts";
import { storedHeaders } from "../../../../core/domain/headers.ts";
import { MASKED_VALUE, type MonitorSettings, type MonitorType } from "~/lib/monitors/monitor-input.ts";
import { storedAssertions } from "../../../../core/domain/assertions.ts";
import { DNS_DEFAULTS, TLS_DEFAULTS } from "../../../../core/domain/monitor-defaults.ts";
import type { DnsRecordType } from "../../../../core/domain/dns-answer.ts";
import type { Monitor } from "../../../../core/db/generated/client.ts";

export interface MonitorView extends Omit<MonitorSettings, "headers"> {
  id: string;
  type: MonitorType;
  /** TCP monitors: what they connect to (`url` reads tcp://host:port). */
  tcp: { host: string; port: number; tls: boolean } | null;
  /** TLS certificate monitors (`url` reads tls://host:port). */
  certificate: { host: string; port: number; expiryDays: number } | null;
  /** DNS monitors (`url` is the name). */
  dns: { hostname: string; recordType: DnsRecordType; expectedValue: string | null; resolver: string | null } | null;
  /** Heartbeat monitors (`intervalSeconds` is the period). */
  heartbeat: { periodSeconds: number; graceSeconds: number } | null;
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

/** What the API returns for a monitor. Header values may be secrets: never returned. */
export function toMonitorView(monitor: Monitor & { channels?: { channelId: string }[] }, appUrl: string): MonitorView {
  const settings = settingsOf(monitor);
  return {
    ...settings,
    id: monitor.id,
    type: monitor.type,
    tcp: monitor.type === "TCP" ? tcpTargetOf(monitor) : null,
    certificate:
      monitor.type === "TLS"
        ? (({ host, port }) => ({ host, port, expiryDays: monitor.tlsExpiryDays ?? TLS_DEFAULTS.expiryDays }))(
            tcpTargetOf(monitor),
          )
        : null,
    dns:
      monitor.type === "DNS"
        ? {
            hostname: monitor.url,
            recordType: monitor.dnsRecordType ?? DNS_DEFAULTS.recordType,
            expectedValue: monitor.expectedValue,
            resolver: monitor.dnsResolver,
          }
        : null,
    heartbeat:
      monitor.type === "HEARTBEAT"
        ? { periodSeconds: monitor.intervalSeconds, graceSeconds: monitor.heartbeatGraceSeconds }
        : null,
    pushUrl: monitor.type === "HEARTBEAT" && monitor.pushToken ? pushUrlOf(appUrl, monitor.pushToken) : null,
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

/** A TCP (or TLS) monitor's host, port and TLS choice, from its stored tcp://host:port (tls://host:port). */
export function tcpTargetOf(monitor: Pick<Monitor, "url" | "tcpTls">): { host: string; port: number; tls: boolean } {
  const target = new URL(monitor.url);
  return {
    host: target.hostname.replace(/^\[|\]$/g, ""),
    port: Number(target.port) || TLS_DEFAULTS.port,
    tls: monitor.tcpTls,
  };
}
