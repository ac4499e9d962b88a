/**
 * How numbers and times read, everywhere: the dashboard, status pages, badges, feeds
 * and alert messages say the same thing the same way. Pure and isomorphic (the browser
 * renders with these too), and independent of the reader's locale; times are in the zone
 * given (the dashboard: the viewer's, from a cookie; elsewhere UTC), so the server's HTML
 * and the browser's first render agree.
 */

/** "45 s", "12 min 5 s", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/**
 * Uptime as people read it: "100%", "99.95%", "99.9%", never "0.397 %" of a rounding;
 * two decimals at most (trailing zeros trimmed), "—" for no data.
 */
export function formatPercent(percent: number | null): string {
  if (percent === null) return "—";
  // Below 100 %, never round up to it: 99.9996 % is "99.99%", not "100%".
  // (The epsilon keeps binary fractions from flooring 99.95 to 99.94.)
  const shown = percent >= 100 ? 100 : Math.floor(percent * 100 + 1e-7) / 100;
  return `${Number(shown.toFixed(2))}%`;
}

const DATE_TIMES = new Map<string, Intl.DateTimeFormat>();
const DATES = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone, made once (building one costs ~0.1 ms). */
function formatterFor(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, withTime: boolean) {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      day: "numeric",
      month: "short",
      year: "numeric",
      ...(withTime ? { hour: "2-digit", minute: "2-digit", timeZoneName: "short" } : {}),
    });
    cache.set(timeZone, formatter);
  }
  return formatter;
}

/** An IANA time zone this runtime knows ("Europe/Berlin"), else "UTC". */
export function knownTimeZone(name: string | null | undefined): string {
  if (!name || name.length > 64) return "UTC";
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: name });
    return name;
  } catch {
    return "UTC";
  }
}

/**
 * "30 Nov 2026, 22:08 UTC"; in another zone "30 Nov 2026, 23:08 CET" — the zone is
 * always named. The dashboard passes the viewer's zone; public pages say UTC.
 */
export function formatDateTime(value: Date | string | number, timeZone = "UTC"): string {
  return formatterFor(DATE_TIMES, timeZone, true).format(new Date(value));
}

/** "30 Nov 2026". */
export function formatDate(value: Date | string | number, timeZone = "UTC"): string {
  return formatterFor(DATES, timeZone, false).format(new Date(value));
}
