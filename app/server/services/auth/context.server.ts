import type { RequestContext } from "../../context.server.ts";
import type { Db } from "../../../../core/db/client.ts";
import type { Env } from "../../../../core/env.ts";
import type { Logger } from "../../../../core/logger.ts";
import type { Mailer } from "../../mail/mailer.server.ts";
import type { RateLimits } from "./rate-limits.server.ts";

/** What account services need. `clientIp` keys the rate limits. */
export interface AuthServiceContext {
  db: Db;
  env: Pick<Env, "APP_URL" | "GITHUB_API_URL">;
  mailer: Mailer;
  rateLimits: RateLimits;
  logger: Logger;
  clientIp: string;
}

/** The signed-in user, as every request sees it. */
export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  emailVerified: boolean;
}

export const sessionUserSelect = { id: true, email: true, name: true, emailVerified: true } as const;

export function authServicesFor(context: RequestContext): AuthServiceContext {
  return {
    db: context.db,
    env: context.env,
    mailer: context.mailer,
    rateLimits: context.rateLimits,
    logger: context.logger,
    clientIp: context.clientIp,
  };
}
