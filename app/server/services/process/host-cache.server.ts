/**
 * Custom domain → status page, as every request through the Express host asks it. The
 * claims themselves are domains.server.ts, which forgets a domain here when they change.
 */
import type { Db } from "../../../../core/db/client.ts";
import { PromiseCache } from "./promise-cache.server.ts";

/**
 * What a Host header maps to: a verified domain's page slug, or null for any other host
 * (the app) — claims not verified change nothing. Kept a few seconds: every request asks.
 */
export type HostMatch = { slug: string } | null;

const HOST_CACHE_MS = 10_000;

/** Host → page, kept a few seconds (every request asks). One per process (caches.server.ts); it
 * imports no Scope, since the scope holds the caches. */
export class HostCache {
  private readonly matches = new PromiseCache<string, HostMatch>(HOST_CACHE_MS);

  match(db: Db, host: string, nowMs = Date.now()): Promise<HostMatch> {
    const domain = host.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
    return this.matches.get(
      domain,
      () =>
        db.statusPageDomain
          // The domain's holder, by a unique key: one page at most.
          .findUnique({
            where: { verifiedDomain: domain },
            select: { statusPage: { select: { slug: true } } },
          })
          .then((row): HostMatch => (row ? { slug: row.statusPage.slug } : null)),
      nowMs,
    );
  }

  /** After a change to the domain's claims: the next request asks the database. */
  forget(domain: string): void {
    this.matches.delete(domain);
  }
}
