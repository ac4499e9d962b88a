import {
  ChecksPageInput,
  CreateMonitorInput,
  MonitorId,
  MonitorIds,
  MonitorPageInput,
  ResponseTimesInput,
  UpdateMonitorInput,
} from "~/lib/monitors/monitor-input.ts";
import {
  listChecks,
  listIncidents,
  listMonitorSummaries,
  monitorStats,
  responseTimes,
} from "~/server/services/monitors/dashboard.server.ts";
import {
  checkMonitorNow,
  deleteMonitor,
  duplicateMonitor,
  getMonitor,
  listMonitors,
  pauseMonitor,
  resumeMonitor,
  setMonitorsActive,
} from "~/server/services/monitors/monitor-actions.server.ts";
import type { MonitorServiceContext } from "~/server/services/monitors/context.server.ts";
import { createMonitor, updateMonitor } from "~/server/services/monitors/write-monitor.server.ts";
import { protectedProcedure, rateLimited, router, type SessionUser, type TrpcContext } from "../init.server.ts";

function services(ctx: TrpcContext & { user: SessionUser }): MonitorServiceContext {
  return { db: ctx.db, userId: ctx.user.id, env: ctx.env, resolve: ctx.resolve };
}

/** Monitors of the signed-in user. Routers validate and delegate; the rules live in services. */
export const monitorRouter = router({
  list: protectedProcedure.query(({ ctx }) => listMonitors(services(ctx))),
  byId: protectedProcedure.input(MonitorId).query(({ ctx, input }) => getMonitor(services(ctx), input.id)),
  create: protectedProcedure
    .input(CreateMonitorInput)
    .mutation(({ ctx, input }) => createMonitor(services(ctx), input)),
  update: protectedProcedure
    .input(UpdateMonitorInput)
    .mutation(({ ctx, input }) => updateMonitor(services(ctx), input)),
  pause: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => pauseMonitor(services(ctx), input.id)),
  resume: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => resumeMonitor(services(ctx), input.id)),
  checkNow: protectedProcedure
    .use(rateLimited("checkNow"))
    .input(MonitorId)
    .mutation(({ ctx, input }) => checkMonitorNow(services(ctx), input.id)),
  delete: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => deleteMonitor(services(ctx), input.id)),
  duplicate: protectedProcedure
    .input(MonitorId)
    .mutation(({ ctx, input }) => duplicateMonitor(services(ctx), input.id)),
  pauseMany: protectedProcedure
    .use(rateLimited("bulkAction"))
    .input(MonitorIds)
    .mutation(({ ctx, input }) => setMonitorsActive(services(ctx), input.ids, false)),
  resumeMany: protectedProcedure
    .use(rateLimited("bulkAction"))
    .input(MonitorIds)
    .mutation(({ ctx, input }) => setMonitorsActive(services(ctx), input.ids, true)),

  // Dashboard reads: from rollups, cheap however long the history.
  overview: protectedProcedure.query(({ ctx }) => listMonitorSummaries(ctx.db, ctx.user.id)),
  stats: protectedProcedure.input(MonitorId).query(({ ctx, input }) => monitorStats(ctx.db, ctx.user.id, input.id)),
  responseTimes: protectedProcedure
    .input(ResponseTimesInput)
    .query(({ ctx, input }) => responseTimes(ctx.db, ctx.user.id, input.id, input.range)),
  incidents: protectedProcedure
    .input(MonitorPageInput)
    .query(({ ctx, input }) => listIncidents(ctx.db, ctx.user.id, input.id, input.cursor)),
  checks: protectedProcedure
    .input(ChecksPageInput)
    .query(({ ctx, input }) => listChecks(ctx.db, ctx.user.id, input.id, input.cursor)),
});
