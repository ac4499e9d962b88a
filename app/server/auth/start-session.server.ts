import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { Caller } from "~/trpc/caller.server.ts";
import { sessionCookie } from "./session-cookie.server.ts";

/** Signs `userId` in (a new session, a new cookie) and redirects. */
export async function startSession(api: Caller, context: AppLoadContext, userId: string, to: string) {
  const { token } = await api.auth.startSession({ userId });
  return redirect(to, { headers: { "Set-Cookie": await sessionCookie(token, context.env) } });
}
