/**
 * What the engine's check threads are asked to do, one shape per monitor type (each
 * with its `kind`). The type modules beside this file make them from a stored monitor;
 * the probes (workers/engine/probes/) carry them out. Plain data: they cross to the
 * check threads by structured clone.
 */
import type { Assertion } from "../domain/assertions.ts";
import type { DnsRecordType } from "../domain/dns-answer.ts";
import type { HeartbeatRule, LastPing } from "../domain/heartbeat.ts";
import type { StatusRange } from "../domain/status-codes.ts";

/** An HTTP(S) request and what its answer must look like. */
export interface HttpProbeRequest {
  kind: "http";
  url: string;
  method: string;
  headers: readonly { name: string; value: string }[];
  body: string | null;
  expectedStatus: readonly StatusRange[];
  keyword: string | null;
  keywordMode: "PRESENT" | "ABSENT";
  keywordIgnoreCase: boolean;
  assertions: readonly Assertion[];
  /** A response slower than this is DOWN (null: no limit but the timeout). */
  maxResponseMs: number | null;
  /** Accept any certificate (self-signed, expired, another name): internal services. */
  ignoreTlsErrors: boolean;
  followRedirects: boolean;
  maxRedirects: number;
  timeoutMs: number;
  maxBodyBytes: number;
}

/** A connection to host:port, with a TLS handshake when `tls`. */
export interface TcpProbeRequest {
  kind: "tcp";
  host: string;
  port: number;
  tls: boolean;
  timeoutMs: number;
}

/** A certificate read by a handshake, DOWN when it is bad or expires within `expiryDays`. */
export interface TlsProbeRequest {
  kind: "tls";
  host: string;
  port: number;
  /** DOWN this many days or fewer before the certificate expires. */
  expiryDays: number;
  timeoutMs: number;
}

/** A DNS lookup, DOWN when it fails or (with `expectedValue`) answers something else. */
export interface DnsProbeRequest {
  kind: "dns";
  hostname: string;
  recordType: DnsRecordType;
  /** "ip" or "ip:port" ("[v6]:port"); null: the runner's resolvers. */
  resolver: string | null;
  expectedValue: string | null;
  timeoutMs: number;
}

/** A heartbeat monitor, judged by its last ping when its deadline comes (no network). */
export interface HeartbeatProbeRequest {
  kind: "heartbeat";
  rule: HeartbeatRule;
  lastPing: LastPing | null;
  watchedSinceMs: number;
}

export type ProbeRequest =
  HttpProbeRequest | TcpProbeRequest | TlsProbeRequest | DnsProbeRequest | HeartbeatProbeRequest;
