/**
 * Why a check failed. The order is the stored code (1-based, core/domain/compact-result.ts):
 * append, never reorder.
 */
export const ERROR_CLASSES = [
  "timeout",
  "dns",
  "refused",
  "reset",
  "network",
  "tls",
  "status",
  "keyword",
  "redirect",
  "blocked",
  "http",
  "runner",
  /** A heartbeat monitor's ping is overdue, or the job reported a failure. */
  "heartbeat",
  /** A JSON, header or body-pattern assertion failed, or a DNS answer changed. */
  "assertion",
  /** A TLS certificate expires within the monitor's threshold. */
  "certificate",
  /** The response came, but slower than the monitor's limit. */
  "slow",
] as const;

export type ErrorClass = (typeof ERROR_CLASSES)[number];
