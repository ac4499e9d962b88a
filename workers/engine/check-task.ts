/**
 * The messages between the runner and its check worker threads, checked with zod on
 * the way back (a worker is another thread: trust, but verify).
 */
import { ERROR_CLASSES } from "../../core/domain/error-class.ts";
import { z } from "zod";
import type { CheckOutcome, CheckRequest } from "./http-check.ts";

export interface CheckTask {
  request: CheckRequest;
  /** ALLOWED_TARGET_NETWORKS as text; the worker parses and caches it. */
  allowedNetworks: string;
  /** DNS_SERVERS as text ("" for the system's). */
  dnsServers: string;
}

const timing = z.number().int().nonnegative().nullable();

export const CheckOutcomeSchema = z.object({
  status: z.enum(["UP", "DOWN"]),
  statusCode: z.number().int().nullable(),
  responseTimeMs: z.number().int().nonnegative(),
  timings: z.object({ dnsMs: timing, connectMs: timing, tlsMs: timing, ttfbMs: timing, downloadMs: timing }),
  tlsExpiresAt: z.string().nullable(),
  errorClass: z.enum(ERROR_CLASSES).nullable(),
  error: z.string().nullable(),
  snapshot: z
    .object({ statusCode: z.number().int().nullable(), headers: z.record(z.string(), z.string()), body: z.string() })
    .nullable(),
}) satisfies z.ZodType<CheckOutcome>;

/** A check the runner could not carry out: no verdict on the target, never DOWN. */
export interface RunnerFailure {
  status: null;
  errorClass: "runner";
  error: string;
}

export type CheckVerdict = CheckOutcome | RunnerFailure;
