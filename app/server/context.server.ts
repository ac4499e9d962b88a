import type { Db } from "./db/client.server.ts";
import type { Env } from "./env.server.ts";
import type { Logger } from "./logger.server.ts";
import type { Resolver } from "./net/target-policy.server.ts";

/**
 * What the HTTP server hands every Remix loader/action (and through them, tRPC):
 * built once at boot by main.server.ts, so routes never construct clients themselves.
 */
export interface AppContext {
  db: Db;
  env: Env;
  logger: Logger;
  /** DNS for the target policy (monitored URLs); injected so tests never use real DNS. */
  resolve: Resolver;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}

  interface Future {
    v3_singleFetch: true;
  }
}
