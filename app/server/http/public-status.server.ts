/**
 * Shared by the public status routes (page, JSON, feed, badges): the published page or
 * a real 404, and how long shared caches may keep the answer.
 */
import type { AppLoadContext } from "@remix-run/node";
import { publicStatusPage, type PublicStatusPage } from "../services/status-pages/public-page.server.ts";

/** Short: visitors must learn of an outage within seconds; a CDN still absorbs bursts. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30";

export async function publicPageOr404(context: AppLoadContext, slug: string | undefined): Promise<PublicStatusPage> {
  const page = slug ? await publicStatusPage(context.db, slug.toLowerCase()) : null;
  if (!page) throw new Response("Status page not found", { status: 404, headers: { "Cache-Control": "no-store" } });
  return page;
}
