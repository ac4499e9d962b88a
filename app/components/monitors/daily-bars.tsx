import type { RouterOutputs } from "~/trpc/router-types.ts";
import { uptimeTone } from "../../../core/domain/uptime.ts";
import { formatPercent } from "../../../core/text/format.ts";

/** A day as the status page shows it (the owner's monitor page has the same, with check counts). */
export type DailyBarData =
  RouterOutputs["statusPage"]["public"]["sections"][number]["services"][number]["bars"][number];

const TONE = {
  none: "bg-slate-200 dark:bg-slate-800",
  good: "bg-emerald-500",
  minor: "bg-lime-400",
  major: "bg-amber-500",
  down: "bg-red-600",
} as const;

// One formatter for all bars: toLocaleDateString builds a new one per call (~0.1 ms),
// which made a 50-service status page take most of a second to render.
const DAY_FORMAT = new Intl.DateTimeFormat("en", { month: "short", day: "numeric", timeZone: "UTC" });

function downFor(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function describe(bar: DailyBarData): string {
  const day = DAY_FORMAT.format(new Date(bar.day));
  if (bar.uptimePercent === null) return `${day}: no data`;
  const incidents = bar.incidents === 0 ? "no incidents" : `${bar.incidents} incident${bar.incidents > 1 ? "s" : ""}`;
  const downtime = bar.downtimeSeconds > 0 ? `, ${downFor(bar.downtimeSeconds)} down` : "";
  return `${day}: ${formatPercent(bar.uptimePercent)} uptime, ${incidents}${downtime}`;
}

/** 90 days of uptime, one bar a day; each bar's tooltip (its accessible name too) tells the day. */
export function DailyBars({ bars }: { bars: DailyBarData[] }) {
  return (
    <div>
      {/* Lean markup: a status page repeats this 90 times per service. The title is the
          tooltip and, for assistive technology, the item's name. */}
      <ol
        className="flex h-10 items-stretch gap-px [&>li]:flex-1 [&>li]:rounded-sm"
        aria-label="Daily uptime, last 90 days"
      >
        {bars.map((bar) => (
          <li key={String(bar.day)} title={describe(bar)} className={TONE[uptimeTone(bar.uptimePercent)]} />
        ))}
      </ol>
      <div className="mt-1 flex justify-between text-xs text-slate-500 dark:text-slate-400">
        <span>90 days ago</span>
        <span>Today</span>
      </div>
    </div>
  );
}
