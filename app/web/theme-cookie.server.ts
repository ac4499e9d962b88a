/** The colour theme the visitor chose: light, dark, or the system's (default). */
import { createCookie } from "@remix-run/node";

export type Theme = "light" | "dark" | "system";

const themeCookie = createCookie("theme", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 86_400 });

export async function readTheme(request: Request): Promise<Theme> {
  const value: unknown = await themeCookie.parse(request.headers.get("cookie"));
  return value === "light" || value === "dark" ? value : "system";
}

export function themeCookieHeader(theme: Theme): Promise<string> {
  return themeCookie.serialize(theme);
}
