/**
 * Public pages by slug, kept a few seconds, and a version per slug that every owner's
 * change bumps: caches of rendered answers key on it, so an owner sees a change at once.
 * One per process, built by the composition root (caches.server.ts). The page's loader
 * comes with each read (status-pages/published-page.server.ts), so the cache, which the
 * scope holds, imports nothing of the services that take a scope.
 */
import type { Db } from "../../../../core/db/client.ts";
import type { ReadRouting } from "../../../../core/db/read-routing.ts";
import type { PublicStatusPage } from "~/lib/status-pages/public-page.ts";
import { PromiseCache } from "./promise-cache.server.ts";

const CACHE_MS = 5_000;

/** Reads one page from the database given (the primary or a replica), or null. */
export type PublicPageLoader = (db: Db, nowMs: number) => Promise<PublicStatusPage | null>;

export class PublicPageCache {
  private readonly pages = new PromiseCache<string, PublicStatusPage | null>(CACHE_MS);
  private readonly versions = new Map<string, number>();
  /** Pages just changed by their owner: read from the primary until a replica has the change. */
  private readonly freshUntil = new Map<string, number>();

  /** The published page with this slug, or null (unknown or unpublished: both a 404). */
  get(reads: ReadRouting, slug: string, load: PublicPageLoader, nowMs = Date.now()): Promise<PublicStatusPage | null> {
    const fresh = (this.freshUntil.get(slug) ?? 0) > nowMs;
    return this.pages.get(slug, () => reads.read(fresh, (db) => load(db, nowMs)), nowMs);
  }

  invalidate(slug: string, freshForMs = 0): void {
    this.pages.delete(slug);
    this.versions.set(slug, (this.versions.get(slug) ?? 0) + 1);
    if (this.versions.size > 10_000) this.versions.delete(this.versions.keys().next().value!);
    if (freshForMs > 0) this.freshUntil.set(slug, Date.now() + freshForMs);
    if (this.freshUntil.size > 10_000) this.freshUntil.delete(this.freshUntil.keys().next().value!);
  }

  version(slug: string): number {
    return this.versions.get(slug) ?? 0;
  }
}
