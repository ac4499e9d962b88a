/**
 * A check result as a runner hands it to the results writer: UP as HTTP 200, DOWN as
 * HTTP 503, in the default region, run on time. For tests that write results directly.
 */
import type { CheckResultRecord } from "../../workers/results/record.ts";

export function checkRecord(monitorId: string, status: "UP" | "DOWN", at = new Date()): CheckResultRecord {
  return {
    monitorId,
    region: "default",
    scheduledAt: at,
    checkedAt: at,
    leaseUntil: null,
    verdict: {
      status,
      statusCode: status === "UP" ? 200 : 503,
      responseTimeMs: 42,
      timings: { dnsMs: 1, connectMs: 1, tlsMs: null, ttfbMs: 30, downloadMs: 1 },
      tlsExpiresAt: null,
      errorClass: status === "UP" ? null : "status",
      error: status === "UP" ? null : "HTTP 503, expected 200-299",
      snapshot: null,
    },
  };
}
