import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { RouterOutputs } from "~/trpc/router-types.ts";

/** What a `monitors` event carries: the rows that changed (as JSON: dates are strings) and the account's status counts. */
export interface MonitorChangesEvent {
  monitors: Jsonified<ListItem>[];
  counts: RouterOutputs["monitor"]["overview"]["counts"];
}

type ListItem = RouterOutputs["monitor"]["overview"]["monitors"][number];

/** A changed row with its dates as dates again, as the loader gives them. */
export function revivedListItem(item: MonitorChangesEvent["monitors"][number]): ListItem {
  return {
    ...item,
    statusChangedAt: new Date(item.statusChangedAt),
    lastCheckedAt: item.lastCheckedAt === null ? null : new Date(item.lastCheckedAt),
  };
}

type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/**
 * Follows the signed-in user's monitors by push (GET /monitors/events): `onChange` gets
 * the rows that changed; a `resync` (after a dropped connection) reloads the page's data
 * once, as does the stream's first opening. Nothing is requested while nothing changes. The browser reconnects by itself,
 * sending the last event's id.
 */
export function useMonitorEvents(onChange: (event: MonitorChangesEvent) => void) {
  const { revalidate } = useRevalidator();
  const latest = useRef({ onChange, revalidate });
  latest.current = { onChange, revalidate };
  useEffect(() => {
    const source = new EventSource("/monitors/events");
    // A change between the page's load and the stream's opening reached nobody: once the
    // stream is open (so nothing more can be missed), reload the page's data one time.
    let opened = false;
    source.addEventListener("open", () => {
      if (opened) return; // a reconnect: the server sends `resync` itself
      opened = true;
      latest.current.revalidate();
    });
    source.addEventListener("monitors", (event) => {
      latest.current.onChange(JSON.parse((event as MessageEvent<string>).data) as MonitorChangesEvent);
    });
    source.addEventListener("resync", () => latest.current.revalidate());
    return () => source.close();
  }, []);
}
