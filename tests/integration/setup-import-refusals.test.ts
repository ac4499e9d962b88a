/**
 * An import item refused midway loses nothing and leaves nothing half made: an update
 * that is refused (an impossible schedule, one past the quota, a domain that is this
 * instance's own, a logo that is no image) leaves the stored item exactly as it was —
 * its row, its monitors, its coming windows — and a new item that is refused leaves no
 * row of it behind. Each names the item and the reason in the report. Items are written
 * one transaction each (app/server/services/transaction-scope.server.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportReport, SetupDocumentInput } from "../../app/lib/setup/setup-document.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, createMonitorRow, unique } from "../support/factories.ts";

const db = testDb();
afterAll(() => db.$disconnect());

type User = Awaited<ReturnType<typeof createUser>>;

/** A document holding only the given sections. */
const document = (sections: Partial<SetupDocumentInput>): SetupDocumentInput => ({
  format: "better-uptime/setup",
  version: 1,
  ...sections,
});

/** Where the report put the item of `kind`, and its note. */
const outcomeOf = (report: ImportReport, kind: string) =>
  (Object.entries(report) as [keyof ImportReport, ImportReport["skipped"]][]).flatMap(([result, items]) =>
    items.filter((item) => item.kind === kind).map((item) => ({ result, name: item.name, note: item.note })),
  );

describe("recurring maintenance updated by an import", () => {
  // Room for the rule and a few one-off windows: the quota is part of what is tested.
  const LIMIT = 10;
  let owner: User;
  let api: ReturnType<typeof callerFor>;
  let monitors: string[];
  let ruleId: string;

  /** The rule as stored: its row, its monitors, and every window it has made (with theirs). */
  const ruleRows = async (userId: string) => {
    const rows = await db.recurringMaintenance.findMany({
      where: { userId },
      include: {
        monitors: { orderBy: { monitorId: "asc" } },
        occurrences: { orderBy: { startsAt: "asc" }, include: { monitors: { orderBy: { monitorId: "asc" } } } },
      },
    });
    // There is something to lose: the rule, with its monitor and windows made.
    expect(rows).toEqual([expect.objectContaining({ monitors: [expect.anything()] })]);
    expect(rows[0]!.occurrences.length).toBeGreaterThan(0);
    return JSON.stringify(rows);
  };

  /** The stored rule as a file names it (never imported: by its id), with `changes`. */
  const changed = (changes: Record<string, unknown>) =>
    document({
      recurringMaintenance: [
        {
          key: ruleId,
          title: "Weekly backups",
          schedule: "0 3 * * 0",
          timeZone: "Europe/Berlin",
          durationMinutes: 45,
          monitors: [monitors[0]!],
          ...changes,
        },
      ],
    });

  beforeAll(async () => {
    owner = await createUser(db);
    api = callerFor(db, { user: owner, env: { MAX_MAINTENANCE_WINDOWS_PER_USER: String(LIMIT) } });
    monitors = (await Promise.all([createMonitorRow(db, owner.id), createMonitorRow(db, owner.id)])).map((m) => m.id);
    ruleId = (
      await api.maintenance.createRecurring({
        title: "Weekly backups",
        schedule: "0 3 * * 0",
        timeZone: "Europe/Berlin",
        durationMinutes: 45,
        monitorIds: [monitors[0]!],
      })
    ).id;
    expect(await db.maintenanceWindow.count({ where: { recurringId: ruleId } })).toBeGreaterThan(0);
  });

  it("into a schedule that never starts (0 0 30 2 5#5): skipped saying why, the rule, its monitors and windows as they were", async () => {
    const before = await ruleRows(owner.id);
    const report = await api.account.import(changed({ schedule: "0 0 30 2 5#5", monitors: monitors }));
    expect(outcomeOf(report, "recurringMaintenance")).toEqual([
      {
        result: "skipped",
        name: "Weekly backups",
        note: expect.stringMatching(/^schedule: This schedule never starts/),
      },
    ]);
    expect(await ruleRows(owner.id)).toBe(before);
  });

  it("into one that starts too often (* * * * *): skipped saying why, nothing changed", async () => {
    const before = await ruleRows(owner.id);
    const report = await api.account.import(changed({ schedule: "* * * * *", title: "Every minute" }));
    expect(outcomeOf(report, "recurringMaintenance")).toEqual([
      {
        result: "skipped",
        name: "Every minute",
        note: expect.stringMatching(/starts more than 10 times within 7 days.*less frequent schedule/),
      },
    ]);
    expect(await ruleRows(owner.id)).toBe(before);
  });

  it("past the account's quota: skipped naming the quota, nothing changed; within it (its own reservation freed), replaced with new windows", async () => {
    const { reservedWindows } = await db.recurringMaintenance.findUniqueOrThrow({ where: { id: ruleId } });
    // One-off windows fill the quota up to the rule's own reservation.
    const soon = Date.now() + 2 * 86_400_000;
    for (let index = 0; index < LIMIT - reservedWindows; index += 1) {
      await api.maintenance.create({
        title: `Filler ${index}`,
        startsAt: new Date(soon + index * 3_600_000),
        endsAt: new Date(soon + index * 3_600_000 + 60_000),
        monitorIds: [monitors[1]!],
      });
    }
    const before = await ruleRows(owner.id);
    // Twice a week keeps more windows made at once than the weekly rule reserved.
    const report = await api.account.import(changed({ schedule: "0 3 * * 0,3", monitors }));
    expect(outcomeOf(report, "recurringMaintenance")).toEqual([
      {
        result: "skipped",
        name: "Weekly backups",
        // Without the rule it replaces, the account has LIMIT - reservedWindows; the new one needs more.
        note: expect.stringMatching(
          new RegExp(
            `^You have ${LIMIT - reservedWindows} maintenance windows.*; this needs \\d+ more, and this instance allows at most ${LIMIT} per account`,
          ),
        ),
      },
    ]);
    expect(await ruleRows(owner.id)).toBe(before);

    // The same cost in windows fits: the rule's own reservation is not counted twice.
    const oldWindows = await db.maintenanceWindow.findMany({ where: { recurringId: ruleId }, select: { id: true } });
    const accepted = await api.account.import(changed({ title: "Weekly backups (new)", monitors }));
    expect(outcomeOf(accepted, "recurringMaintenance")).toEqual([
      { result: "updated", name: "Weekly backups (new)", note: undefined },
    ]);
    const [stored] = await db.recurringMaintenance.findMany({
      where: { userId: owner.id },
      include: { monitors: true, occurrences: { include: { monitors: true } } },
    });
    expect(stored).toMatchObject({ title: "Weekly backups (new)", importKey: ruleId });
    expect(stored!.monitors.map((link) => link.monitorId).sort()).toEqual([...monitors].sort());
    // Its windows were made anew with the new rule, the old ones gone with the old.
    expect(stored!.occurrences.length).toBeGreaterThan(0);
    expect(stored!.occurrences.every((window) => window.title === "Weekly backups (new)")).toBe(true);
    expect(stored!.occurrences.every((window) => window.monitors.length === 2)).toBe(true);
    expect(await db.maintenanceWindow.count({ where: { id: { in: oldWindows.map((window) => window.id) } } })).toBe(0);
  });
});

