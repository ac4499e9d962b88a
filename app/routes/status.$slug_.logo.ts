import type { LoaderFunctionArgs } from "@remix-run/node";
import { accessProofOf } from "~/web/resources/public-page.server.ts";
import { publicCaller } from "~/trpc/caller.server.ts";
import { refusalCode } from "~/web/forms/action-result.server.ts";

const noLogo = () => new Response("No logo", { status: 404, headers: { "Cache-Control": "no-store" } });

/** A published page's logo, served by us (its URL carries a version: cache it a day). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const slug = params.slug ?? "";
  if (!/^[a-z0-9-]{1,100}$/.test(slug)) return noLogo();
  let logo;
  try {
    logo = await publicCaller(context, request).statusPage.logo({ slug, access: accessProofOf(request, slug) });
  } catch (error) {
    // A private page's logo is for those who may see the page.
    if (refusalCode(error) === "UNAUTHORIZED") return noLogo();
    throw error;
  }
  if (!logo) return noLogo();
  return new Response(Buffer.from(logo.base64, "base64"), {
    headers: {
      "Content-Type": logo.contentType,
      // A private page's logo stays in the visitor's own browser cache only.
      "Cache-Control": logo.private ? "private, max-age=86400" : "public, max-age=86400",
      ETag: `"${logo.sha256}"`,
    },
  });
}
