/**
 * Shared by the public status routes (page, JSON, feed, badges): the published page or
 * a real 404 (or a redirect from a renamed page's former address), and how long shared
 * caches may keep the answer.
 */
import { TRPCError } from "@trpc/server";
import type { Caller } from "~/trpc/caller.server.ts";
import type { PublicStatusPage } from "../services/status-pages/public-page.server.ts";

/** Short: visitors must learn of an outage within seconds; a CDN still absorbs bursts. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30";

const SLUG = /^[a-z0-9-]{1,100}$/i;

function notFound(): Response {
  return new Response("Status page not found", { status: 404, headers: { "Cache-Control": "no-store" } });
}

/**
 * The published page at `slug`, or a thrown 404. A page renamed within the last 30 days
 * is found at its former address too: that throws a permanent redirect to the same path
 * under the new one.
 */
export async function publicPageOr404(
  api: Caller,
  slug: string | undefined,
  request: Request,
): Promise<PublicStatusPage> {
  // Only a slug can name a page: anything else is a 404 before the database is asked.
  if (!slug || !SLUG.test(slug)) throw notFound();
  const wanted = slug.toLowerCase();
  try {
    return await api.statusPage.public({ slug: wanted });
  } catch (error) {
    if (!(error instanceof TRPCError && error.code === "NOT_FOUND")) throw error;
  }
  const renamed = await api.statusPage.renamedTo({ slug: wanted });
  if (!renamed) throw notFound();
  const url = new URL(request.url);
  const rest = url.pathname.slice(url.pathname.toLowerCase().indexOf(wanted) + wanted.length);
  throw new Response(null, {
    status: 301,
    headers: { Location: `/status/${renamed.slug}${rest}${url.search}`, "Cache-Control": "no-store" },
  });
}
