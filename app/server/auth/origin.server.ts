/**
 * Cross-site request forgery guard, applied to every state-changing request before
 * Remix or tRPC sees it (server.server.ts). Browsers always send Origin on POST, so a
 * foreign Origin is refused with 403. Requests with an Authorization header (scripts
 * with API tokens) carry no ambient credentials and are not affected.
 *
 * The rule matches Remix's own check (Origin's host = the request's host), which would
 * otherwise answer 500.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface RequestOrigin {
  method: string;
  origin: string | undefined;
  /** X-Forwarded-Host (when a proxy sets it) or Host. */
  host: string | undefined;
  secFetchSite: string | undefined;
  hasAuthorization: boolean;
}

export function isCrossSiteWrite(request: RequestOrigin): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase()) || request.hasAuthorization) return false;
  if (request.origin === undefined) return request.secFetchSite === "cross-site";
  let originHost: string;
  try {
    originHost = new URL(request.origin).host;
  } catch {
    return true; // "null" (sandboxed frames, privacy redirects) or garbage
  }
  return originHost !== request.host;
}

export const CROSS_SITE_MESSAGE =
  "This form was posted from another site, so it was refused. Reload the page and try again.";
