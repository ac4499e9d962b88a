import type { RequestContext } from "~/server/context.server.ts";
import { authenticate } from "~/server/auth/current-user.server.ts";
import type { TrpcContext } from "./init.server.ts";

/** The tRPC context for one request: the app's services plus who is asking. */
export async function createTrpcContext(app: RequestContext, request: Request): Promise<TrpcContext> {
  const { user, sessionToken } = await authenticate(app, request);
  return {
    db: app.db,
    env: app.env,
    logger: app.logger,
    resolve: app.resolve,
    dns: app.dns,
    mailer: app.mailer,
    rateLimits: app.rateLimits,
    liveness: app.liveness,
    clientIp: app.clientIp,
    cspNonce: app.cspNonce,
    user,
    sessionToken,
    request,
  };
}
