/**
 * Recurring maintenance (issue 18, part 5): occurrences made ahead as maintenance
 * windows at the right local time across a daylight saving change, once each however
 * often they are made; failures inside an occurrence open no incident and the page says
 * maintenance; ending it removes its occurrences. Bounded (issue 25, item 5): a week
 * ahead only, the quota counts what each schedule keeps made at once, and a schedule
 * that never starts within a year is refused.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { makeOccurrences } from "../../core/db/recurring-maintenance.ts";
import { sqlOfPool } from "../../core/db/sql.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { countChecks } from "../support/stored-results.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
const query = sqlOfPool(pool);
const runners: Runner[] = [];
let owner: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  owner = await createUser(db);
});
afterEach(async () => {
  await Promise.all(runners.splice(0).map((runner) => runner.stop()));
});
afterAll(async () => {
  await pool.end();
  await db.$disconnect();
});

/** Hour and minute on the wall clock of `timeZone`, `minutesAgo` before now. */
function localClock(timeZone: string, minutesAgo: number): { hour: number; minute: number } {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", minute: "numeric", hourCycle: "h23" })
    .formatToParts(new Date(Date.now() - minutesAgo * 60_000))
    .reduce<Record<string, string>>((all, part) => ({ ...all, [part.type]: part.value }), {});
  return { hour: Number(parts.hour), minute: Number(parts.minute) };
}

describe("occurrences", () => {
  it("are made at the local time of their zone across a DST change, once however often they are made", async () => {
    const monitor = await createMonitorRow(db, owner.id);
    const api = callerFor(db, { user: owner });
    const created = await api.maintenance.createRecurring({
      title: "Weekly database upkeep",
      schedule: "30 2 * * 0",
      timeZone: "Europe/Berlin",
      durationMinutes: 60,
      monitorIds: [monitor.id],
    });
    // As the runners' housekeeping would, a week before Berlin moves its clocks forward
    // (a week ahead: the one on the day of the change), then a week later (the next).
    const now = new Date("2027-03-22T00:00:00Z");
    expect(await makeOccurrences(query, { recurringId: created.id, now })).toBe(1);
    expect(await makeOccurrences(query, { recurringId: created.id, now })).toBe(0);
    const weekLater = new Date("2027-03-29T00:00:00Z");
    expect(await makeOccurrences(query, { recurringId: created.id, now: weekLater })).toBe(1);
    expect(await makeOccurrences(query, { recurringId: created.id, now: weekLater })).toBe(0);
    const windows = await db.maintenanceWindow.findMany({
      where: { recurringId: created.id, startsAt: { gte: now } },
      orderBy: { startsAt: "asc" },
      include: { monitors: true },
    });
    expect(windows.map((window) => [window.startsAt.toISOString(), window.endsAt.toISOString()])).toEqual([
      // 02:30 does not exist on 28 March in Berlin: 03:30 CEST.
      ["2027-03-28T01:30:00.000Z", "2027-03-28T02:30:00.000Z"],
      // Then 02:30 CEST again.
      ["2027-04-04T00:30:00.000Z", "2027-04-04T01:30:00.000Z"],
    ]);
    expect(windows.every((window) => window.monitors.length === 1 && window.title === "Weekly database upkeep")).toBe(
      true,
    );

    const [listed] = (await api.maintenance.recurring()).filter((series) => series.id === created.id);
    expect(listed!.next.length).toBe(5);
    await api.maintenance.deleteRecurring({ id: created.id });
    expect(await db.maintenanceWindow.count({ where: { recurringId: created.id } })).toBe(0);
  });

  it("mute failures: a monitor down inside one opens no incident, and its page says maintenance", async () => {
    const region = uniqueRegion();
    const port = await closedPort();
    const monitor = await createFastMonitor(db, owner.id, { url: `http://127.0.0.1:${port}/`, regions: [region] });
    const api = callerFor(db, { user: owner });
    // Daily at the wall-clock minute that passed two minutes ago in Kolkata (UTC+05:30): under way now.
    const { hour, minute } = localClock("Asia/Kolkata", 2);
    await api.maintenance.createRecurring({
      title: "Nightly reindex",
      schedule: `${minute} ${hour} * * *`,
      timeZone: "Asia/Kolkata",
      durationMinutes: 30,
      monitorIds: [monitor.id],
    });
    const page = await api.statusPage.create({ name: "Reindex status", slug: unique("reindex") });
    await api.statusPage.setMonitors({ id: page.id, monitors: [{ monitorId: monitor.id, displayName: "Search" }] });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });

    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    await eventually(
      "three failed checks",
      async () => (await countChecks(db, monitor.id, { status: "DOWN" })) >= 3 || null,
    );
    expect(await db.incident.count({ where: { monitorId: monitor.id } })).toBe(0);
    expect(await db.notificationDelivery.count({ where: { monitorId: monitor.id } })).toBe(0);
    const view = await callerFor(db).statusPage.public({ slug: page.slug });
    expect(view.overall).toBe("maintenance");
    expect(view.maintenance).toEqual([expect.objectContaining({ title: "Nightly reindex", active: true })]);
  });

  it("refuse a schedule or time zone that cannot be read, naming the field", async () => {
    const monitor = await createMonitorRow(db, owner.id);
    const api = callerFor(db, { user: owner });
    const fields = async (input: { schedule: string; timeZone: string }) => {
      const error = (await api.maintenance
        .createRecurring({ title: "x", durationMinutes: 10, monitorIds: [monitor.id], ...input })
        .catch((caught: unknown) => caught)) as { cause?: { issues?: { path: PropertyKey[] }[] } };
      return error.cause?.issues?.map((issue) => issue.path[0]);
    };
    expect(await fields({ schedule: "0 25 * * *", timeZone: "Europe/Berlin" })).toEqual(["schedule"]);
    expect(await fields({ schedule: "0 2 * * *", timeZone: "Mars/Olympus" })).toEqual(["timeZone"]);
  });
});

