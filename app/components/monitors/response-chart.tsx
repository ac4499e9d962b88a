import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import type { RouterOutputs } from "~/lib/router-types.ts";

/** A point as the `monitor.responseTimes` procedure returns it. */
export type ChartPoint = RouterOutputs["monitor"]["responseTimes"][number];

/** Phase, label, colour; uPlot's own legend names them and shows values on hover. */
const PHASES = [
  ["dns", "DNS", "#a78bfa"],
  ["connect", "Connect", "#60a5fa"],
  ["tls", "TLS", "#22d3ee"],
  ["ttfb", "First byte", "#34d399"],
  ["download", "Download", "#fbbf24"],
] as const;

/**
 * Response time with its phases stacked (DNS → download), plus p50/p95 where known.
 * uPlot: ~50 KB, draws thousands of points on a canvas without breaking a sweat. It
 * needs the DOM, so it loads in the browser; the table below is the accessible version.
 */
export function ResponseChart({ points, label }: { points: ChartPoint[]; label: string }) {
  const container = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const element = container.current;
    if (!element || points.length === 0) return;
    let chart: uPlot | undefined;
    let cancelled = false;
    const dark = document.documentElement.classList.contains("dark");
    void import("uplot")
      .then(({ default: UPlot }) => {
        if (cancelled) return;
        const times = points.map((p) => p.t / 1000);
        // Stack the phases: each series is the running sum up to that phase, drawn from the
        // tallest (the total) down, so each smaller band paints over the one above it.
        let running = points.map(() => 0);
        const stacked = PHASES.map(([key]) => {
          running = running.map((sum, i) => sum + (points[i]![key] ?? 0));
          return [...running];
        }).reverse();
        const phaseSeries = [...PHASES].reverse();
        const hasPercentiles = points.some((p) => p.p95 !== null);
        const axis = { stroke: dark ? "#94a3b8" : "#475569", grid: { stroke: dark ? "#1e293b" : "#e2e8f0" } };
        chart = new UPlot(
          {
            width: element.clientWidth,
            height: 240,
            scales: { x: { time: true } },
            axes: [axis, { ...axis, size: 70, values: (_u, values) => values.map((v) => `${v} ms`) }],
            series: [
              {},
              ...phaseSeries.map(([, name, color]) => ({ label: name, stroke: color, fill: `${color}55`, width: 1 })),
              ...(hasPercentiles
                ? [
                    { label: "p50", stroke: dark ? "#e2e8f0" : "#0f172a", width: 1, dash: [4, 4] },
                    { label: "p95", stroke: "#ef4444", width: 1.5 },
                  ]
                : []),
            ],
          },
          [
            times,
            ...stacked,
            ...(hasPercentiles ? [points.map((p) => p.p50), points.map((p) => p.p95)] : []),
          ] as uPlot.AlignedData,
          element,
        );
      })
      .catch(() => setFailed(true));
    const resize = () => chart?.setSize({ width: element.clientWidth, height: 240 });
    window.addEventListener("resize", resize);
    return () => {
      cancelled = true;
      window.removeEventListener("resize", resize);
      chart?.destroy();
    };
  }, [points]);

  if (points.length === 0) {
    return (
      <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">
        No successful checks in this range yet.
      </p>
    );
  }
  return (
    <figure>
      <div ref={container} role="img" aria-label={label} className="min-h-[240px] w-full" />
      {failed ? <p className="text-sm text-red-700">The chart could not be drawn.</p> : null}
    </figure>
  );
}
