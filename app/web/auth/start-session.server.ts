import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { sessionCookie } from "../../server/auth/session-cookie.server.ts";

/** The procedure it takes (a route's caller has it): typed here, so this module imports no tRPC. */
export interface SessionStarter {
  auth: { startSession(input: { userId: string }): Promise<{ token: string }> };
}

/** Signs `userId` in (a new session, a new cookie) and redirects. */
export async function startSession(api: SessionStarter, context: AppLoadContext, userId: string, to: string) {
  const { token } = await api.auth.startSession({ userId });
  return redirect(to, { headers: { "Set-Cookie": await sessionCookie(token, context.env) } });
}
