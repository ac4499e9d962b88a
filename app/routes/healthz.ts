import type { LoaderFunctionArgs } from "@remix-run/node";
import { createCaller } from "~/trpc/caller.server.ts";

/** Liveness for load balancers and orchestrators: 200 only when the database answers. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const health = await (await createCaller(context, request)).health();
  return Response.json(health, {
    status: health.database === "up" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
