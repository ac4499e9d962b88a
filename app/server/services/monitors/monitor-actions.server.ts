/** Reading monitors, and the one-click actions: pause, resume, check now, delete. */
import { NotFoundError, ValidationError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import { LIMITS } from "../../../../core/monitor-types/settings.ts";
import { createInputOf, monitorType } from "../../../../core/monitor-types/registry.ts";
import { settingsOf, toMonitorView, type MonitorView } from "./monitor-view.server.ts";
import { createMonitor, notifySchedulers } from "./write-monitor.server.ts";
import { delayResumedHeartbeats, lockMonitors } from "../../../../core/db/queries/monitors.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import { newPushToken } from "./monitor-types.server.ts";

export async function listMonitors(ctx: OwnerScope): Promise<MonitorView[]> {
  const monitors = await ctx.db.monitor.findMany({
    where: { userId: ctx.userId },
    orderBy: { createdAt: "desc" },
    include: { channels: true },
  });
  return monitors.map((monitor) => toMonitorView(monitor, ctx.env.APP_URL));
}

export async function getMonitor(ctx: OwnerScope, { id }: { id: string }): Promise<MonitorView> {
  return toMonitorView(await ctx.own.monitor(id), ctx.env.APP_URL);
}

/**
 * Pauses or resumes monitors, all or none: one id that is not the caller's makes it
 * NOT_FOUND and changes nothing. Resumed monitors are due at once.
 */
export async function setMonitorsActive(
  ctx: OwnerScope,
  { ids, active }: { ids: string[]; active: boolean },
): Promise<MonitorView[]> {
  const unique = [...new Set(ids)];
  await ctx.own.monitors(unique);
  const monitors = await ctx.db.$transaction(async (tx) => {
    // Monitors before their schedules, in id order: the order the result writer locks
    // them in, so the two never wait for each other in a circle (a deadlock).
    await lockMonitors(sqlOfPrisma(tx), unique);
    await tx.monitorSchedule.updateMany({
      where: { monitorId: { in: unique } },
      data: active
        ? { isActive: true, nextCheckAt: new Date(), leaseUntil: null, leasedSlot: null }
        : { isActive: false },
    });
    await tx.monitor.updateMany({ where: { id: { in: unique } }, data: { isActive: active } });
    if (active) {
      // A resumed heartbeat gets a period (and grace) for its job to ping before it is
      // judged: its last ping is from before the pause.
      await delayResumedHeartbeats(sqlOfPrisma(tx), unique);
      await notifySchedulers(tx);
    }
    return tx.monitor.findMany({ where: { id: { in: unique } }, include: { channels: true } });
  });
  return monitors.map((monitor) => toMonitorView(monitor, ctx.env.APP_URL));
}

export async function pauseMonitor(ctx: OwnerScope, { id }: { id: string }): Promise<MonitorView> {
  return (await setMonitorsActive(ctx, { ids: [id], active: false }))[0]!;
}

export async function resumeMonitor(ctx: OwnerScope, { id }: { id: string }): Promise<MonitorView> {
  return (await setMonitorsActive(ctx, { ids: [id], active: true }))[0]!;
}

/** A new monitor with the same settings (header values included), named "… (copy)". */
export async function duplicateMonitor(ctx: OwnerScope, { id }: { id: string }): Promise<MonitorView> {
  const original = await ctx.own.monitor(id);
  const settings = settingsOf(original);
  const name = `${settings.name ?? settings.url} (copy)`.slice(0, LIMITS.nameLength);
  const channelIds = original.channels.map((channel) => channel.channelId);
  return createMonitor(ctx, { ...createInputOf(original, settings), name, channelIds });
}

/** Due in every region now; runners pick it up within about a second. */
export async function checkMonitorNow(ctx: OwnerScope, { id }: { id: string }): Promise<MonitorView> {
  const monitor = await ctx.own.monitor(id);
  if (!monitor.isActive) throw new ValidationError({ id: ["The monitor is paused: resume it to check it"] });
  await ctx.db.$transaction(async (tx) => {
    await tx.monitorSchedule.updateMany({
      where: { monitorId: id },
      data: { nextCheckAt: new Date(), leaseUntil: null, leasedSlot: null },
    });
    await notifySchedulers(tx);
  });
  return toMonitorView(monitor, ctx.env.APP_URL);
}

export async function deleteMonitor(ctx: OwnerScope, { id }: { id: string }): Promise<{ id: string }> {
  const { count } = await ctx.db.monitor.deleteMany({ where: { id, userId: ctx.userId } });
  if (count === 0) throw new NotFoundError("Monitor not found");
  return { id };
}

/**
 * A new push URL for a heartbeat monitor: the old one stops working at once (a leaked
 * URL is revoked this way). Pings already received stay.
 */
export async function regeneratePushToken(ctx: OwnerScope, { id }: { id: string }): Promise<MonitorView> {
  const monitor = await ctx.own.monitor(id);
  if (monitorType(monitor.type).judgedBy !== "pings")
    throw new ValidationError({ id: ["Only heartbeat monitors have a push URL"] });
  const updated = await ctx.db.monitor.update({
    where: { id },
    data: { pushToken: newPushToken() },
    include: { channels: true },
  });
  return toMonitorView(updated, ctx.env.APP_URL);
}
