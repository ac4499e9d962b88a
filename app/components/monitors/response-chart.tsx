import { useEffect, useRef, useState } from "react";
import type uPlot from "uplot";
import type { RouterOutputs } from "~/trpc/router-types.ts";

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
export function ResponseChart({
  points,
  label,
  from,
  to,
}: {
  points: ChartPoint[];
  label: string;
  /** The range shown (ms): the axis spans it whatever the points, so one point sits where it belongs. */
  from: number;
  to: number;
}) {
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
        const drawn = withGaps(points);
        const times = drawn.map((p) => p.t / 1000);
        // Stack the phases: each series is the running sum up to that phase, drawn from the
        // tallest (the total) down, so each smaller band paints over the one above it.
        let running: (number | null)[] = drawn.map((p) => (p.total === null ? null : 0));
        const stacked = PHASES.map(([key]) => {
          running = running.map((sum, i) => (sum === null ? null : sum + (drawn[i]![key] ?? 0)));
          return [...running];
        }).reverse();
        // Few points: show each as a dot (a line of one point draws nothing).
        const dots = { show: points.length <= 60, size: 5 };
        const phaseSeries = [...PHASES].reverse();
        const hasPercentiles = points.some((p) => p.p95 !== null);
        const axis = { stroke: dark ? "#94a3b8" : "#475569", grid: { stroke: dark ? "#1e293b" : "#e2e8f0" } };
        chart = new UPlot(
          {
            width: element.clientWidth,
            height: 240,
            scales: {
              x: { time: true, range: [from / 1000, to / 1000] },
              y: { range: (_u, _min, max) => [0, Math.max(10, max * 1.1)] },
            },
            axes: [axis, { ...axis, size: 70, values: (_u, values) => values.map((v) => `${v} ms`) }],
            series: [
              {},
              ...phaseSeries.map(([, name, color]) => ({
                label: name,
                stroke: color,
                fill: `${color}55`,
                width: 1,
                points: dots,
              })),
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
            ...(hasPercentiles ? [drawn.map((p) => p.p50), drawn.map((p) => p.p95)] : []),
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
  }, [points, from, to]);

  if (points.length === 0) {
    return (
      <p className="py-8 text-center text-sm text-slate-600 dark:text-slate-400">
        No successful checks in this range yet.
      </p>
    );
  }
  return (
    <figure data-points={points.length}>
      <div ref={container} role="img" aria-label={label} className="min-h-[240px] w-full" />
      {failed ? <p className="text-sm text-red-700">The chart could not be drawn.</p> : null}
    </figure>
  );
}

/**
 * The points with an empty one inserted wherever the spacing jumps (a pause, an outage
 * with no successful check): the line breaks there instead of bridging hours.
 */
function withGaps(points: ChartPoint[]): ChartPoint[] {
  if (points.length < 3) return points;
  const steps = points.slice(1).map((point, i) => point.t - points[i]!.t);
  const usual = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)]!;
  const out: ChartPoint[] = [points[0]!];
  points.slice(1).forEach((point, i) => {
    if (steps[i]! > usual * 3) {
      out.push({
        t: points[i]!.t + usual,
        dns: null,
        connect: null,
        tls: null,
        ttfb: null,
        download: null,
        total: null,
        p50: null,
        p95: null,
      });
    }
    out.push(point);
  });
  return out;
}
