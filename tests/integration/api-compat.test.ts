/**
 * What leaves the system keeps its fields. API answers and webhook bodies were captured
 * (as field paths and their types, not values) before the model was renamed from
 * `Monitor` to `Monitor` (issue 27), into tests/fixtures/compat/; every field captured
 * then must still be there, with the same type. Fields may be added, never removed: a
 * script written against an earlier release keeps working until a documented deprecation
 * (docs/api.md, "Deprecated names").
 *
 * The inputs too: the same calls are made with the names the API took then (`monitorId`,
 * `monitorIds`), which it still accepts.
 *
 * To capture again (only when a field is removed on purpose, after its deprecation):
 * `COMPAT_CAPTURE=1 npx vitest run --project integration tests/integration/api-compat.test.ts`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createFastMonitor, eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { OWNER_SEES, seedTenant, type Tenant } from "../support/tenant-fixture.ts";

const FIXTURES = new URL("../fixtures/compat/", import.meta.url);
const capturing = process.env.COMPAT_CAPTURE === "1";

/** Every field path of a value with its type; an array's items merge under `[]`. */
export function fieldsOf(value: unknown, path = "$", into = new Map<string, string>()): Map<string, string> {
  const type = value === null ? "null" : Array.isArray(value) ? "array" : value instanceof Date ? "date" : typeof value;
  const seen = into.get(path);
  // A field that is null in one item and set in another is known by the set type.
  if (seen === undefined || seen === "null") into.set(path, type);
  if (Array.isArray(value)) for (const item of value) fieldsOf(item, `${path}[]`, into);
  else if (type === "object")
    for (const [key, item] of Object.entries(value as object)) fieldsOf(item, `${path}.${key}`, into);
  return into;
}

/** The fields of `before` missing from `after`, or there with another type (null matches any). */
export function removedFields(before: Record<string, string>, after: Map<string, string>): string[] {
  return Object.entries(before)
    .filter(([path, type]) => {
      const now = after.get(path);
      if (now === undefined) return true;
      return type !== "null" && now !== "null" && now !== type;
    })
    .map(([path, type]) => `${path}: ${type} → ${after.get(path) ?? "missing"}`);
}

const db = testDb();
let tenant: Tenant;
let receiver: Receiver;
let api: ReturnType<typeof callerFor>;
let user: Awaited<ReturnType<typeof createUser>>;

beforeAll(async () => {
  receiver = await startReceiver();
  user = await createUser(db);
  tenant = await seedTenant(db, user, "compat");
  api = callerFor(db, { user: { ...user, emailVerified: true } });
});
afterAll(async () => {
  await receiver.stop();
  await db.$disconnect();
});

/** Compares an answer's fields with the capture of the same name (or writes it, capturing). */
function expectFieldsKept(name: string, answer: unknown) {
  const file = new URL(`${name}.json`, FIXTURES);
  const now = fieldsOf(JSON.parse(JSON.stringify(answer)));
  if (capturing) {
    writeFileSync(file, `${JSON.stringify(Object.fromEntries([...now].sort()), null, 2)}\n`);
    return;
  }
  const before = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  expect(Object.keys(before).length).toBeGreaterThan(1);
  expect(removedFields(before, now)).toEqual([]);
}

describe("API answers keep every field they had", () => {
  it.each(OWNER_SEES.map((check) => [check.name, check] as const))("%s", async (name, check) => {
    expectFieldsKept(`api-${name.replace(/[^a-z.]+/gi, "-")}`, await check.ask(api, tenant));
  });

  it("statusPage.public", async () => {
    const page = await api.statusPage.byId({ id: tenant.ids.statusPage });
    await api.statusPage.setPublished({ id: page.id, isPublished: true });
    expectFieldsKept("api-statusPage.public", await callerFor(db).statusPage.public({ slug: page.slug }));
  });
});

describe("inputs named as before", () => {
  it("a status page's monitors, maintenance and announcements still take monitorId(s)", async () => {
    const monitor = await api.monitor.create({ url: "http://127.0.0.1:9/compat", name: "compat input" });
    await api.statusPage.setMonitors({
      id: tenant.ids.statusPage,
      monitors: [{ monitorId: monitor.id, displayName: "by its old name" }],
    });
    const page = await api.statusPage.byId({ id: tenant.ids.statusPage });
    expect(JSON.stringify(page)).toContain("by its old name");

    const window = { startsAt: new Date(Date.now() + 3_600_000), endsAt: new Date(Date.now() + 7_200_000) };
    await api.maintenance.create({ title: "old names", ...window, monitorIds: [monitor.id] });
    const maintenance = (await api.maintenance.list()).find((m) => m.title === "old names");
    expect(JSON.stringify(maintenance)).toContain(monitor.id);
    const recurring = await api.maintenance.createRecurring({
      title: "old names, weekly",
      schedule: "0 3 * * 0",
      timeZone: "Europe/Berlin",
      durationMinutes: 30,
      monitorIds: [monitor.id],
    });
    expect(JSON.stringify(await api.maintenance.recurring())).toContain(recurring.id);
    expect(JSON.stringify((await api.maintenance.recurring()).find((r) => r.id === recurring.id))).toContain(
      monitor.id,
    );
  });
});

describe("setup documents", () => {
  it("a version-1 document saved before the rename imports whole", async () => {
    const file = new URL("setup-v1.json", FIXTURES);
    if (capturing) {
      const document = await api.account.export({ includeSecrets: true });
      writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
      return;
    }
    const document = JSON.parse(readFileSync(file, "utf8")) as {
      version: number;
      monitors: { name: string }[];
      channels: { name: string }[];
      statusPages: { name: string }[];
    };
    expect(document.version).toBe(1);
    const newcomer = callerFor(db, { user: { ...(await createUser(db)), emailVerified: true } });
    const report = await newcomer.account.import(document as never);
    expect(report.skipped).toEqual([]);
    const names = (kind: string) => report.created.filter((item) => item.kind === kind).map((item) => item.name);
    expect(names("monitor").sort()).toEqual(document.monitors.map((m) => m.name).sort());
    expect(names("channel").sort()).toEqual(document.channels.map((c) => c.name).sort());
    expect((await newcomer.monitor.list()).map((m) => m.name).sort()).toEqual(
      document.monitors.map((m) => m.name).sort(),
    );
    expect((await newcomer.statusPage.list()).map((p) => p.name)).toEqual(document.statusPages.map((p) => p.name));
  });
});

describe("webhook bodies keep every field they had", () => {
  it("incident.opened from the engine to a signed webhook", async () => {
    const region = uniqueRegion();
    const channel = await api.notification.create({
      type: "WEBHOOK",
      name: "compat hook",
      target: receiver.url(`/compat-hook/${region}`),
    });
    // A closed port on 127.0.0.1: the monitor is down at its first check.
    const monitor = await createFastMonitor(db, user.id, { url: "http://127.0.0.1:9/compat", regions: [region] });
    await api.monitor.update({ id: monitor.id, channelIds: [channel.id] });
    const runner = startTestRunner(inject("databaseUrl"), { region });
    try {
      const received = await eventually("the webhook", () =>
        Promise.resolve(receiver.received.find((r) => r.path === `/compat-hook/${region}`)),
      );
      expect(JSON.parse(received.body)).toMatchObject({ event: "incident.opened", monitor: { id: monitor.id } });
      expectFieldsKept("webhook-incident.opened", JSON.parse(received.body));
    } finally {
      await runner.stop();
    }
  });
});