describe("a one-off maintenance window updated by an import", () => {
  it("refused by the quota: skipped naming it, the window and its monitors as they were", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner, env: { MAX_MAINTENANCE_WINDOWS_PER_USER: "2" } });
    const monitor = await createMonitorRow(db, owner.id);
    const hour = 3_600_000;
    // A window that is over counts against nothing; two to come fill the quota.
    const past = await api.maintenance.create({
      title: "Last week's upgrade",
      startsAt: new Date(Date.now() - 7 * 24 * hour),
      endsAt: new Date(Date.now() - 7 * 24 * hour + hour),
      monitorIds: [monitor.id],
    });
    for (const day of [1, 2]) {
      await api.maintenance.create({
        title: `Upgrade ${day}`,
        startsAt: new Date(Date.now() + day * 24 * hour),
        endsAt: new Date(Date.now() + day * 24 * hour + hour),
        monitorIds: [monitor.id],
      });
    }
    const rows = async () =>
      JSON.stringify(await db.maintenanceWindow.findUnique({ where: { id: past.id }, include: { monitors: true } }));
    const before = await rows();
    const report = await api.account.import(
      document({
        maintenance: [
          {
            key: past.id,
            title: "Next week's upgrade",
            startsAt: new Date(Date.now() + 7 * 24 * hour).toISOString(),
            endsAt: new Date(Date.now() + 7 * 24 * hour + hour).toISOString(),
            monitors: [monitor.id],
          },
        ],
      }),
    );
    expect(outcomeOf(report, "maintenance")).toEqual([
      {
        result: "skipped",
        name: "Next week's upgrade",
        note: expect.stringMatching(/^You have 2 maintenance windows.*at most 2 per account/),
      },
    ]);
    expect(await rows()).toBe(before);
    expect(before).toContain("Last week's upgrade");
  });
});