describe("bounds", () => {
  /** The error a creation fails with: its code, message and field errors. */
  async function refusal(
    api: ReturnType<typeof callerFor>,
    input: Parameters<typeof api.maintenance.createRecurring>[0],
  ) {
    const error = (await api.maintenance.createRecurring(input).then(
      () => null,
      (caught: unknown) => caught,
    )) as { code: string; message: string; cause?: { fieldErrors?: Record<string, string[]> } } | null;
    expect(error, "the creation was refused").not.toBeNull();
    return { code: error!.code, message: error!.message, fieldErrors: error!.cause?.fieldErrors };
  }

  it("refuse a schedule that never starts within a year, naming the schedule, and make nothing", async () => {
    const user = await createUser(db);
    const monitor = await createMonitorRow(db, user.id);
    const api = callerFor(db, { user });
    const refused = await refusal(api, {
      title: "Never",
      schedule: "0 0 30 2 5#5",
      timeZone: "UTC",
      durationMinutes: 60,
      monitorIds: [monitor.id],
    });
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.fieldErrors?.schedule?.[0]).toMatch(/never starts within the next 12 months/);
    expect(await db.recurringMaintenance.count({ where: { userId: user.id } })).toBe(0);
  });

  it("count what each schedule keeps made at once: one every minute is refused, and housekeeping never passes a reservation", async () => {
    const user = await createUser(db);
    const monitor = await createMonitorRow(db, user.id);
    const api = callerFor(db, { user, env: { MAX_MAINTENANCE_WINDOWS_PER_USER: "20" } });
    const rule = (title: string, schedule: string) => ({
      title,
      schedule,
      timeZone: "UTC",
      durationMinutes: 1,
      monitorIds: [monitor.id],
    });

    // Today's attack: one rule of one minute, every minute — 500 windows in one call.
    const everyMinute = await refusal(api, rule("Every minute", "* * * * *"));
    expect(everyMinute.code).toBe("BAD_REQUEST");
    expect(everyMinute.fieldErrors?.schedule?.[0]).toMatch(/more than 20 times within 7 days/);
    expect(await db.maintenanceWindow.count({ where: { userId: user.id } })).toBe(0);

    // A daily one keeps at most 8 made at once (7 days ahead and the one under way): 8 + 8 fit in 20.
    const first = await api.maintenance.createRecurring(rule("Daily A", "0 4 * * *"));
    await api.maintenance.createRecurring(rule("Daily B", "0 5 * * *"));
    expect(
      (await db.recurringMaintenance.findMany({ where: { userId: user.id } })).map((r) => r.reservedWindows),
    ).toEqual([8, 8]);
    const third = await refusal(api, rule("Daily C", "0 6 * * *"));
    expect(third.code).toBe("FORBIDDEN");
    expect(third.message).toMatch(/You have 16 maintenance windows.*at most 20 per account/);
    // One-off windows take the rest, and no more.
    for (let i = 0; i < 4; i++) {
      await api.maintenance.create({
        title: `One-off ${i}`,
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        monitorIds: [monitor.id],
      });
    }
    await expect(
      api.maintenance.create({
        title: "One too many",
        startsAt: new Date(Date.now() + 86_400_000),
        endsAt: new Date(Date.now() + 90_000_000),
        monitorIds: [monitor.id],
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });

    // Housekeeping, run again and again over the coming days, keeps each rule within its reservation.
    for (let day = 0; day <= 3; day++) {
      const now = new Date(Date.now() + day * 86_400_000);
      await makeOccurrences(query, { now });
      const open = await db.maintenanceWindow.count({ where: { recurringId: first.id, endsAt: { gt: now } } });
      expect(open).toBeLessThanOrEqual(8);
      expect(open).toBeGreaterThanOrEqual(7);
    }
  });

  it("housekeeping makes no more than a schedule reserved, even one made before the bounds", async () => {
    const user = await createUser(db);
    // As a rule stored before this change would be after the migration: what it had, here 5.
    const legacy = await db.recurringMaintenance.create({
      data: {
        userId: user.id,
        title: "Every minute (old)",
        schedule: "* * * * *",
        timeZone: "UTC",
        durationMinutes: 1,
        reservedWindows: 5,
      },
    });
    expect(await makeOccurrences(query, { recurringId: legacy.id })).toBe(5);
    expect(await makeOccurrences(query, { recurringId: legacy.id })).toBe(0);
    const windows = await db.maintenanceWindow.findMany({
      where: { recurringId: legacy.id },
      orderBy: { startsAt: "asc" },
    });
    expect(windows).toHaveLength(5);
    // The earliest ones: the coming minutes.
    expect(windows[0]!.startsAt.getTime()).toBeLessThan(Date.now() + 2 * 60_000);
  });
});
