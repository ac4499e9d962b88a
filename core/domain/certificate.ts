/**
 * Judging a server's certificate (TLS monitors): pure, from what the handshake showed.
 * Each problem is its own cause, so "expired", "wrong name" and "self-signed" read apart.
 */
import type { ErrorClass } from "./error-class.ts";

export interface SeenCertificate {
  validFromMs: number;
  validToMs: number;
  /** OpenSSL's verification code (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, …), null when trusted. */
  authorizationError: string | null;
}

export interface CertificateProblem {
  errorClass: ErrorClass;
  message: string;
}

const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const SELF_SIGNED = new Set(["DEPTH_ZERO_SELF_SIGNED_CERT", "SELF_SIGNED_CERT_IN_CHAIN"]);
const UNTRUSTED = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "CERT_REVOKED",
]);

/** Whole days left before `validToMs` (negative once expired). */
export function daysLeft(validToMs: number, nowMs: number): number {
  return Math.floor((validToMs - nowMs) / DAY_MS);
}

export function certificateProblem(
  certificate: SeenCertificate,
  expiryDays: number,
  nowMs: number,
): CertificateProblem | null {
  const error = certificate.authorizationError;
  if (certificate.validToMs <= nowMs || error === "CERT_HAS_EXPIRED") {
    return { errorClass: "tls", message: `certificate expired on ${day(certificate.validToMs)}` };
  }
  if (certificate.validFromMs > nowMs || error === "CERT_NOT_YET_VALID") {
    return { errorClass: "tls", message: `certificate is not valid until ${day(certificate.validFromMs)}` };
  }
  if (error === "ERR_TLS_CERT_ALTNAME_INVALID" || error?.includes("altnames")) {
    return { errorClass: "tls", message: "certificate is for another hostname" };
  }
  if (error && SELF_SIGNED.has(error)) return { errorClass: "tls", message: "certificate is self-signed" };
  if (error && UNTRUSTED.has(error)) {
    return { errorClass: "tls", message: `certificate chain is not trusted (${error})` };
  }
  if (error) return { errorClass: "tls", message: `certificate is not valid (${error})` };
  const left = daysLeft(certificate.validToMs, nowMs);
  if (left <= expiryDays) {
    return {
      errorClass: "certificate",
      message: `certificate expires in ${left} day${left === 1 ? "" : "s"} (on ${day(certificate.validToMs)}; threshold ${expiryDays} days)`,
    };
  }
  return null;
}
