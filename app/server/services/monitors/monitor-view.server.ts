import { displayStatus, type DisplayStatus } from "../../../../core/domain/status.ts";
import { storedHeaders } from "../../../../core/domain/headers.ts";
import { MASKED_VALUE, type MonitorSettings } from "~/lib/monitors/monitor-input.ts";
import type { Website } from "../../../../core/db/generated/client.ts";

export interface MonitorView extends Omit<MonitorSettings, "headers"> {
  id: string;
  type: "HTTP" | "TCP";
  /** TCP monitors: what they connect to (`url` reads tcp://host:port). */
  tcp: { host: string; port: number; tls: boolean } | null;
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

/** What the API returns for a monitor. Header values may be secrets: never returned. */
export function toMonitorView(website: Website & { channels?: { channelId: string }[] }): MonitorView {
  const settings = settingsOf(website);
  return {
    ...settings,
    id: website.id,
    type: website.type,
    tcp: website.type === "TCP" ? tcpTargetOf(website) : null,
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

/** A TCP monitor's host, port and TLS choice, from its stored tcp://host:port. */
export function tcpTargetOf(website: Pick<Website, "url" | "tcpTls">): { host: string; port: number; tls: boolean } {
  const target = new URL(website.url);
  return { host: target.hostname.replace(/^\[|\]$/g, ""), port: Number(target.port), tls: website.tcpTls };
}
