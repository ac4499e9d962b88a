import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedLogo } from "~/server/services/status-pages/logo.server.ts";

/** A published page's logo, served by us (its URL carries a version: cache it a day). */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  const logo = /^[a-z0-9-]{1,100}$/.test(slug) ? await publishedLogo(context.db, slug) : null;
  if (!logo) return new Response("No logo", { status: 404, headers: { "Cache-Control": "no-store" } });
  return new Response(logo.bytes, {
    headers: {
      "Content-Type": logo.contentType,
      "Cache-Control": "public, max-age=86400",
      ETag: `"${logo.sha256}"`,
    },
  });
}
