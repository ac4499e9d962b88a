import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export interface Crumb {
  to: string;
  label: string;
}

const WIDTH = { narrow: "max-w-3xl gap-6", wide: "max-w-5xl gap-8", full: "max-w-6xl gap-8" } as const;

/** A signed-in page: its width, the way back (breadcrumb), its title and actions, its content. */
export function PageShell({
  title,
  actions,
  crumbs = [],
  width = "wide",
  children,
}: {
  /** Omitted when the page draws its own header (the monitor page). */
  title?: ReactNode;
  /** Beside the title (a "New monitor" button). */
  actions?: ReactNode;
  crumbs?: Crumb[];
  width?: keyof typeof WIDTH;
  children: ReactNode;
}) {
  return (
    <main className={`mx-auto flex ${WIDTH[width]} flex-col px-4 py-8 sm:px-6`}>
      {crumbs.length > 0 ? (
        <nav aria-label="Breadcrumb" className="flex gap-2 text-sm">
          {crumbs.map((crumb, index) => (
            <span key={crumb.to} className="flex gap-2">
              {index > 0 ? <span aria-hidden>/</span> : null}
              <Link to={crumb.to} className="underline">
                {crumb.label}
              </Link>
            </span>
          ))}
        </nav>
      ) : null}
      {title && actions ? (
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
          {actions}
        </div>
      ) : title ? (
        <h1 className="text-2xl font-bold tracking-tight">{title}</h1>
      ) : null}
      {children}
    </main>
  );
}
