import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/server/auth/current-user.server.ts";
import { themeCookieHeader, type Theme } from "~/web/theme-cookie.server.ts";
import { readForm } from "~/web/forms/read-form.server.ts";

/** The theme switch posts here (works without JavaScript), then goes back. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const value = form.get("theme");
  const theme: Theme = value === "light" || value === "dark" ? value : "system";
  return redirect(safeRedirect(form.get("redirectTo"), "/"), {
    headers: { "Set-Cookie": await themeCookieHeader(theme) },
  });
}

export const loader = () => redirect("/");
