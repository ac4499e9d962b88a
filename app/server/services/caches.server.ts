/**
 * The process's caches, built once by the composition root (main.server.ts) and handed
 * to every request through the context: the Express host and the Remix routes then see
 * the same instances, although each bundle compiles these modules in.
 */
import { HostCache } from "./status-pages/domains.server.ts";
import { PublicPageCache } from "./status-pages/public-page.server.ts";

export interface Caches {
  /** Public status pages by slug, and their versions. */
  publicPages: PublicPageCache;
  /** Custom domain → page. */
  hosts: HostCache;
}

export function createCaches(): Caches {
  return { publicPages: new PublicPageCache(), hosts: new HostCache() };
}
