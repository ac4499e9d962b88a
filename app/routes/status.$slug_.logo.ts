import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicCaller } from "~/trpc/caller.server.ts";

/** A published page's logo, served by us (its URL carries a version: cache it a day). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const logo = /^[a-z0-9-]{1,100}$/.test(slug) ? await publicCaller(context, request).statusPage.logo({ slug }) : null;
  if (!logo) return new Response("No logo", { status: 404, headers: { "Cache-Control": "no-store" } });
  return new Response(Buffer.from(logo.base64, "base64"), {
    headers: {
      "Content-Type": logo.contentType,
      "Cache-Control": "public, max-age=86400",
      ETag: `"${logo.sha256}"`,
    },
  });
}
