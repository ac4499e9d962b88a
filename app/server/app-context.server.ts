import type { RunnerLiveness } from "./services/health.server.ts";
import type { Scope } from "./services/scope.server.ts";

/**
 * What the process builds once at boot (main.server.ts, the composition root) and hands
 * every request, so routes and procedures never construct clients or caches themselves.
 * What only the host runs (the live streams) it adds above tRPC: host/load-context.server.ts.
 */
export interface AppContext extends Omit<Scope, "clientIp" | "read"> {
  /** The runner in this process, if any: its last signs of progress, for /healthz. */
  liveness: () => RunnerLiveness | undefined;
}

/** Per request: the app context plus who is asking (for rate limits). */
export interface RequestContext extends AppContext {
  clientIp: string;
  /** This request's Content-Security-Policy nonce, for the document's inline scripts. */
  cspNonce: string;
}
