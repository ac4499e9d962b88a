import type { LoaderFunctionArgs } from "@remix-run/node";
import { uptimeBadge } from "~/server/http/badges.server.ts";

/** ?days=1|7|30|90 (default 30). */
export const loader = ({ request, params, context }: LoaderFunctionArgs) =>
  uptimeBadge(context, params.slug, params.serviceId, new URL(request.url).searchParams.get("days"));
