import {
  ChecksPageInput,
  MonitorId,
  MonitorIds,
  MonitorPageInput,
  ResponseTimesInput,
  UpdateMonitorInput,
} from "~/lib/monitors/monitor-input.ts";
import { CreateMonitorInput } from "../../../core/monitor-types/registry.ts";
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
  /** Every monitor of the account, with its settings and current status. */
  list: protectedProcedure.query(({ ctx }) => listMonitors(ctx.scope)),
  /** One monitor, with its settings, status and (heartbeats) push URL. */
  byId: protectedProcedure.input(MonitorId).query(({ ctx, input }) => getMonitor(ctx.scope, input)),
  /** A new monitor of one type (`type`: HTTP when left out, TCP, HEARTBEAT, DNS, TLS); field errors name the setting at fault. */
  create: protectedProcedure.input(CreateMonitorInput).mutation(({ ctx, input }) => createMonitor(ctx.scope, input)),
  /** Changes a monitor's settings; only the fields given change, and only those of its own type. */
  update: protectedProcedure.input(UpdateMonitorInput).mutation(({ ctx, input }) => updateMonitor(ctx.scope, input)),
  /** Stops checking a monitor (no checks, no alerts) until it is resumed. */
  pause: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => pauseMonitor(ctx.scope, input)),
  /** Checks a paused monitor again, at once. */
  resume: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => resumeMonitor(ctx.scope, input)),
  /** Checks a monitor now, outside its schedule (rate-limited). */
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
  /** Deletes a monitor with its results, incidents and alerts. */
  delete: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => deleteMonitor(ctx.scope, input)),
  /** A copy of a monitor (paused), with the same settings and channels. */
  duplicate: protectedProcedure.input(MonitorId).mutation(({ ctx, input }) => duplicateMonitor(ctx.scope, input)),
  /** Pauses several monitors at once (rate-limited). */
  pauseMany: protectedProcedure
    .use(rateLimited("bulkAction"))
    .input(MonitorIds)
    .mutation(({ ctx, input }) => setMonitorsActive(ctx.scope, { ids: input.ids, active: false })),
  /** Resumes several monitors at once (rate-limited). */
  resumeMany: protectedProcedure
    .use(rateLimited("bulkAction"))
    .input(MonitorIds)
    .mutation(({ ctx, input }) => setMonitorsActive(ctx.scope, { ids: input.ids, active: true })),

  // Dashboard reads: from rollups, cheap however long the history.
  /** One page of the list: search, status, tag, sort (app/lib/monitors/list-view.ts). */
  overview: protectedProcedure.input(ListMonitorsInput).query(({ ctx, input }) => listMonitorPage(ctx.scope, input)),
  /** A monitor's uptime over 24 hours, 7, 30 and 90 days, and its response-time percentiles. */
  stats: protectedProcedure.input(MonitorId).query(({ ctx, input }) => monitorStats(ctx.scope, input)),
  /** Response times for a chart, over a chosen range (raw checks for short ranges, rollups for long ones). */
  responseTimes: protectedProcedure
    .input(ResponseTimesInput)
    .query(({ ctx, input }) => responseTimes(ctx.scope, input)),
  /** A monitor's incidents, newest first, with their causes and durations. */
  incidents: protectedProcedure.input(MonitorPageInput).query(({ ctx, input }) => listIncidents(ctx.scope, input)),
  /** A monitor's latest checks, a page at a time (status, timings, error). */
  checks: protectedProcedure.input(ChecksPageInput).query(({ ctx, input }) => listChecks(ctx.scope, input)),
});
