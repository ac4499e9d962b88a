import type { ReactNode } from "react";

export interface Column {
  label: ReactNode;
  /** Extra classes for the header cell (width, responsive hiding). */
  className?: string;
  /** Read by screen readers only (a checkbox column's "Select"). */
  srOnly?: boolean;
}

/**
 * The app's data table: a bordered, horizontally scrolling frame, a header row of
 * `columns`, and the caller's rows (`<tr>`s) as the body.
 * `plain`: no frame or shaded header, for small tables inside a card.
 */
export function Table({
  columns,
  caption,
  plain = false,
  bodyClassName = "",
  children,
}: {
  columns: Column[];
  caption?: string;
  plain?: boolean;
  bodyClassName?: string;
  children: ReactNode;
}) {
  const cell = plain ? "p-2" : "px-3 py-2";
  return (
    <div
      className={plain ? "overflow-x-auto" : "overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800"}
    >
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead
          className={
            plain
              ? "text-slate-600 dark:text-slate-400"
              : "bg-slate-50 text-xs uppercase tracking-wide text-slate-600 dark:bg-slate-900 dark:text-slate-400"
          }
        >
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className={`${cell} ${column.className ?? ""}`.trim()}>
                {column.srOnly ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody
          className={plain ? bodyClassName : `divide-y divide-slate-200 dark:divide-slate-800 ${bodyClassName}`.trim()}
        >
          {children}
        </tbody>
      </table>
    </div>
  );
}
