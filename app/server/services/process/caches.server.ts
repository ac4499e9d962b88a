/**
 * The process's caches (and in-memory counters), built once by the composition root
 * (main.server.ts) and handed to every request through the context: the Express host and
 * the Remix routes then see the same instances, although each bundle compiles these
 * modules in.
 */
import { PushLimits } from "./push-limits.server.ts";
import { HostCache } from "./host-cache.server.ts";
import { PublicPageCache } from "./public-page-cache.server.ts";

export interface Caches {
  /** Public status pages by slug, and their versions. */
  publicPages: PublicPageCache;
  /** Custom domain → page. */
  hosts: HostCache;
  /** Heartbeat pings per push token, and unknown tokens per client address. */
  pushLimits: PushLimits;
}

export function createCaches(): Caches {
  return { publicPages: new PublicPageCache(), hosts: new HostCache(), pushLimits: new PushLimits() };
}
