/**
 * Cross-site request forgery guard, applied to every state-changing request before
 * Remix or tRPC sees it (cross-site.server.ts). Browsers always send Origin on POST,
 * so a foreign Origin is refused with 403 — unless the request's API token authenticates
 * (the guard decides that, not this pure rule: an Authorization header alone proves
 * nothing, a browser resends Basic credentials by itself).
 *
 * The rule matches Remix's own check (Origin's host = the request's host), which would
 * otherwise answer 500.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export interface RequestOrigin {
  method: string;
  origin: string | undefined;
  /** The request's host: Host, or a trusted proxy's X-Forwarded-Host (request-host.server.ts). */
  host: string | undefined;
  secFetchSite: string | undefined;
}

export function isCrossSiteWrite(request: RequestOrigin): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
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
