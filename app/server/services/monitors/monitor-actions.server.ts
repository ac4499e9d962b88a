/** Reading monitors, and the one-click actions: pause, resume, check now, delete. */
import { NotFoundError, ValidationError } from "../errors.server.ts";
import type { MonitorServiceContext } from "./context.server.ts";
import { toMonitorView, type MonitorView } from "./monitor-view.server.ts";
import { notifySchedulers } from "./write-monitor.server.ts";

async function ownedMonitor(ctx: MonitorServiceContext, id: string) {
  const website = await ctx.db.website.findFirst({ where: { id, userId: ctx.userId } });
  if (!website) throw new NotFoundError("Monitor not found");
  return website;
}

export async function listMonitors(ctx: MonitorServiceContext): Promise<MonitorView[]> {
  const websites = await ctx.db.website.findMany({ where: { userId: ctx.userId }, orderBy: { createdAt: "desc" } });
  return websites.map(toMonitorView);
}

export async function getMonitor(ctx: MonitorServiceContext, id: string): Promise<MonitorView> {
  return toMonitorView(await ownedMonitor(ctx, id));
}

export async function pauseMonitor(ctx: MonitorServiceContext, id: string): Promise<MonitorView> {
  await ownedMonitor(ctx, id);
  const website = await ctx.db.$transaction(async (tx) => {
    await tx.monitorSchedule.updateMany({ where: { websiteId: id }, data: { isActive: false } });
    return tx.website.update({ where: { id }, data: { isActive: false } });
  });
  return toMonitorView(website);
}

export async function resumeMonitor(ctx: MonitorServiceContext, id: string): Promise<MonitorView> {
  await ownedMonitor(ctx, id);
  const website = await ctx.db.$transaction(async (tx) => {
    await tx.monitorSchedule.updateMany({
      where: { websiteId: id },
      data: { isActive: true, nextCheckAt: new Date(), leaseUntil: null, leasedSlot: null },
    });
    const updated = await tx.website.update({ where: { id }, data: { isActive: true } });
    await notifySchedulers(tx);
    return updated;
  });
  return toMonitorView(website);
}

/** Due in every region now; runners pick it up within about a second. */
export async function checkMonitorNow(ctx: MonitorServiceContext, id: string): Promise<MonitorView> {
  const website = await ownedMonitor(ctx, id);
  if (!website.isActive) throw new ValidationError({ id: ["The monitor is paused: resume it to check it"] });
  await ctx.db.$transaction(async (tx) => {
    await tx.monitorSchedule.updateMany({
      where: { websiteId: id },
      data: { nextCheckAt: new Date(), leaseUntil: null, leasedSlot: null },
    });
    await notifySchedulers(tx);
  });
  return toMonitorView(website);
}

export async function deleteMonitor(ctx: MonitorServiceContext, id: string): Promise<{ id: string }> {
  const { count } = await ctx.db.website.deleteMany({ where: { id, userId: ctx.userId } });
  if (count === 0) throw new NotFoundError("Monitor not found");
  return { id };
}
