/**
 * Shared by the public status routes (page, JSON, feed, badges): the published page or
 * a real 404 (or a redirect from a renamed page's former address), and how long shared
 * caches may keep the answer.
 */
import { refusalCode } from "../forms/action-result.server.ts";
import type { PublicStatusPage } from "~/lib/status-pages/public-page.ts";
import { accessCookieName, cookieValue } from "~/lib/status-pages/page-access-cookie.ts";

/** The procedures these take (a route's caller has them): typed here, so this module imports no tRPC. */
export interface PublicPageProcedures {
  statusPage: {
    public(input: PublicSlugInput): Promise<PublicStatusPage>;
    renamedTo(input: PublicSlugInput): Promise<{ slug: string } | null>;
  };
}
type PublicSlugInput = { slug: string; access: { cookie?: string; token?: string } };

/** Short: visitors must learn of an outage within seconds; a CDN still absorbs bursts. */
export const PUBLIC_CACHE_CONTROL = "public, max-age=10, stale-while-revalidate=30";

/**
 * How a page's answers may be kept and indexed: a private page's never by a shared
 * cache (ours included: it keeps nothing `private`), unlisted and private ones never by
 * search engines.
 */
export function publicHeaders(page: Pick<PublicStatusPage, "visibility">): Record<string, string> {
  switch (page.visibility) {
    case "PRIVATE":
      return { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow" };
    case "UNLISTED":
      return { "Cache-Control": PUBLIC_CACHE_CONTROL, "X-Robots-Tag": "noindex" };
    case "PUBLIC":
      return { "Cache-Control": PUBLIC_CACHE_CONTROL };
  }
}

/** What the visitor brings for a private page: its cookie, or the page's token as `?token=`. */
export function accessProofOf(request: Request, slug: string): { cookie?: string; token?: string } {
  const cookie = cookieValue(request.headers.get("cookie"), accessCookieName(slug.toLowerCase()));
  const token = new URL(request.url).searchParams.get("token");
  // Only what we could have issued is passed on; anything else is simply no proof.
  return {
    ...(cookie && /^\d{1,12}\.[\w-]{1,100}$/.test(cookie) ? { cookie } : {}),
    ...(token && /^[\w-]{1,100}$/.test(token) ? { token } : {}),
  };
}

/** A private page the visitor may not see: what JSON, feeds and badges answer. */
function locked(): Response {
  return new Response("This status page is private: open it with its password, or add its ?token=.", {
    status: 401,
    headers: { "Cache-Control": "private, no-store", "X-Robots-Tag": "noindex, nofollow" },
  });
}

const SLUG = /^[a-z0-9-]{1,100}$/i;

function notFound(): Response {
  return new Response("Status page not found", { status: 404, headers: { "Cache-Control": "no-store" } });
}

/**
 * The published page at `slug`, "locked" for a private page the visitor has no access to
 * (the page route shows its password form), or a thrown 404. A page renamed within the
 * last 30 days is found at its former address too — a public one by anyone, a private one
 * by a visitor whose access cookie or token opens it, an unlisted one by nobody (its
 * address is its secret): that throws a permanent redirect to the same path under the new one.
 */
export async function publicPageOrLocked(
  api: PublicPageProcedures,
  slug: string | undefined,
  request: Request,
): Promise<PublicStatusPage | "locked"> {
  // Only a slug can name a page: anything else is a 404 before the database is asked.
  if (!slug || !SLUG.test(slug)) throw notFound();
  const wanted = slug.toLowerCase();
  try {
    return await api.statusPage.public({ slug: wanted, access: accessProofOf(request, wanted) });
  } catch (error) {
    const code = refusalCode(error);
    if (code === "UNAUTHORIZED") return "locked";
    if (code !== "NOT_FOUND") throw error;
  }
  // Only for visitors who could open the page (an unlisted one's former address: a 404).
  const renamed = await api.statusPage.renamedTo({ slug: wanted, access: accessProofOf(request, wanted) });
  if (!renamed) throw notFound();
  const url = new URL(request.url);
  const rest = url.pathname.slice(url.pathname.toLowerCase().indexOf(wanted) + wanted.length);
  throw new Response(null, {
    status: 301,
    headers: { Location: `/status/${renamed.slug}${rest}${url.search}`, "Cache-Control": "no-store" },
  });
}

/** As `publicPageOrLocked`, for what has no form to show (JSON, feeds, badges): a locked page is a thrown 401. */
export async function publicPageOr404(
  api: PublicPageProcedures,
  slug: string | undefined,
  request: Request,
): Promise<PublicStatusPage> {
  const page = await publicPageOrLocked(api, slug, request);
  if (page === "locked") throw locked();
  return page;
}
