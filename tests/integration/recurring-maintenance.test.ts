/**
 * Recurring maintenance (issue 18, part 5): occurrences made ahead as maintenance
 * windows at the right local time across a daylight saving change, once each however
 * often they are made; failures inside an occurrence open no incident and the page says
 * maintenance; ending it removes its occurrences.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { makeOccurrences, type QueryRows } from "../../core/db/recurring-maintenance.ts";
import { createPgPool } from "../../core/db/pg-pool.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser, createWebsite, unique } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { countChecks } from "../support/stored-results.ts";

const db = testDb();
const pool = createPgPool(inject("databaseUrl"), 2);
const query: QueryRows = async <Row>(sql: string, values: unknown[]) => (await pool.query(sql, values)).rows as Row[];
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
    const monitor = await createWebsite(db, owner.id);
    const api = callerFor(db, { user: owner });
    const created = await api.maintenance.createRecurring({
      title: "Weekly database upkeep",
      schedule: "30 2 * * 0",
      timeZone: "Europe/Berlin",
      durationMinutes: 60,
      websiteIds: [monitor.id],
    });
    // As the runners' housekeeping would, a week before Berlin moves its clocks forward.
    const now = new Date("2027-03-22T00:00:00Z");
    expect(await makeOccurrences(query, { recurringId: created.id, now })).toBe(2);
    expect(await makeOccurrences(query, { recurringId: created.id, now })).toBe(0);
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
      websiteIds: [monitor.id],
    });
    const page = await api.statusPage.create({ name: "Reindex status", slug: unique("reindex") });
    await api.statusPage.setMonitors({ id: page.id, monitors: [{ websiteId: monitor.id, displayName: "Search" }] });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });

    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    await eventually(
      "three failed checks",
      async () => (await countChecks(db, monitor.id, { status: "DOWN" })) >= 3 || null,
    );
    expect(await db.incident.count({ where: { websiteId: monitor.id } })).toBe(0);
    expect(await db.notificationDelivery.count({ where: { websiteId: monitor.id } })).toBe(0);
    const view = await callerFor(db).statusPage.public({ slug: page.slug });
    expect(view.overall).toBe("maintenance");
    expect(view.maintenance).toEqual([expect.objectContaining({ title: "Nightly reindex", active: true })]);
  });

  it("refuse a schedule or time zone that cannot be read, naming the field", async () => {
    const monitor = await createWebsite(db, owner.id);
    const api = callerFor(db, { user: owner });
    const fields = async (input: { schedule: string; timeZone: string }) => {
      const error = (await api.maintenance
        .createRecurring({ title: "x", durationMinutes: 10, websiteIds: [monitor.id], ...input })
        .catch((caught: unknown) => caught)) as { cause?: { issues?: { path: PropertyKey[] }[] } };
      return error.cause?.issues?.map((issue) => issue.path[0]);
    };
    expect(await fields({ schedule: "0 25 * * *", timeZone: "Europe/Berlin" })).toEqual(["schedule"]);
    expect(await fields({ schedule: "0 2 * * *", timeZone: "Mars/Olympus" })).toEqual(["timeZone"]);
  });
});