describe("a status page refused midway by an import", () => {
  let owner: User;
  let api: ReturnType<typeof callerFor>;
  let monitors: string[];

  /** Everything of the account's pages: rows, monitors, sections, domain, logo, former slugs. */
  const pageRows = async () =>
    JSON.stringify(
      await db.statusPage.findMany({
        where: { userId: owner.id },
        orderBy: { createdAt: "asc" },
        include: {
          monitors: { orderBy: { position: "asc" } },
          sections: { orderBy: { position: "asc" } },
          domain: true,
          logo: true,
          formerSlugs: true,
        },
      }),
    );

  beforeAll(async () => {
    owner = await createUser(db);
    api = callerFor(db, { user: owner });
    monitors = (await Promise.all([createMonitorRow(db, owner.id), createMonitorRow(db, owner.id)])).map((m) => m.id);
  });

  it("a new page whose domain is this instance's own: skipped saying why, no page and no links left", async () => {
    const slug = unique("refused");
    const before = await pageRows();
    const report = await api.account.import(
      document({
        statusPages: [
          {
            key: unique("page"),
            name: "Refused page",
            slug,
            domain: { name: "status.localhost" },
            monitors: [{ monitor: monitors[0]!, displayName: "API", section: "Core" }],
          },
        ],
      }),
    );
    expect(outcomeOf(report, "statusPage")).toEqual([
      { result: "skipped", name: "Refused page", note: "domain: Use a domain of your own, not this app's address" },
    ]);
    expect(await db.statusPage.count({ where: { slug } })).toBe(0);
    expect(await pageRows()).toBe(before);
  });

  it("a new page whose logo is no image: skipped saying why, nothing of it stored", async () => {
    const slug = unique("nologo");
    const report = await api.account.import(
      document({
        statusPages: [
          {
            key: unique("page"),
            name: "Page with a bad logo",
            slug,
            logo: Buffer.from("<svg onload=alert(1)></svg>").toString("base64"),
            monitors: [{ monitor: monitors[1]!, displayName: "Web", section: null }],
          },
        ],
      }),
    );
    expect(outcomeOf(report, "statusPage")).toEqual([
      { result: "skipped", name: "Page with a bad logo", note: expect.stringMatching(/^image: /) },
    ]);
    expect(await db.statusPage.count({ where: { slug } })).toBe(0);
    expect(await db.statusPageMonitor.count({ where: { statusPage: { slug } } })).toBe(0);
  });

  it("an existing page renamed, relinked and given a refused domain: skipped, its name, slug, monitors and sections as they were", async () => {
    const slug = unique("kept");
    const page = await api.statusPage.create({ name: "Kept page", slug });
    await api.statusPage.setMonitors({
      id: page.id,
      monitors: [{ monitorId: monitors[0]!, displayName: "API", section: "Core" }],
    });
    const before = await pageRows();
    const report = await api.account.import(
      document({
        statusPages: [
          {
            key: page.id,
            name: "Renamed page",
            slug: unique("renamed"),
            domain: { name: "status.localhost" },
            monitors: [
              { monitor: monitors[1]!, displayName: "Web", section: "Edge" },
              { monitor: monitors[0]!, displayName: "API v2", section: null },
            ],
          },
        ],
      }),
    );
    expect(outcomeOf(report, "statusPage")).toEqual([
      { result: "skipped", name: "Renamed page", note: "domain: Use a domain of your own, not this app's address" },
    ]);
    expect(await pageRows()).toBe(before);
    expect(before).toContain('"name":"Kept page"');
  });

  it("refused, its public page is as it was; accepted, visitors see the change at once (the cache is invalidated once it is stored)", async () => {
    const slug = unique("shown");
    const key = unique("page");
    const entry = { key, name: "Shown page", slug, isPublished: true, monitors: [] };
    await api.account.import(document({ statusPages: [entry] }));
    const visitor = callerFor(db);
    expect(await visitor.statusPage.public({ slug })).toMatchObject({ name: "Shown page" });

    const refused = await api.account.import(
      document({ statusPages: [{ ...entry, name: "Never shown", domain: { name: "status.localhost" } }] }),
    );
    expect(refused.skipped).toHaveLength(1);
    expect(await visitor.statusPage.public({ slug })).toMatchObject({ name: "Shown page" });

    const accepted = await api.account.import(document({ statusPages: [{ ...entry, name: "Shown page, renamed" }] }));
    expect(accepted.updated).toHaveLength(1);
    // Read within the cache's few seconds: only an invalidation after the commit shows it.
    expect(await visitor.statusPage.public({ slug })).toMatchObject({ name: "Shown page, renamed" });
  });
});

describe("a monitor updated by an import", () => {
  it("stores its new settings and its pause together, and its resume likewise", async () => {
    const owner = await createUser(db);
    const api = callerFor(db, { user: owner });
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/health", name: "API" });
    const entry = { key: monitor.id, type: "HTTP" as const, url: "http://127.0.0.1:9/health", intervalSeconds: 60 };
    const stored = () =>
      db.monitor.findUniqueOrThrow({
        where: { id: monitor.id },
        include: { schedules: { select: { isActive: true } } },
      });

    const paused = await api.account.import(
      document({ monitors: [{ ...entry, name: "API (paused)", isActive: false }] }),
    );
    expect(outcomeOf(paused, "monitor")).toEqual([{ result: "updated", name: "API (paused)", note: undefined }]);
    expect(await stored()).toMatchObject({ name: "API (paused)", isActive: false, schedules: [{ isActive: false }] });

    const resumed = await api.account.import(document({ monitors: [{ ...entry, name: "API", isActive: true }] }));
    expect(outcomeOf(resumed, "monitor")).toEqual([{ result: "updated", name: "API", note: undefined }]);
    expect(await stored()).toMatchObject({ name: "API", isActive: true, schedules: [{ isActive: true }] });
  });
});
