import { CreateMonitorInput, MonitorId, UpdateMonitorInput } from "~/lib/monitors/monitor-input.ts";
import {
  checkMonitorNow,
  deleteMonitor,
  getMonitor,
  listMonitors,
  pauseMonitor,
  resumeMonitor,
} from "~/server/services/monitors/monitor-actions.server.ts";
import type { MonitorServiceContext } from "~/server/services/monitors/context.server.ts";
import { createMonitor, updateMonitor } from "~/server/services/monitors/write-monitor.server.ts";
import { protectedProcedure, router, type SessionUser, type TrpcContext } from "../init.server.ts";

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
  checkNow: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => checkMonitorNow(services(ctx), input.id)),
  delete: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => deleteMonitor(services(ctx), input.id)),
});
