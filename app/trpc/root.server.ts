import { router } from "./init.server.ts";
import { accountRouter } from "./routers/account.server.ts";
import { authRouter } from "./routers/auth.server.ts";
import { healthProcedure } from "./routers/health.server.ts";
import { heartbeatRouter } from "./routers/heartbeat.server.ts";
import { incidentRouter } from "./routers/incident.server.ts";
import { monitorRouter } from "./routers/monitor.server.ts";
import { notificationRouter } from "./routers/notification.server.ts";
import { maintenanceRouter, statusPageRouter } from "./routers/status-page.server.ts";

export const appRouter = router({
  /** The instance's health: database, runner progress, alert backlog, replica (as GET /healthz). */
  health: healthProcedure,
  monitor: monitorRouter,
  heartbeat: heartbeatRouter,
  incident: incidentRouter,
  auth: authRouter,
  account: accountRouter,
  notification: notificationRouter,
  statusPage: statusPageRouter,
  maintenance: maintenanceRouter,
});

/** The API's type, imported (type-only) by the browser client and external scripts. */
export type AppRouter = typeof appRouter;
