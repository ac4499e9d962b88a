import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

/**
 * Every route's error page: a title, what happened in words, and a way back — never a
 * blank page. Unexpected errors say so without internals (those are in the server log).
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const [title, detail] = isRouteErrorResponse(error)
    ? [
        error.status === 404 ? "Not found" : `${error.status} ${error.statusText}`,
        error.status === 404
          ? typeof error.data === "string" && error.data
            ? `${error.data}. It may have been deleted, or the link may be wrong.`
            : "There is no page at this address."
          : String(error.data ?? ""),
      ]
    : [
        "Something went wrong",
        "An unexpected error occurred. Try again in a moment; if it persists, check the server log.",
      ];
  return (
    <main className="mx-auto flex min-h-[50vh] max-w-xl flex-col justify-center gap-4 p-8">
      <title>{`${title} · Better Uptime`}</title>
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="text-slate-600 dark:text-slate-400">{detail}</p>
      <Link className="text-emerald-700 underline dark:text-emerald-400" to="/">
        Back to the home page
      </Link>
    </main>
  );
}
