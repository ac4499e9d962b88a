/**
 * A TCP port check: connect to host:port within the timeout — through the same guarded
 * connector as HTTP checks, so the target policy and DNS rules apply before any socket
 * opens — optionally completing a TLS handshake, then close. UP when the connection (and
 * handshake) succeeds; DOWN with the reason otherwise, never an exception.
 */
import { performance } from "node:perf_hooks";
import { classifyError, DeadlineError, type CheckOutcome } from "./outcome.ts";
import type { TcpProbeRequest } from "../../../core/monitor-types/probe-request.ts";
import { guardedConnector, type GuardedDependencies } from "../guarded-connector.ts";
import type net from "node:net";

export async function runTcpCheck(request: TcpProbeRequest, deps: GuardedDependencies): Promise<CheckOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  const deadline = setTimeout(
    () => controller.abort(new DeadlineError(`no connection within ${request.timeoutMs} ms`)),
    request.timeoutMs,
  );
  const { connector, phases } = guardedConnector(deps, request.tls, controller.signal);
  const elapsed = () => Math.round(performance.now() - started);
  const timings = () => ({
    dnsMs: phases.dnsMs,
    connectMs: phases.connectMs,
    tlsMs: phases.tlsMs,
    ttfbMs: null,
    downloadMs: null,
  });
  try {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      connector({ hostname: request.host, port: String(request.port) }, (error, connected) =>
        error ? reject(error) : resolve(connected),
      );
    });
    socket.destroy();
    return {
      status: "UP",
      statusCode: null,
      responseTimeMs: elapsed(),
      timings: timings(),
      tlsExpiresAt: phases.tlsExpiresAt,
      errorClass: null,
      error: null,
      snapshot: null,
    };
  } catch (error) {
    const reason = controller.signal.aborted ? (controller.signal.reason as Error) : error;
    const { errorClass, message } =
      reason instanceof DeadlineError
        ? {
            errorClass: "timeout" as const,
            message: phases.resolving
              ? `DNS lookup of ${request.host} gave no answer within ${request.timeoutMs} ms`
              : `port ${request.port} gave no ${phases.connectMs === null ? "connection" : "TLS handshake"} within ${request.timeoutMs} ms`,
          }
        : classifyError(reason);
    return {
      status: "DOWN",
      statusCode: null,
      responseTimeMs: elapsed(),
      timings: timings(),
      tlsExpiresAt: phases.tlsExpiresAt,
      errorClass: phases.resolving && reason instanceof DeadlineError ? "dns" : errorClass,
      error: errorClass === "refused" ? `port ${request.port} refused the connection` : message,
      snapshot: null,
    };
  } finally {
    clearTimeout(deadline);
  }
}
