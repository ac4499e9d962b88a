import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicHeaders, publicPageOr404 } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";

/** The page as JSON, for widgets and scripts: the same public data, readable from any origin. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const page = await publicPageOr404(publicCaller(context, request), params.slug, request);
  return Response.json(page, {
    headers: { ...publicHeaders(page), "Access-Control-Allow-Origin": "*" },
  });
}
