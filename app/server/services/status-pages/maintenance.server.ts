/**
 * Maintenance windows: planned work on some monitors. During one, failures open no
 * incident (so no alerts and no downtime: see workers/results/plan.ts), and
 * pages showing those monitors say "maintenance". Subscribers hear of it when it is
 * scheduled.
 */
import { createWithinQuota } from "../quotas.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import type { z } from "zod";
import type { CreateMaintenanceInput } from "~/lib/status-pages/status-page-input.ts";
import { enqueueMaintenanceForSubscribers } from "../../../../core/outbox/enqueue.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";
import { NotFoundError } from "../errors.server.ts";
import { invalidatePagesShowing } from "./published-page.server.ts";

export interface MaintenanceView {
  id: string;
  title: string;
  description: string | null;
  startsAt: Date;
  endsAt: Date;
  monitors: { id: string; name: string }[];
}

const PAST_SHOWN_MS = 30 * 86_400_000;

/** Upcoming, current and the last 30 days' windows. */
export async function listMaintenance({ db, userId }: OwnerScope): Promise<MaintenanceView[]> {
  const windows = await db.maintenanceWindow.findMany({
    // One-off windows; a recurring maintenance lists its own occurrences (recurring-maintenance.server.ts).
    where: { userId, recurringId: null, endsAt: { gt: new Date(Date.now() - PAST_SHOWN_MS) } },
    orderBy: { startsAt: "desc" },
    take: 100,
    include: { monitors: { include: { monitor: { select: { id: true, name: true, url: true } } } } },
  });
  return windows.map((window) => ({
    id: window.id,
    title: window.title,
    description: window.description,
    startsAt: window.startsAt,
    endsAt: window.endsAt,
    monitors: window.monitors.map(({ monitor }) => ({ id: monitor.id, name: monitor.name ?? monitor.url })),
  }));
}

export async function createMaintenance(
  scope: OwnerScope,
  input: z.output<typeof CreateMaintenanceInput>,
  imported: { importKey?: string } = {},
): Promise<{ id: string }> {
  const { userId } = scope;
  const monitorIds = [...new Set(input.monitorIds)];
  await scope.own.monitors(monitorIds);
  const window = await createWithinQuota(scope, "maintenanceWindows", async (tx) => {
    const created = await tx.maintenanceWindow.create({
      data: {
        userId,
        importKey: imported.importKey ?? null,
        title: input.title,
        description: input.description ?? null,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        monitors: { create: monitorIds.map((monitorId) => ({ monitorId })) },
      },
    });
    if (created.endsAt.getTime() > Date.now()) {
      await enqueueMaintenanceForSubscribers(sqlOfPrisma(tx), monitorIds, {
        event: "maintenance.scheduled",
        occurredAt: created.createdAt.toISOString(),
        monitor: { id: "", name: null, url: "" },
        incident: null,
        tls: null,
        maintenance: {
          title: created.title,
          description: created.description,
          startsAt: created.startsAt.toISOString(),
          endsAt: created.endsAt.toISOString(),
        },
      });
    }
    return created;
  });
  await invalidatePagesShowing(scope, monitorIds);
  return { id: window.id };
}

export async function deleteMaintenance(scope: OwnerScope, { id }: { id: string }): Promise<{ id: string }> {
  const { db, userId } = scope;
  const window = await db.maintenanceWindow.findFirst({
    where: { id, userId },
    include: { monitors: { select: { monitorId: true } } },
  });
  if (!window) throw new NotFoundError("Maintenance window not found");
  await db.maintenanceWindow.delete({ where: { id: window.id } });
  await invalidatePagesShowing(
    scope,
    window.monitors.map((monitor) => monitor.monitorId),
  );
  return { id: window.id };
}
