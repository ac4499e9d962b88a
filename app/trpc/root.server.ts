import { router } from "./init.server.ts";
import { healthProcedure } from "./routers/health.server.ts";
import { monitorRouter } from "./routers/monitor.server.ts";

export const appRouter = router({
  health: healthProcedure,
  monitor: monitorRouter,
});

/** The API's type, imported (type-only) by the browser client and external scripts. */
export type AppRouter = typeof appRouter;
