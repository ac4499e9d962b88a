import {
  ChecksPageInput,
  CreateMonitorInput,
  MonitorId,
  MonitorIds,
  MonitorPageInput,
  ResponseTimesInput,
  UpdateMonitorInput,
} from "~/lib/monitors/monitor-input.ts";
import { listChecks, listIncidents, monitorStats, responseTimes } from "~/server/services/monitors/dashboard.server.ts";
import { listMonitorPage } from "~/server/services/monitors/monitor-list.server.ts";
import {
  checkMonitorNow,
  deleteMonitor,
  duplicateMonitor,
  getMonitor,
  listMonitors,
  pauseMonitor,
  regeneratePushToken,
  resumeMonitor,
  setMonitorsActive,
} from "~/server/services/monitors/monitor-actions.server.ts";
import { ListMonitorsInput } from "~/lib/monitors/list-view.ts";
import { createMonitor, updateMonitor } from "~/server/services/monitors/write-monitor.server.ts";
import { latestPings } from "~/server/services/monitors/heartbeat-pings.server.ts";
import { protectedProcedure, rateLimited, router } from "../init.server.ts";

/** Monitors of the signed-in user. Routers validate and delegate; the rules live in services. */
export const monitorRouter = router({
  list: protectedProcedure.query(({ ctx }) => listMonitors(ctx.scope)),
  byId: protectedProcedure.input(MonitorId).query(({ ctx, input }) => getMonitor(ctx.scope, input)),
  create: protectedProcedure.input(CreateMonitorInput).mutation(({ ctx, input }) => createMonitor(ctx.scope, input)),
  update: protectedProcedure.input(UpdateMonitorInput).mutation(({ ctx, input }) => updateMonitor(ctx.scope, input)),
  pause: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => pauseMonitor(ctx.scope, input)),
  resume: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => resumeMonitor(ctx.scope, input)),
  checkNow: protectedProcedure
    .use(rateLimited("checkNow"))
    .input(MonitorId)
    .mutation(({ ctx, input }) => checkMonitorNow(ctx.scope, input)),
  /** Heartbeat monitors: a new push URL (the old one stops working). */
  regeneratePushToken: protectedProcedure
    .input(MonitorId)
    .mutation(({ ctx, input }) => regeneratePushToken(ctx.scope, input)),
  /** Heartbeat monitors: the latest pings, newest first. */
  pings: protectedProcedure.input(MonitorId).query(({ ctx, input }) => latestPings(ctx.scope, input)),
  delete: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => deleteMonitor(ctx.scope, input)),
  duplicate: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => duplicateMonitor(ctx.scope, input)),
  pauseMany: protectedProcedure
    .use(rateLimited("bulkAction"))
    .input(MonitorIds)
    .mutation(({ ctx, input }) => setMonitorsActive(ctx.scope, { ids: input.ids, active: false })),
  resumeMany: protectedProcedure
    .use(rateLimited("bulkAction"))
    .input(MonitorIds)
    .mutation(({ ctx, input }) => setMonitorsActive(ctx.scope, { ids: input.ids, active: true })),

  // Dashboard reads: from rollups, cheap however long the history.
  /** One page of the list: search, status, tag, sort (app/lib/monitors/list-view.ts). */
  overview: protectedProcedure.input(ListMonitorsInput).query(({ ctx, input }) => listMonitorPage(ctx.scope, input)),
  stats: protectedProcedure.input(MonitorId).query(({ ctx, input }) => monitorStats(ctx.scope, input)),
  responseTimes: protectedProcedure
    .input(ResponseTimesInput)
    .query(({ ctx, input }) => responseTimes(ctx.scope, input)),
  incidents: protectedProcedure.input(MonitorPageInput).query(({ ctx, input }) => listIncidents(ctx.scope, input)),
  checks: protectedProcedure.input(ChecksPageInput).query(({ ctx, input }) => listChecks(ctx.scope, input)),
});
