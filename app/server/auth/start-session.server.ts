import type { AppLoadContext } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { createSession } from "../services/auth/sessions.server.ts";
import { sessionCookie } from "./session-cookie.server.ts";

/** Signs `userId` in (a new session, a new cookie) and redirects. */
export async function startSession(context: AppLoadContext, request: Request, userId: string, to: string) {
  const token = await createSession(context.db, userId, request.headers.get("user-agent"));
  return redirect(to, { headers: { "Set-Cookie": await sessionCookie(token, context.env) } });
}
