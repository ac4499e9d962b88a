import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRevalidator,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { NavigationProgress } from "~/components/navigation-progress.tsx";
import { SiteHeader } from "~/components/site-header.tsx";
import { optionalCaller } from "~/trpc/caller.server.ts";
import { readTheme } from "~/web/theme-cookie.server.ts";
import { readTimeZone } from "~/web/time-zone-cookie.server.ts";
import { TIME_ZONE_COOKIE } from "~/lib/time-zone.ts";
import stylesheet from "~/tailwind.css";
import { useNonce } from "~/components/nonce.tsx";
import { THEME_SCRIPT } from "~/lib/theme-script.ts";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

/** Public status pages: anonymous whoever asks, so a cached copy can never hold an account. */
const isPublicDocument = (pathname: string) => pathname.startsWith("/status/");

/** Who is signed in, for the header and the verification banner on every page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { user } = isPublicDocument(url.pathname)
    ? { user: null }
    : await optionalCaller(context, request).catch(() => ({ user: null }));
  return {
    user: user ? { email: user.email, name: user.name, emailVerified: user.emailVerified } : null,
    theme: await readTheme(request),
    // Public pages are the same for everyone (and cached): their dates say UTC.
    timeZone: isPublicDocument(url.pathname) ? "UTC" : readTimeZone(request),
    path: `${url.pathname}${url.search}`,
  };
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  // Status pages are plain server-rendered HTML: no scripts (they work without them,
  // and on a custom domain the browser's URL differs from the route's), no app header.
  const publicDocument = useMatches().some(
    (match) => (match.handle as { publicDocument?: boolean } | undefined)?.publicDocument,
  );
  return (
    <html lang="en" className={`h-full ${data?.theme === "dark" ? "dark" : ""}`}>
      <head>
        {data?.theme === "system" || !data ? (
          // Before first paint, so a dark system never flashes a light page.
          // Allowed by its hash in the Content-Security-Policy.
          <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
        ) : null}
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light dark" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-full bg-white text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2"
        >
          Skip to content
        </a>
        {publicDocument ? null : (
          <>
            <NavigationProgress />
            <SiteHeader user={data?.user ?? null} theme={data?.theme ?? "system"} path={data?.path ?? "/"} />
          </>
        )}
        <div id="main">{children}</div>
        {publicDocument ? null : (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        )}
      </body>
    </html>
  );
}

/**
 * Tells the server the browser's time zone (a cookie) and renders again in it, once:
 * the first page a browser sees says UTC, every later one its own zone.
 */
function useViewerTimeZone() {
  const data = useRouteLoaderData<typeof loader>("root");
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === data?.timeZone) return;
    const cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(zone)}`;
    if (document.cookie.split("; ").includes(cookie)) return; // said already; the server did not know the zone
    document.cookie = `${cookie}; path=/; max-age=31536000; samesite=lax`;
    revalidate();
  }, [data?.timeZone, revalidate]);
}

export default function App() {
  useViewerTimeZone();
  return <Outlet />;
}

export { ErrorBoundary } from "~/components/route-error.tsx";
