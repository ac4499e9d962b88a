/** What a monitor watches, in one line, for each type (the monitor page, the list). */
import { formatDuration } from "../../../core/text/format.ts";
import type { MonitorType } from "./monitor-input.ts";

export interface LabelledMonitor {
  type: MonitorType;
  url: string;
  tcp: { tls: boolean } | null;
  dns: { hostname: string; recordType: string; resolver: string | null } | null;
  certificate: { host: string; port: number } | null;
  heartbeat: { periodSeconds: number; graceSeconds: number } | null;
}

export function targetLabel(monitor: LabelledMonitor): string {
  switch (monitor.type) {
    case "TCP":
      return `${monitor.url}${monitor.tcp?.tls ? " (TLS)" : ""}`;
    case "DNS":
      return monitor.dns
        ? `${monitor.dns.recordType} ${monitor.dns.hostname}${monitor.dns.resolver ? ` via ${monitor.dns.resolver}` : ""}`
        : monitor.url;
    case "TLS":
      return monitor.certificate
        ? `certificate of ${monitor.certificate.host}:${monitor.certificate.port}`
        : monitor.url;
    case "HEARTBEAT":
      return monitor.heartbeat
        ? `heartbeat: a ping every ${formatDuration(monitor.heartbeat.periodSeconds)}${monitor.heartbeat.graceSeconds ? ` (+ ${formatDuration(monitor.heartbeat.graceSeconds)} grace)` : ""}`
        : "heartbeat";
    case "HTTP":
      return monitor.url;
  }
}

const TYPE_PREFIX: Record<MonitorType, string> = {
  HTTP: "",
  TCP: "",
  TLS: "Certificate · ",
  DNS: "DNS · ",
  HEARTBEAT: "",
};

/** The list's second line: the URL, with the kind of check where the URL alone does not say it. */
export function listSubtitle(monitor: { type: MonitorType; url: string }): string {
  return monitor.type === "HEARTBEAT" ? "Heartbeat (push)" : `${TYPE_PREFIX[monitor.type]}${monitor.url}`;
}
