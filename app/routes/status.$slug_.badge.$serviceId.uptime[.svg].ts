import type { LoaderFunctionArgs } from "@remix-run/node";
import { BADGE_PERIODS, badgePeriod, serviceOn, uptimeBadgeSvg } from "~/web/resources/badges.server.ts";
import { publicHeaders, publicPageOr404 } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";

/** A service's uptime over ?days=1|7|30|90 (default 30) as an SVG badge. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const days = badgePeriod(new URL(request.url).searchParams.get("days"));
  if (days === null) return new Response(`days must be one of ${BADGE_PERIODS.join(", ")}`, { status: 400 });
  const page = await publicPageOr404(publicCaller(context, request), params.slug, request);
  const service = serviceOn(page, params.serviceId);
  if (!service) return new Response("No such service on this page", { status: 404 });
  return new Response(uptimeBadgeSvg(service, days), {
    headers: { "Content-Type": "image/svg+xml; charset=utf-8", ...publicHeaders(page) },
  });
}
