/**
 * What every probe answers, and how a failure is named: the shared half of the probes
 * (one per monitor type, beside this file). A down target is data (`status: "DOWN"` with
 * an error class), never an exception.
 */
import type { ErrorClass } from "../../../core/domain/error-class.ts";
import type { CheckStatus } from "../../../core/domain/status.ts";
import { TargetRefusedError, TargetResolutionError } from "../../../core/net/target-policy.ts";

export type { ErrorClass };

export interface Timings {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  ttfbMs: number | null;
  downloadMs: number | null;
}

export interface ResponseSnapshot {
  statusCode: number | null;
  headers: Record<string, string>;
  /** The first KiB of the body, as text. */
  body: string;
}

export interface CheckOutcome {
  status: CheckStatus;
  statusCode: number | null;
  responseTimeMs: number;
  timings: Timings;
  tlsExpiresAt: string | null;
  errorClass: ErrorClass | null;
  error: string | null;
  /** What the failing response looked like (DOWN only), for the incident. */
  snapshot: ResponseSnapshot | null;
}

/** A check's own deadline passed (HTTP and TCP checks alike). */
export class DeadlineError extends Error {
  override name = "DeadlineError";
}

const TLS_CODE = /^(CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|EPROTO$|HOSTNAME_MISMATCH)/;

/** A short error class and message for a failed check. */
export function classifyError(error: unknown): { errorClass: ErrorClass; message: string } {
  if (error instanceof DeadlineError) return { errorClass: "timeout", message: error.message };
  if (error instanceof TargetRefusedError) return { errorClass: "blocked", message: error.message };
  if (error instanceof TargetResolutionError) return { errorClass: "dns", message: error.message };
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code =
    err?.code && err.code.startsWith("UND_ERR") && err.cause?.code ? err.cause.code : (err?.code ?? err?.cause?.code);
  const message = String(err?.message ?? error);
  switch (code) {
    case "ECONNREFUSED":
      return { errorClass: "refused", message: "connection refused" };
    case "ECONNRESET":
    case "EPIPE":
    case "UND_ERR_SOCKET":
      return { errorClass: "reset", message: `connection closed by the server (${message})` };
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return { errorClass: "dns", message };
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return { errorClass: "network", message };
    case "UND_ERR_HEADERS_TIMEOUT":
    case "UND_ERR_BODY_TIMEOUT":
    case "UND_ERR_CONNECT_TIMEOUT":
      return { errorClass: "timeout", message };
  }
  if (code && TLS_CODE.test(code)) return { errorClass: "tls", message: `TLS: ${message}` };
  return { errorClass: "http", message };
}
