import type { LoaderFunctionArgs } from "@remix-run/node";
import { DomainName } from "~/lib/status-pages/status-page-input.ts";
import { publicCaller } from "~/trpc/caller.server.ts";

/**
 * For a reverse proxy issuing certificates on demand (e.g. Caddy's `on_demand_tls ask`):
 * 200 when `?domain=` is a verified custom domain, 404 otherwise — so nobody can make
 * the proxy request certificates for names that are not ours to serve.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const parsed = DomainName.safeParse(new URL(request.url).searchParams.get("domain") ?? "");
  const verified =
    parsed.success && (await publicCaller(context, request).statusPage.isVerifiedDomain({ domain: parsed.data }));
  return new Response(verified ? "verified\n" : "not a verified domain\n", {
    status: verified ? 200 : 404,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
  });
}
