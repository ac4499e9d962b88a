/**
 * Shared by the public status routes (page, JSON, feed, badges): the published page or
 * a real 404, and how long shared caches may keep the answer.
 */
import type { AppLoadContext } from "@remix-run/node";
import { FORMER_SLUG_DAYS } from "../services/status-pages/pages.server.ts";
import { publicStatusPage, type PublicStatusPage } from "../services/status-pages/public-page.server.ts";

/** Short: visitors must learn of an outage within seconds; a CDN still absorbs bursts. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30";

/**
 * The published page at `slug`, or a real 404. A page renamed within the last 30 days is
 * found at its former address too: that answers a permanent redirect to the same path
 * under the new one (`request` gives the path).
 */
export async function publicPageOr404(
  context: AppLoadContext,
  slug: string | undefined,
  request?: Request,
): Promise<PublicStatusPage> {
  // Only a slug can name a page (lowercase letters, digits, hyphens): anything else is a
  // 404 before the database is asked (a NUL in the URL answered 500).
  const wanted = slug && /^[a-z0-9-]{1,100}$/i.test(slug) ? slug.toLowerCase() : undefined;
  const page = wanted ? await publicStatusPage(context.db, wanted) : null;
  if (page) return page;
  if (wanted && request) {
    const former = await context.db.statusPageFormerSlug.findUnique({
      where: { slug: wanted },
      select: { renamedAt: true, statusPage: { select: { slug: true, isPublished: true } } },
    });
    if (former?.statusPage.isPublished && former.renamedAt.getTime() >= Date.now() - FORMER_SLUG_DAYS * 86_400_000) {
      const url = new URL(request.url);
      const rest = url.pathname.slice(url.pathname.toLowerCase().indexOf(wanted) + wanted.length);
      throw new Response(null, {
        status: 301,
        headers: { Location: `/status/${former.statusPage.slug}${rest}${url.search}`, "Cache-Control": "no-store" },
      });
    }
  }
  throw new Response("Status page not found", { status: 404, headers: { "Cache-Control": "no-store" } });
}
