import type { LoaderFunctionArgs } from "@remix-run/node";
import { serviceOn, statusBadgeSvg } from "~/web/resources/badges.server.ts";
import { publicHeaders, publicPageOr404 } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";

/** A service's current state as an SVG badge. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await publicPageOr404(publicCaller(context, request), params.slug, request);
  const service = serviceOn(page, params.serviceId);
  if (!service) return new Response("No such service on this page", { status: 404 });
  return new Response(statusBadgeSvg(service), {
    headers: { "Content-Type": "image/svg+xml; charset=utf-8", ...publicHeaders(page) },
  });
}
