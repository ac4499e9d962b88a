/**
 * What a monitor gets for each setting left out, declared once. The create service, the
 * form's blank values and its parser, the input schemas, the Uptime Kuma import, the
 * engine (reading a row whose optional column is empty) and the tests all read them here.
 *
 * In `core/domain/` because the engine needs some of them and may not import the web app.
 * Grouped by monitor type, so each group can move into its type's own module as it is.
 * The database's column defaults (prisma/schema.prisma) must agree for rows written
 * without them: tests/unit/monitor-defaults.test.ts compares the two.
 */
import type { DnsRecordType } from "./dns-answer.ts";

/** Settings every type has (heartbeats use the thresholds, regions and tags). */
export const SHARED_DEFAULTS = {
  name: null,
  intervalSeconds: 60,
  failureThreshold: 1,
  recoveryThreshold: 1,
  regions: ["default"],
  downQuorum: 1,
  tags: [],
} as const;

/** HTTP(S): the request and what its answer must show. */
export const HTTP_DEFAULTS = {
  method: "GET",
  headers: [],
  body: null,
  expectedStatusCodes: "200-299",
  keyword: null,
  keywordMode: "PRESENT",
  keywordIgnoreCase: false,
  assertions: [],
  maxResponseMs: null,
  ignoreTlsErrors: false,
  followRedirects: true,
  maxRedirects: 5,
} as const;

/** TCP port: a plain connection unless TLS is asked for. */
export const TCP_DEFAULTS = { tls: false } as const;

/** TLS certificate: the HTTPS port, and an alert two weeks before expiry. */
export const TLS_DEFAULTS = { port: 443, expiryDays: 14 } as const;

/** DNS: an address record, any answer, the system's resolver. */
export const DNS_DEFAULTS = {
  recordType: "A" as DnsRecordType,
  expectedValue: null,
  resolver: null,
} as const;

/** Heartbeat: no grace beyond the period. */
export const HEARTBEAT_DEFAULTS = { graceSeconds: 0 } as const;

/** A monitor row's settings when the type is left out (HTTP, the default type). */
export const MONITOR_DEFAULTS = { ...SHARED_DEFAULTS, ...HTTP_DEFAULTS } as const;
