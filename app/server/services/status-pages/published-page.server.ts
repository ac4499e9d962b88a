/**
 * The public page as a visitor is served it (through the process's cache, behind the
 * page's lock) and its invalidation after an owner's change. Kept apart from the page's
 * loader (public-page.server.ts), which imports no Scope.
 */
import type { Scope } from "../scope.server.ts";
import { assertPageOpen, type AccessProof } from "./page-access.server.ts";
import type { PublicStatusPage } from "~/lib/status-pages/public-page.ts";
import { loadPublicStatusPage } from "./public-page.server.ts";

/** After a change to these monitors' incidents or maintenance. */
export async function invalidatePagesShowing(scope: Scope, monitorIds: string[]): Promise<void> {
  const pages = await scope.db.statusPage.findMany({
    where: { monitors: { some: { monitorId: { in: monitorIds } } } },
    select: { slug: true },
  });
  for (const page of pages) scope.caches.publicPages.invalidate(page.slug, scope.reads.freshForMs);
}

/**
 * The published page with this slug (kept a few seconds), or null: unknown and
 * unpublished are both a 404. A private page without a valid proof throws PageLockedError.
 */
export async function publicStatusPage(
  scope: Scope,
  input: { slug: string; access?: AccessProof | undefined },
): Promise<PublicStatusPage | null> {
  const page = await scope.caches.publicPages.get(scope.reads, input.slug, (db, nowMs) =>
    loadPublicStatusPage(db, input.slug, nowMs),
  );
  if (page) await assertPageOpen(scope, page.slug, page.visibility, input.access ?? {});
  return page;
}
