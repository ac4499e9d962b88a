/**
 * Serving status pages on their owners' domains. A request whose Host is a VERIFIED
 * custom domain is answered with that page: `/` is the page, other paths are the page's
 * own (`/feed.atom` → `/status/<slug>/feed.atom`); the rest of the app (login,
 * dashboard, other pages) does not exist there. Every other host — this app's own
 * address, and domains only claimed, not verified — passes through unchanged.
 */
import type { RequestHandler } from "express";
import type { Db } from "../../core/db/client.ts";
import type { HostCache } from "../server/services/process/host-cache.server.ts";

/** Paths kept as they are on a custom domain: fingerprinted assets and the icon. */
const SHARED_PATHS = /^\/(build\/|favicon\.(svg|ico)$)/;

/** Where a custom domain's path leads inside the app, or null: no such page there. */
export function rewriteForPage(slug: string, path: string): string | null {
  const base = `/status/${slug}`;
  if (SHARED_PATHS.test(path)) return path;
  if (path === "/") return base;
  if (path === base || path === `${base}.json` || path.startsWith(`${base}/`)) return path;
  if (path.startsWith("/status/")) return null; // another page: not on this domain
  return `${base}${path}`;
}

export function customDomains(db: Db, hosts: HostCache, appHost: string): RequestHandler {
  const ownHost = appHost.toLowerCase();
  return (req, res, next) => {
    const host = req.hostname?.toLowerCase();
    if (!host || host === ownHost || host === "localhost" || /^[\d.]+$|:/.test(host)) return next();
    hosts.match(db, host).then(
      (match) => {
        if (match === null) return next();
        const target = rewriteForPage(match.slug, req.path);
        if (target === null) {
          res.status(404).type("text/plain").send("Not found\n");
          return;
        }
        const queryAt = req.originalUrl.indexOf("?");
        req.url = req.originalUrl = target + (queryAt >= 0 ? req.originalUrl.slice(queryAt) : "");
        next();
      },
      (error: unknown) => next(error),
    );
  };
}
