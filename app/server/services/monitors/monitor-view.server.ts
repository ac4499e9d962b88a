import { displayStatus, type DisplayStatus } from "../../../../core/domain/status.ts";
import { storedHeaders } from "../../../../core/domain/headers.ts";
import { MASKED_VALUE, type MonitorSettings, type MonitorType } from "~/lib/monitors/monitor-input.ts";
import { storedAssertions } from "../../../../core/domain/assertions.ts";
import type { DnsRecordType } from "../../../../core/domain/dns-answer.ts";
import type { Website } from "../../../../core/db/generated/client.ts";

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

export function settingsOf(website: Website): MonitorSettings {
  return {
    url: website.url,
    name: website.name,
    method: website.method as MonitorSettings["method"],
    headers: storedHeaders(website.requestHeaders),
    body: website.requestBody,
    expectedStatusCodes: website.expectedStatusCodes,
    keyword: website.keyword,
    keywordMode: website.keywordMode,
    keywordIgnoreCase: website.keywordIgnoreCase,
    assertions: storedAssertions(website.assertions),
    maxResponseMs: website.maxResponseMs,
    ignoreTlsErrors: website.ignoreTlsErrors,
    followRedirects: website.followRedirects,
    maxRedirects: website.maxRedirects,
    timeoutMs: website.timeoutMs,
    intervalSeconds: website.intervalSeconds,
    failureThreshold: website.failureThreshold,
    recoveryThreshold: website.recoveryThreshold,
    regions: website.regions,
    downQuorum: website.downQuorum,
    tags: website.tags,
  };
}

/** Where a heartbeat's job pings: the app's URL, /api/push/, the token. */
export function pushUrlOf(appUrl: string, token: string): string {
  return `${appUrl.replace(/\/$/, "")}/api/push/${token}`;
}

/** What the API returns for a monitor. Header values may be secrets: never returned. */
export function toMonitorView(website: Website & { channels?: { channelId: string }[] }, appUrl: string): MonitorView {
  const settings = settingsOf(website);
  return {
    ...settings,
    id: website.id,
    type: website.type,
    tcp: website.type === "TCP" ? tcpTargetOf(website) : null,
    certificate:
      website.type === "TLS"
        ? (({ host, port }) => ({ host, port, expiryDays: website.tlsExpiryDays ?? 14 }))(tcpTargetOf(website))
        : null,
    dns:
      website.type === "DNS"
        ? {
            hostname: website.url,
            recordType: website.dnsRecordType ?? "A",
            expectedValue: website.expectedValue,
            resolver: website.dnsResolver,
          }
        : null,
    heartbeat:
      website.type === "HEARTBEAT"
        ? { periodSeconds: website.intervalSeconds, graceSeconds: website.heartbeatGraceSeconds }
        : null,
    pushUrl: website.type === "HEARTBEAT" && website.pushToken ? pushUrlOf(appUrl, website.pushToken) : null,
    channelIds: website.channels?.map((channel) => channel.channelId) ?? [],
    headers: settings.headers.map((header) => ({ name: header.name, value: MASKED_VALUE })),
    isActive: website.isActive,
    status: displayStatus(website),
    statusChangedAt: website.statusChangedAt,
    lastCheckedAt: website.lastCheckedAt,
    lastResponseTimeMs: website.lastResponseTimeMs,
    tlsExpiresAt: website.tlsExpiresAt,
    createdAt: website.createdAt,
    updatedAt: website.updatedAt,
  };
}

/** A TCP (or TLS) monitor's host, port and TLS choice, from its stored tcp://host:port (tls://host:port). */
export function tcpTargetOf(website: Pick<Website, "url" | "tcpTls">): { host: string; port: number; tls: boolean } {
  const target = new URL(website.url);
  return { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port) || 443, tls: website.tcpTls };
}
