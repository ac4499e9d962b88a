/**
 * A TLS certificate check: complete a handshake with host:port (through the guarded
 * connector: the target policy applies) whatever the certificate, then judge it —
 * expired, not valid yet, issued for another name, self-signed, an untrusted chain, or
 * expiring within the monitor's threshold, each its own cause. Never an exception.
 */
import { performance } from "node:perf_hooks";
import type tls from "node:tls";
import { classifyError, DeadlineError, type CheckOutcome } from "./outcome.ts";
import type { TlsProbeRequest } from "../../../core/monitor-types/probe-request.ts";
import { guardedConnector, type GuardedDependencies } from "../guarded-connector.ts";
import { certificateProblem } from "../../../core/domain/certificate.ts";

export async function runTlsCheck(request: TlsProbeRequest, deps: GuardedDependencies): Promise<CheckOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new DeadlineError(`no TLS handshake within ${request.timeoutMs} ms`)),
    request.timeoutMs,
  );
  const { connector, phases } = guardedConnector(deps, true, controller.signal, true);
  const elapsed = () => Math.round(performance.now() - started);
  const base = () => ({
    statusCode: null,
    responseTimeMs: elapsed(),
    timings: { dnsMs: phases.dnsMs, connectMs: phases.connectMs, tlsMs: phases.tlsMs, ttfbMs: null, downloadMs: null },
    tlsExpiresAt: phases.tlsExpiresAt,
    snapshot: null,
  });
  try {
    const socket = await new Promise<tls.TLSSocket>((resolve, reject) => {
      connector({ hostname: request.host, port: String(request.port) }, (error, connected) =>
        error ? reject(error) : resolve(connected as tls.TLSSocket),
      );
    });
    const certificate = socket.getPeerCertificate();
    const problem = certificateProblem(
      {
        validFromMs: Date.parse(certificate.valid_from),
        validToMs: Date.parse(certificate.valid_to),
        authorizationError: socket.authorized ? null : String(socket.authorizationError ?? "untrusted"),
      },
      request.expiryDays,
      Date.now(),
    );
    socket.destroy();
    return problem
      ? { ...base(), status: "DOWN", errorClass: problem.errorClass, error: problem.message }
      : { ...base(), status: "UP", errorClass: null, error: null };
  } catch (error) {
    const reason = controller.signal.aborted ? (controller.signal.reason as Error) : error;
    const { errorClass, message } = classifyError(reason);
    return {
      ...base(),
      status: "DOWN",
      errorClass: phases.resolving && reason instanceof DeadlineError ? "dns" : errorClass,
      error: errorClass === "refused" ? `port ${request.port} refused the connection` : message,
    };
  } finally {
    clearTimeout(deadline);
  }
}
