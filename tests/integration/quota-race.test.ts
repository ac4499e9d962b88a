/**
 * Quotas hold under concurrent creates: an owner one below a quota who fires many creates
 * at once ends with exactly the quota, and every other create gets the quota's refusal
 * (FORBIDDEN, naming the limit) — not a 500, and not one over. Without the owner's lock
 * (app/server/services/quotas.server.ts, createWithinQuota) each create counted quota − 1
 * and all of them inserted.
 *
 * More creates than the pool has connections (10), so waiting at the lock cannot turn
 * into a refusal for want of a connection either.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";

const db = testDb();
afterAll(() => db.$disconnect());

const QUOTA = 3;
const AT_ONCE = 16;

type Api = ReturnType<typeof callerFor>;

interface Kind {
  variable: string;
  /** One create (`i` tells them apart). */
  create: (api: Api, monitorId: string, i: number) => Promise<unknown>;
  count: (userId: string) => Promise<number>;
}

const soon = (hours: number) => new Date(Date.now() + hours * 3_600_000);

const KINDS: Record<string, Kind> = {
  monitors: {
    variable: "MAX_MONITORS_PER_USER",
    create: (api, _monitorId, i) => api.monitor.create({ url: `http://127.0.0.1:9/race-${i}` }),
    // The one made for the maintenance kinds counts too: it is the first of the quota.
    count: (userId) => db.monitor.count({ where: { userId } }),
  },
  "status pages": {
    variable: "MAX_STATUS_PAGES_PER_USER",
    create: (api, _monitorId, i) => api.statusPage.create({ name: `Race ${i}`, slug: unique(`race-${i}`) }),
    count: (userId) => db.statusPage.count({ where: { userId } }),
  },
  "alert channels": {
    variable: "MAX_CHANNELS_PER_USER",
    create: (api, _monitorId, i) =>
      api.notification.create({ type: "WEBHOOK", name: `Race ${i}`, target: `http://127.0.0.1:9/hook-${i}` }),
    count: (userId) => db.notificationChannel.count({ where: { userId } }),
  },
  "API tokens": {
    variable: "MAX_API_TOKENS_PER_USER",
    create: (api, _monitorId, i) => api.account.apiTokens.create({ name: `race ${i}` }),
    count: (userId) => db.apiToken.count({ where: { userId } }),
  },
  "maintenance windows": {
    variable: "MAX_MAINTENANCE_WINDOWS_PER_USER",
    create: (api, monitorId, i) =>
      api.maintenance.create({
        title: `Race ${i}`,
        startsAt: soon(24 + i),
        endsAt: soon(25 + i),
        monitorIds: [monitorId],
      }),
    count: (userId) => db.maintenanceWindow.count({ where: { userId } }),
  },
  "recurring maintenance (one window ahead each)": {
    variable: "MAX_MAINTENANCE_WINDOWS_PER_USER",
    // Monthly: at most one window made at a time, so each reserves one of the quota.
    create: (api, monitorId, i) =>
      api.maintenance.createRecurring({
        title: `Race ${i}`,
        schedule: `0 ${i % 24} 1 * *`,
        timeZone: "UTC",
        durationMinutes: 30,
        monitorIds: [monitorId],
      }),
    count: async (userId) =>
      (await db.recurringMaintenance.aggregate({ where: { userId }, _sum: { reservedWindows: true } }))._sum
        .reservedWindows ?? 0,
  },
};

describe("quotas under concurrent creates", () => {
  for (const [name, kind] of Object.entries(KINDS)) {
    it(`${name}: ${AT_ONCE} at once at quota − 1 make exactly the quota; the rest are told the limit`, async () => {
      const user = await createUser(db);
      const monitor = await createMonitorRow(db, user.id); // what maintenance is for
      const api = callerFor(db, { user, env: { [kind.variable]: String(QUOTA) } });
      while ((await kind.count(user.id)) < QUOTA - 1)
        await kind.create(api, monitor.id, 100 + (await kind.count(user.id)));
      expect(await kind.count(user.id)).toBe(QUOTA - 1);

      const results = await Promise.allSettled(
        Array.from({ length: AT_ONCE }, (_, i) => kind.create(api, monitor.id, i)),
      );

      const refusals = results
        .filter((result) => result.status === "rejected")
        .map((result) => result.reason as unknown);
      const unexpected = refusals.filter(
        (reason) =>
          !(reason instanceof TRPCError) ||
          reason.code !== "FORBIDDEN" ||
          !reason.message.includes(`at most ${QUOTA} per account (${kind.variable})`),
      );
      expect(unexpected.map(String)).toEqual([]);
      expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
      expect(refusals).toHaveLength(AT_ONCE - 1);
      expect(await kind.count(user.id)).toBe(QUOTA);
    });
  }

  it("another owner creating at the same time is counted on its own: all its creates succeed", async () => {
    const [busy, other] = [await createUser(db), await createUser(db)];
    const busyApi = callerFor(db, { user: busy, env: { MAX_STATUS_PAGES_PER_USER: "1" } });
    const otherApi = callerFor(db, { user: other, env: { MAX_STATUS_PAGES_PER_USER: "4" } });
    const results = await Promise.allSettled([
      ...Array.from({ length: 6 }, (_, i) => busyApi.statusPage.create({ name: "Busy", slug: unique(`busy-${i}`) })),
      ...Array.from({ length: 4 }, (_, i) => otherApi.statusPage.create({ name: "Other", slug: unique(`other-${i}`) })),
    ]);
    expect(results.slice(6).map((result) => result.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
    expect(await db.statusPage.count({ where: { userId: busy.id } })).toBe(1);
    expect(await db.statusPage.count({ where: { userId: other.id } })).toBe(4);
  });
});
