import type { LoaderFunctionArgs } from "@remix-run/node";
import { publicCaller } from "~/trpc/caller.server.ts";

/**
 * Liveness for load balancers, orchestrators and uptime monitors: 200 only when the
 * database answers and this process's runner is making progress; the JSON says which.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const health = await publicCaller(context, request).health();
  return Response.json(health, {
    status: health.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
