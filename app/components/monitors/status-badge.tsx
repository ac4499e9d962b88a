import type { DisplayStatus } from "../../../core/domain/status.ts";
const STYLE: Record<DisplayStatus, { dot: string; text: string; label: string }> = {
  UP: { dot: "bg-emerald-500", text: "text-emerald-800 dark:text-emerald-300", label: "Up" },
  DOWN: { dot: "bg-red-600", text: "text-red-800 dark:text-red-300", label: "Down" },
  PENDING: { dot: "bg-amber-400", text: "text-amber-800 dark:text-amber-300", label: "Pending" },
  PAUSED: { dot: "bg-slate-400", text: "text-slate-700 dark:text-slate-300", label: "Paused" },
};

/** Colour and a word: status is never told by colour alone. */

export function StatusBadge({ status, size = "sm" }: { status: DisplayStatus; size?: "sm" | "lg" }) {
  const style = STYLE[status];
  return (
    <span
      data-status={status}
      className={`inline-flex items-center gap-1.5 font-semibold ${style.text} ${size === "lg" ? "text-lg" : "text-sm"}`}
    >
      <span
        aria-hidden
        className={`inline-block rounded-full ${style.dot} ${size === "lg" ? "h-3 w-3" : "h-2.5 w-2.5"}`}
      />
      {style.label}
    </span>
  );
}
