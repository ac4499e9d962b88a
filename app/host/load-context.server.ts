/**
 * What the host hands every Remix loader and action: the request context procedures run
 * with (server/app-context.server.ts) plus what only the host runs, the live dashboard
 * streams. Declared up here so nothing below tRPC imports the host.
 */
import type { AppContext, RequestContext } from "../server/app-context.server.ts";
import type { MonitorEvents } from "./live/monitor-events.server.ts";

/** What the composition root builds once at boot and the host serves every request with. */
export interface HostContext extends AppContext {
  /** Live dashboard updates (absent where nothing listens, e.g. in unit-level callers). */
  monitorEvents?: MonitorEvents;
}

declare module "@remix-run/node" {
  interface AppLoadContext extends HostContext, RequestContext {}

  interface Future {
    v3_singleFetch: true;
  }
}
