import type { ReactNode } from "react";

const STYLE = {
  plain: "flex flex-col gap-3",
  panel: "flex flex-col gap-4 rounded-lg border border-slate-200 p-6 dark:border-slate-800",
} as const;

/**
 * A titled part of a page; its heading names it for screen readers (aria-labelledby).
 * `panel`: a bordered card (one form of the account page or the page editor).
 */
export function Section({
  id,
  title,
  variant = "plain",
  children,
}: {
  id: string;
  title: ReactNode;
  variant?: keyof typeof STYLE;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className={STYLE[variant]}>
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}
