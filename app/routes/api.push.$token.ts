import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { TRPCError } from "@trpc/server";
import { publicCaller } from "~/trpc/caller.server.ts";

/**
 * A heartbeat monitor's push URL: GET or POST /api/push/<token>[?status=down&msg=…].
 * No session: the token is the credential. Plain-text answers a shell script can read.
 */
async function ping({ request, params, context }: LoaderFunctionArgs | ActionFunctionArgs): Promise<Response> {
  const query = new URL(request.url).searchParams;
  try {
    await publicCaller(context, request).heartbeat.ping({
      token: params.token ?? "",
      status: (query.get("status")?.toLowerCase() as "up" | "down" | undefined) ?? undefined,
      msg: query.get("msg") ?? undefined,
    });
    return text(200, "OK\n");
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    switch (error.code) {
      case "NOT_FOUND":
        return text(404, "No heartbeat monitor has this push URL.\n");
      case "TOO_MANY_REQUESTS": {
        const retryAfter = (error.cause as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds ?? 60;
        return text(429, `${error.message}\n`, { "Retry-After": String(retryAfter) });
      }
      case "BAD_REQUEST":
        // A token that cannot be one is an unknown push URL, like any other wrong token.
        return /token/i.test(error.message)
          ? text(404, "No heartbeat monitor has this push URL.\n")
          : text(400, `${error.message}\n`);
      default:
        throw error;
    }
  }
}

function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

export const loader = ping;
export const action = ping;
