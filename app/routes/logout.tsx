import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearedSessionCookie } from "~/server/auth/session-cookie.server.ts";
import { optionalCaller } from "~/trpc/caller.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** POST only: a link or an image elsewhere cannot log anyone out. */
export async function action({ request, context }: ActionFunctionArgs) {
  // The button's form carries nothing this action reads, but a body that is no form is refused (415/400) as at every action.
  await readForm(request);
  const { api } = await optionalCaller(context, request);
  await api.auth.logOut();
  return redirect("/", { headers: { "Set-Cookie": await clearedSessionCookie(context.env) } });
}

export const loader = () => redirect("/");
