import { Form, Link } from "@remix-run/react";
import { IntentForm } from "~/components/ui/intent-form.tsx";

export interface HeaderUser {
  email: string;
  name: string | null;
  emailVerified: boolean;
}

type Theme = "light" | "dark" | "system";
const NEXT_THEME: Record<Theme, Theme> = { system: "dark", dark: "light", light: "system" };
const THEME_LABEL: Record<Theme, string> = { system: "System theme", dark: "Dark theme", light: "Light theme" };

/** Cycles system → dark → light; a form, so it works before (and without) JavaScript. */
function ThemeSwitch({ theme, path }: { theme: Theme; path: string }) {
  return (
    <Form method="post" action="/theme">
      <input type="hidden" name="theme" value={NEXT_THEME[theme]} />
      <input type="hidden" name="redirectTo" value={path} />
      <button
        type="submit"
        className="rounded-md px-2 py-1 text-sm hover:bg-slate-100 dark:hover:bg-slate-800"
        aria-label={`${THEME_LABEL[theme]} (switch to ${THEME_LABEL[NEXT_THEME[theme]].toLowerCase()})`}
        title={`Switch to ${THEME_LABEL[NEXT_THEME[theme]].toLowerCase()}`}
      >
        {theme === "dark" ? "☾" : theme === "light" ? "☀" : "◐"}
      </button>
    </Form>
  );
}

export function SiteHeader({ user, theme, path }: { user: HeaderUser | null; theme: Theme; path: string }) {
  return (
    <header className="border-b border-slate-200 dark:border-slate-800">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-6 py-3">
        <Link to="/" className="font-semibold tracking-tight text-emerald-700 dark:text-emerald-400">
          Better Uptime
        </Link>
        <div className="flex items-center gap-4 text-sm">
          <ThemeSwitch theme={theme} path={path} />
          {user ? (
            <>
              <Link to="/monitors" className="font-medium hover:underline">
                Monitors
              </Link>
              <Link to="/alerts" className="font-medium hover:underline">
                Alerts
              </Link>
              <Link to="/status-pages" className="font-medium hover:underline">
                Status pages
              </Link>
              <Link to="/account" className="hover:underline">
                <span className="hidden sm:inline">{user.name ?? user.email}</span>
                <span className="sm:hidden">Account</span>
              </Link>
              <Form method="post" action="/logout">
                <button type="submit" className="hover:underline">
                  Log out
                </button>
              </Form>
            </>
          ) : (
            <>
              <Link to="/login" className="hover:underline">
                Log in
              </Link>
              <Link
                to="/signup"
                className="rounded-md bg-emerald-700 px-3 py-1.5 font-semibold text-white hover:bg-emerald-800 dark:bg-emerald-600"
              >
                Sign up
              </Link>
            </>
          )}
        </div>
      </nav>
      {user && !user.emailVerified ? (
        <div
          role="status"
          className="border-t border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
        >
          <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-2 px-6 py-2 text-sm">
            <span>
              Verify your email address: we sent a link to <strong>{user.email}</strong>. Until then you cannot publish
              a status page.
            </span>
            <IntentForm intent="resendVerification" action="/account">
              <button type="submit" className="font-semibold underline">
                Send the link again
              </button>
            </IntentForm>
          </div>
        </div>
      ) : null}
    </header>
  );
}
