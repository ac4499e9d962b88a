import { useRouteLoaderData } from "@remix-run/react";
import { formatDate, formatDateTime } from "../../../core/text/format.ts";

/** The viewer's time zone as the root loader read it (UTC on public pages and until the browser said). */
export function useTimeZone(): string {
  return useRouteLoaderData<{ timeZone?: string }>("root")?.timeZone ?? "UTC";
}

/** A date and time in the viewer's zone, named: "30 Nov 2026, 23:08 CET". */
export function DateTime({ value, dateOnly = false }: { value: Date | string | number; dateOnly?: boolean }) {
  const timeZone = useTimeZone();
  const date = new Date(value);
  return (
    <time dateTime={date.toISOString()}>{dateOnly ? formatDate(date, timeZone) : formatDateTime(date, timeZone)}</time>
  );
}
