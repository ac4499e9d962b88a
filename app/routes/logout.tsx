import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearedSessionCookie, readSessionToken } from "~/server/auth/session-cookie.server.ts";
import { endSession } from "~/server/services/auth/sessions.server.ts";

/** POST only: a link or an image elsewhere cannot log anyone out. */
export async function action({ request, context }: ActionFunctionArgs) {
  const token = await readSessionToken(request, context.env);
  if (token) await endSession(context.db, token);
  return redirect("/", { headers: { "Set-Cookie": await clearedSessionCookie(context.env) } });
}

export const loader = () => redirect("/");
