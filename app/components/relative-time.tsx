import { useEffect, useState } from "react";
import { formatDateTime } from "../../core/text/format.ts";
import { useTimeZone } from "./ui/date-time.tsx";

function describe(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 5) return "just now";
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** "12 s ago", ticking. Server and first render show the same text (no hydration mismatch). */
export function RelativeTime({ date, now: serverNow }: { date: string | Date | null; now: number }) {
  const [now, setNow] = useState(serverNow);
  const timeZone = useTimeZone();
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  if (!date) return <span className="text-slate-500">never</span>;
  const ms = new Date(date).getTime();
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatDateTime(ms, timeZone)}>
      {describe(ms, now)}
    </time>
  );
}
