/**
 * An undici connector that only ever connects to an address the target policy approved
 * (the same IP it checked: DNS rebinding cannot swap another in), and reports the
 * connection's phases. Used for checks and for webhook deliveries — both aim at URLs
 * users typed in.
 */
import net from "node:net";
import { performance } from "node:perf_hooks";
import tls from "node:tls";
import { approveTarget, isIpLiteral, type Resolver, type TargetPolicy } from "../../core/net/target-policy.ts";

/** Opens the TCP (or TLS) connection to an approved IP. Injected in tests to count sockets. */
export type SocketOpener = (options: { ip: string; port: number; tls: TlsOptions | null }) => net.Socket;

export interface TlsOptions {
  servername: string | undefined;
  /** false: finish the handshake whatever the certificate (the caller judges it, or ignores it). */
  rejectUnauthorized: boolean;
  /** The certificate authorities to trust; undefined = Node's. */
  ca: string[] | undefined;
}

export interface GuardedDependencies {
  policy: TargetPolicy;
  resolve: Resolver;
  openSocket?: SocketOpener;
  /** Node's root certificates plus the operator's (EXTRA_CA_CERTS); undefined = Node's alone. */
  trustedCa?: string[];
}

export interface ConnectionPhases {
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  /** performance.now() when the connection (TLS included) was ready. */
  readyAt: number | null;
  tlsExpiresAt: string | null;
  /** True until the host name has been resolved (a deadline before then is a DNS failure). */
  resolving: boolean;
}

const defaultOpenSocket: SocketOpener = ({ ip, port, tls: tlsOptions }) =>
  tlsOptions
    ? tls.connect({ host: ip, port, ...tlsOptions, ALPNProtocols: ["http/1.1"] })
    : net.connect({ host: ip, port });

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

type ConnectCallback = (...args: [null, net.Socket] | [Error, null]) => void;

/**
 * `acceptAnyCertificate`: complete the handshake whatever the certificate — HTTP checks
 * with "ignore TLS errors", and certificate checks, which judge it themselves.
 */
export function guardedConnector(
  deps: GuardedDependencies,
  isHttps: boolean,
  signal: AbortSignal,
  acceptAnyCertificate = false,
) {
  const phases: ConnectionPhases = {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    readyAt: null,
    tlsExpiresAt: null,
    resolving: false,
  };
  const openSocket = deps.openSocket ?? defaultOpenSocket;

  const connect = async (options: { hostname: string; port: string }): Promise<net.Socket> => {
    const begin = performance.now();
    phases.resolving = true;
    // A lookup outliving the check's deadline must not hold the connection attempt (and
    // the check's result) until DNS itself gives up.
    const ip = await abortable(approveTarget(options.hostname, deps.policy, deps.resolve), signal);
    phases.resolving = false;
    phases.dnsMs = Math.round(performance.now() - begin);
    const hostname = options.hostname.replace(/^\[|\]$/g, "");
    const socket = openSocket({
      ip,
      port: Number(options.port) || (isHttps ? 443 : 80),
      tls: isHttps
        ? {
            servername: isIpLiteral(hostname) ? undefined : hostname,
            rejectUnauthorized: !acceptAnyCertificate,
            ca: deps.trustedCa,
          }
        : null,
    });
    socket.setNoDelay(true);
    const abort = () => socket.destroy(signal.reason as Error);
    signal.addEventListener("abort", abort, { once: true });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.once("connect", () => {
          const now = performance.now();
          phases.connectMs = Math.round(now - begin - phases.dnsMs!);
          phases.readyAt = now;
          if (!isHttps) resolve();
        });
        if (isHttps) {
          socket.once("secureConnect", () => {
            const now = performance.now();
            phases.tlsMs = Math.round(now - phases.readyAt!);
            phases.readyAt = now;
            const certificate = (socket as tls.TLSSocket).getPeerCertificate();
            if (certificate?.valid_to) phases.tlsExpiresAt = new Date(certificate.valid_to).toISOString();
            resolve();
          });
        }
      });
    } finally {
      signal.removeEventListener("abort", abort);
      socket.removeAllListeners("error");
    }
    return socket;
  };

  return {
    phases,
    connector: (options: { hostname: string; port: string }, callback: ConnectCallback) => {
      connect(options).then(
        (socket) => callback(null, socket),
        (error: Error) => callback(error, null),
      );
    },
  };
}
