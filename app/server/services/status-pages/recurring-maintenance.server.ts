/**
 * Maintenance that comes back (weekly, monthly, any cron schedule) in the owner's time
 * zone. Its occurrences are made as ordinary maintenance windows a week ahead — now,
 * for a new one, and by the runners' housekeeping from then on (core/db/recurring-maintenance.ts) —
 * so alerts are muted and pages show maintenance during each, across DST changes too.
 *
 * Bounded: a schedule that never starts within a year is refused, and one counts against
 * the owner's maintenance quota as many windows as it ever has made at once (its peak
 * over the week ahead, see windowDemand), reserved when it is created — so a `* * * * *`
 * schedule is refused, and later one-off windows can never crowd out its occurrences.
 */
import type { z } from "zod";
import type { CreateRecurringMaintenanceInput } from "~/lib/status-pages/status-page-input.ts";
import { HORIZON_DAYS, occurrences, windowDemand, type Occurrence } from "../../../../core/domain/recurrence.ts";
import { makeOccurrences } from "../../../../core/db/recurring-maintenance.ts";
import { createWithinQuota } from "../quotas.server.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import { invalidatePagesShowing } from "./published-page.server.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";

export interface RecurringMaintenanceView {
  id: string;
  title: string;
  description: string | null;
  schedule: string;
  timeZone: string;
  durationMinutes: number;
  monitors: { id: string; name: string }[];
  /** The next few occurrences (under way or to come). */
  next: Occurrence[];
}

const NEXT_SHOWN = 5;

export async function listRecurringMaintenance({ db, userId }: OwnerScope): Promise<RecurringMaintenanceView[]> {
  const rows = await db.recurringMaintenance.findMany({
    where: { userId },
    orderBy: { createdAt: "asc" },
    include: { monitors: { include: { monitor: { select: { id: true, name: true, url: true } } } } },
  });
  const now = new Date();
  const yearAhead = new Date(now.getTime() + 366 * 86_400_000);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    schedule: row.schedule,
    timeZone: row.timeZone,
    durationMinutes: row.durationMinutes,
    monitors: row.monitors.map(({ monitor }) => ({ id: monitor.id, name: monitor.name ?? monitor.url })),
    next: occurrences(row, now, yearAhead, NEXT_SHOWN),
  }));
}

export async function createRecurringMaintenance(
  scope: OwnerScope,
  input: z.output<typeof CreateRecurringMaintenanceInput>,
  imported: { importKey?: string } = {},
): Promise<{ id: string; next: Occurrence[] }> {
  const { userId } = scope;
  const limit = scope.env.MAX_MAINTENANCE_WINDOWS_PER_USER;
  const demand = windowDemand(input, new Date(), limit);
  if (!demand.firstStart) {
    throw new ValidationError({
      schedule: [
        "This schedule never starts within the next 12 months (a day that does not exist, such as 30 February?): choose days that occur",
      ],
    });
  }
  if (demand.peak > limit) {
    throw new ValidationError({
      schedule: [
        `This schedule starts more than ${limit} times within ${HORIZON_DAYS} days, each a maintenance window, and this instance allows at most ${limit} per account (MAX_MAINTENANCE_WINDOWS_PER_USER): choose a less frequent schedule`,
      ],
    });
  }
  const monitorIds = [...new Set(input.monitorIds)];
  await scope.own.monitors(monitorIds);
  const created = await createWithinQuota(
    scope,
    "maintenanceWindows",
    async (tx) => {
      const row = await tx.recurringMaintenance.create({
        data: {
          userId,
          importKey: imported.importKey ?? null,
          title: input.title,
          description: input.description ?? null,
          schedule: input.schedule,
          timeZone: input.timeZone,
          durationMinutes: input.durationMinutes,
          reservedWindows: demand.peak,
          monitors: { create: monitorIds.map((monitorId) => ({ monitorId })) },
        },
      });
      await makeOccurrences(sqlOfPrisma(tx), { recurringId: row.id });
      return row;
    },
    demand.peak,
  );
  await invalidatePagesShowing(scope, monitorIds);
  return {
    id: created.id,
    next: occurrences(created, new Date(), new Date(Date.now() + 366 * 86_400_000), NEXT_SHOWN),
  };
}

/** Ends it, with its occurrences (one under way ends now). */
export async function deleteRecurringMaintenance(scope: OwnerScope, { id }: { id: string }): Promise<{ id: string }> {
  const row = await scope.db.recurringMaintenance.findFirst({
    where: { id, userId: scope.userId },
    include: { monitors: { select: { monitorId: true } } },
  });
  if (!row) throw new NotFoundError("Recurring maintenance not found");
  await scope.db.recurringMaintenance.delete({ where: { id: row.id } });
  await invalidatePagesShowing(
    scope,
    row.monitors.map((monitor) => monitor.monitorId),
  );
  return { id: row.id };
}
