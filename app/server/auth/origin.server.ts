/**
 * Cross-site request forgery guard for state-changing requests that rely on the session
 * cookie: a browser always sends Origin on POST, so a foreign Origin is refused. (Scripts
 * without cookies, e.g. API tokens, send no Origin and are not affected.)
 */
export function isSameOrigin(request: Request, appUrl: string): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return request.headers.get("sec-fetch-site") !== "cross-site";
  const allowed = new Set([new URL(appUrl).origin, new URL(request.url).origin]);
  return allowed.has(origin);
}

export function assertSameOrigin(request: Request, appUrl: string): void {
  if (!isSameOrigin(request, appUrl)) {
    throw new Response("This form was posted from another site. Reload the page and try again.", { status: 403 });
  }
}
