/**
 * Cross-site writes are refused before Remix or tRPC sees them (origin.server.ts
 * says which are cross-site). The one way past is a script's API token: a request whose
 * `Authorization: Bearer` token authenticates carries no ambient credential, so it may
 * come from anywhere — and its cookies are dropped, so a session cookie the browser
 * added cannot act beside the token (the request is the token's user, and only theirs).
 * Any other Authorization changes nothing: Basic (which browsers resend by themselves
 * behind a proxy that asks for it) or a token that does not authenticate is refused like
 * any cross-site form post. Only cross-site writes look a token up; same-site requests
 * and scripts (which send no Origin) cost nothing here.
 */
import type { RequestHandler } from "express";
import { CROSS_SITE_MESSAGE, isCrossSiteWrite } from "./origin.server.ts";
import { bearerToken } from "../server/auth/current-user.server.ts";
import { userForApiToken } from "../server/services/auth/api-tokens.server.ts";
import type { AppContext } from "../server/app-context.server.ts";

export function crossSiteGuard(context: Pick<AppContext, "db">): RequestHandler {
  return (req, res, next) => {
    const crossSite = isCrossSiteWrite({
      method: req.method,
      origin: req.get("origin"),
      host: req.get("host"), // as request-host.server.ts decided it (X-Forwarded-Host from a trusted proxy)
      secFetchSite: req.get("sec-fetch-site"),
    });
    if (!crossSite) return next();
    const refuse = () => void res.status(403).type("text/plain").send(CROSS_SITE_MESSAGE);
    const token = bearerToken(req.get("authorization"));
    if (!token) return refuse();
    userForApiToken(context, { token }).then((user) => {
      if (!user) return refuse();
      delete req.headers.cookie;
      next();
    }, next);
  };
}
