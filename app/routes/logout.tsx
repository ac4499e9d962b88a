import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearedSessionCookie } from "~/server/auth/session-cookie.server.ts";
import { optionalCaller } from "~/trpc/caller.server.ts";

/** POST only: a link or an image elsewhere cannot log anyone out. */
export async function action({ request, context }: ActionFunctionArgs) {
  const { api } = await optionalCaller(context, request);
  await api.auth.logOut();
  return redirect("/", { headers: { "Set-Cookie": await clearedSessionCookie(context.env) } });
}

export const loader = () => redirect("/");
