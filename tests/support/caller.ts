import type { AppLoadContext } from "@remix-run/node";
import { createCallerFactory } from "../../app/trpc/init.server.ts";
import { appRouter } from "../../app/trpc/root.server.ts";
import type { Db } from "../../app/server/db/client.server.ts";
import { loadEnv } from "../../app/server/env.server.ts";
import { createLogger } from "../../app/server/logger.server.ts";
import type { Resolver } from "../../app/server/net/target-policy.server.ts";

/** Tests never use real DNS: names resolve only through this table. */
export function fakeResolver(table: Record<string, string[]> = {}): Resolver {
  return (host) => Promise.resolve(table[host] ?? []);
}

/**
 * A tRPC caller as a route would get it, on the given database, signed in as `user`
 * (or anonymous). Loopback targets are allowed, as in development.
 */
export function callerFor(db: Db, options: { user?: { id: string; email: string }; resolve?: Resolver } = {}) {
  const context: AppLoadContext = {
    db,
    env: loadEnv({ NODE_ENV: "test" }),
    logger: createLogger("silent"),
    resolve: options.resolve ?? fakeResolver(),
  };
  return createCallerFactory(appRouter)({ ...context, user: options.user ?? null, request: null });
}
