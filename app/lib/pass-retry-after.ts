import type { HeadersFunction } from "@remix-run/node";

/**
 * The `headers` of a route whose forms may be refused by a spent rate limit: the
 * action's (or the loader's) `Retry-After` reaches the page, which Remix otherwise drops
 * (it keeps only cookies of routes without a `headers` export). The status (429) and the
 * message come from `actionError` (web/forms/action-result.server.ts).
 */
export const passRetryAfter: HeadersFunction = ({ parentHeaders, actionHeaders, loaderHeaders, errorHeaders }) => {
  const headers = new Headers(parentHeaders);
  const wait = actionHeaders.get("Retry-After") ?? errorHeaders?.get("Retry-After") ?? loaderHeaders.get("Retry-After");
  if (wait) headers.set("Retry-After", wait);
  return headers;
};
