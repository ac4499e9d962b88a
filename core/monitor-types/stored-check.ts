/**
 * What a monitor type reads of a stored monitor to make its probe request: the fields
 * the engine claims with each due check (workers/engine/claim.ts adds the schedule's).
 * Declared once, here, for every type.
 */
import type { KeywordMode, MonitorType } from "../db/generated/enums.ts";
import type { DnsRecordType } from "../domain/dns-answer.ts";

export interface StoredCheck {
  type: MonitorType;
  url: string;
  method: string;
  headers: { name: string; value: string }[];
  body: string | null;
  expectedStatusCodes: string;
  keyword: string | null;
  keywordMode: KeywordMode;
  followRedirects: boolean;
  maxRedirects: number;
  timeoutMs: number;
  intervalSeconds: number;
  createdAt: Date;
  tcpTls: boolean;
  ignoreTlsErrors: boolean;
  keywordIgnoreCase: boolean;
  /** Raw JSON, as stored (core/domain/assertions.ts). */
  assertions: unknown;
  maxResponseMs: number | null;
  heartbeatGraceSeconds: number;
  /** Heartbeat monitors: the last ping (null for other types, or before the first). */
  lastPingAt: Date | null;
  lastPingFailed: boolean | null;
  lastPingMessage: string | null;
  dnsRecordType: DnsRecordType | null;
  dnsResolver: string | null;
  expectedValue: string | null;
  tlsExpiryDays: number | null;
}

/** What the runner sets for every probe (HTTP bodies are read up to this many bytes). */
export interface ProbeLimits {
  maxBodyBytes: number;
}
