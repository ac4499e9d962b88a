import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "./root.server.ts";

/**
 * The browser's typed client. `import type` only: no server code reaches the bundle,
 * yet a call with the wrong input shape fails `npm run typecheck`.
 */
export const trpc = createTRPCClient<AppRouter>({
  // The server refuses batches of more than 20 calls (app/trpc/http.server.ts).
  links: [httpBatchLink({ url: "/api/trpc", maxItems: 20 })],
});
