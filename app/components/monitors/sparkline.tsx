/** A tiny response-time line (inline SVG; no library needed at this size). */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) return <span className="text-xs text-slate-500">no data</span>;
  const width = 96;
  const height = 24;
  const max = Math.max(...present, 1);
  const step = width / Math.max(1, values.length - 1);
  const segments: string[] = [];
  let current = "";
  values.forEach((value, index) => {
    if (value === null) {
      if (current) segments.push(current);
      current = "";
      return;
    }
    const point = `${(index * step).toFixed(1)},${(height - 2 - (value / max) * (height - 4)).toFixed(1)}`;
    current = current ? `${current} ${point}` : point;
  });
  if (current) segments.push(current);
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      className="text-emerald-600 dark:text-emerald-400"
    >
      {segments.map((points) =>
        points.includes(" ") ? (
          <polyline key={points} points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
        ) : (
          <circle key={points} cx={points.split(",")[0]} cy={points.split(",")[1]} r="1.5" fill="currentColor" />
        ),
      )}
    </svg>
  );
}
