import type { Db } from "../../core/db/client.ts";
import type { Env } from "../../core/env.ts";
import type { Logger } from "../../core/logger.ts";
import type { Mailer } from "./mail/mailer.server.ts";
import type { DomainResolver } from "../../core/net/domain-resolver.ts";
import type { Resolver } from "../../core/net/target-policy.ts";
import type { RateLimits } from "./services/auth/rate-limits.server.ts";
import type { RunnerLiveness } from "./services/health.server.ts";

/**
 * What the process builds once at boot (main.server.ts) and hands every request, so
 * routes and procedures never construct clients themselves.
 */
export interface AppContext {
  db: Db;
  env: Env;
  logger: Logger;
  /** DNS for the target policy (monitored URLs); injected so tests never use real DNS. */
  resolve: Resolver;
  /** DNS for custom-domain verification (DNS_SERVERS); tests run their own server. */
  dns: DomainResolver;
  mailer: Mailer;
  rateLimits: RateLimits;
  /** The runner in this process, if any: its last signs of progress, for /healthz. */
  liveness: () => RunnerLiveness | undefined;
}

/** Per request: the app context plus who is asking (for rate limits). */
export interface RequestContext extends AppContext {
  clientIp: string;
  /** This request's Content-Security-Policy nonce, for the document's inline scripts. */
  cspNonce: string;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends RequestContext {}

  interface Future {
    v3_singleFetch: true;
  }
}
