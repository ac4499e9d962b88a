import type { AppLoadContext } from "@remix-run/node";
import type { TrpcContext } from "./init.server.ts";

/** The tRPC context for one request. Sessions arrive with the accounts work; until then everyone is anonymous. */
export function createTrpcContext(app: AppLoadContext, request: Request | null): TrpcContext {
  return { db: app.db, env: app.env, logger: app.logger, resolve: app.resolve, user: null, request };
}
