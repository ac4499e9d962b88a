/**
 * GET /account/export.json — the signed-in user's whole setup as a file to keep or to
 * import elsewhere (`npm run import`); `?secrets=1` includes header values, webhook URLs,
 * signing secrets and push tokens.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCaller } from "~/trpc/caller.server.ts";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { api } = await requireCaller(context, request);
  const includeSecrets = new URL(request.url).searchParams.get("secrets") === "1";
  const document = await api.account.export({ includeSecrets });
  const day = document.exportedAt?.slice(0, 10) ?? "export";
  return new Response(`${JSON.stringify(document, null, 2)}\n`, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="better-uptime-setup-${day}${includeSecrets ? "-with-secrets" : ""}.json"`,
      // A personal file: never kept by a shared cache (or the browser's, for the secrets).
      "Cache-Control": "private, no-store",
    },
  });
}
