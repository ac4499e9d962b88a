/**
 * The viewer's time zone, for dates in the dashboard: the browser writes it to the `tz`
 * cookie (root.tsx) and the server renders in it. No cookie yet, or a zone this runtime
 * does not know: UTC (the dates still name their zone).
 */
import { knownTimeZone } from "../../core/text/format.ts";
import { TIME_ZONE_COOKIE } from "~/lib/time-zone.ts";

export function readTimeZone(request: Request): string {
  const cookies = request.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${TIME_ZONE_COOKIE}=([^;]*)`).exec(cookies);
  if (!match) return "UTC";
  try {
    return knownTimeZone(decodeURIComponent(match[1]!));
  } catch {
    return "UTC";
  }
}
