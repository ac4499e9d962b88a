/**
 * Tenant isolation's cases, shared by tests/integration/isolation.test.ts (from source)
 * and tests/built/isolation.test.ts (over HTTP against the built server): user A's
 * things, each id-taking procedure aimed at them, and what must stay untouched.
 * Procedures are found by walking the router, so a new procedure that takes an id fails
 * both until it is given an owner's id below.
 */
import { expect } from "vitest";
import type { ZodObject, ZodRawShape } from "zod";
import { appRouter } from "../../app/trpc/root.server.ts";
import type { Db } from "../../core/db/client.ts";
import { callerFor } from "./caller.ts";
import { createUser, unique } from "./factories.ts";
import { seedTenant, type Tenant, type TenantIds } from "./tenant-fixture.ts";

/** A 1×1 transparent PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
export type Ids = TenantIds & { bobMonitor: string; bobPage: string };

/** Procedures only our own routes reach (through their server-side caller), with an input aimed at A. */
export const INTERNAL: Record<string, (ids: Ids & { alice: string }) => Record<string, unknown>> = {
  "auth.startSession": (ids) => ({ userId: ids.alice }),
  "auth.logIn": () => ({ email: "alice@example.test", password: "whatever it is" }),
  "auth.gitHubSignIn": () => ({ accessToken: "gho_stolen" }),
  "account.connectGitHub": () => ({ accessToken: "gho_stolen" }),
};

/** Each id-taking procedure, with the input that aims it at one of A's things. */
export const PROCEDURES: Record<string, (ids: Ids) => Record<string, unknown>> = {
  "monitor.byId": (ids) => ({ id: ids.monitor }),
  "monitor.create": (ids) => ({ url: "http://127.0.0.1:9/", channelIds: [ids.channel] }),
  "monitor.create (heartbeat, their channel)": (ids) => ({
    type: "HEARTBEAT",
    periodSeconds: 60,
    channelIds: [ids.channel],
  }),
  "monitor.create (DNS, their channel)": (ids) => ({
    type: "DNS",
    hostname: "example.test",
    recordType: "A",
    channelIds: [ids.channel],
  }),
  "monitor.pings": (ids) => ({ id: ids.heartbeat }),
  "monitor.regeneratePushToken": (ids) => ({ id: ids.heartbeat }),
  "monitor.update (their heartbeat)": (ids) => ({ id: ids.heartbeat, periodSeconds: 60 }),
  "monitor.update (own monitor, their channel)": (ids) => ({ id: ids.bobMonitor, channelIds: [ids.channel] }),
  "monitor.update": (ids) => ({ id: ids.monitor, name: "taken over" }),
  "monitor.pause": (ids) => ({ id: ids.monitor }),
  "monitor.resume": (ids) => ({ id: ids.monitor }),
  "monitor.checkNow": (ids) => ({ id: ids.monitor }),
  "monitor.delete": (ids) => ({ id: ids.monitor }),
  "monitor.duplicate": (ids) => ({ id: ids.monitor }),
  "monitor.pauseMany": (ids) => ({ ids: [ids.monitor] }),
  "monitor.resumeMany": (ids) => ({ ids: [ids.monitor] }),
  "monitor.stats": (ids) => ({ id: ids.monitor }),
  "monitor.responseTimes": (ids) => ({ id: ids.monitor, range: "24h" }),
  "monitor.incidents": (ids) => ({ id: ids.monitor }),
  "monitor.checks": (ids) => ({ id: ids.monitor }),
  "account.unlinkConnection": (ids) => ({ id: ids.connection }),
  "account.apiTokens.revoke": (ids) => ({ id: ids.apiToken }),
  "notification.update": (ids) => ({ id: ids.channel, name: "taken over" }),
  "notification.delete": (ids) => ({ id: ids.channel }),
  "notification.rotateSecret": (ids) => ({ id: ids.channel }),
  "notification.test": (ids) => ({ id: ids.channel }),
  "notification.deliveries": (ids) => ({ channelId: ids.channel }),
  "notification.deliveries (by monitor)": (ids) => ({ monitorId: ids.monitor }),
  "statusPage.byId": (ids) => ({ id: ids.statusPage }),
  "statusPage.update": (ids) => ({ id: ids.statusPage, name: "taken over" }),
  "statusPage.setPublished": (ids) => ({ id: ids.statusPage, isPublished: false }),
  "statusPage.delete": (ids) => ({ id: ids.statusPage }),
  "statusPage.setMonitors": (ids) => ({ id: ids.statusPage, monitors: [] }),
  "statusPage.setMonitors (own page, their monitor)": (ids) => ({
    id: ids.bobPage,
    monitors: [{ monitorId: ids.monitor, displayName: "stolen" }],
  }),
  "statusPage.incidents": (ids) => ({ id: ids.statusPage }),
  "statusPage.postIncidentUpdate": (ids) => ({ incidentId: ids.incident, status: "RESOLVED", message: "taken over" }),
  "statusPage.setDomain": (ids) => ({ id: ids.statusPage, domain: "status.bob.test" }),
  "statusPage.verifyDomain": (ids) => ({ id: ids.statusPage }),
  "statusPage.removeDomain": (ids) => ({ id: ids.statusPage }),
  "statusPage.setLogo": (ids) => ({ id: ids.statusPage, image: PNG_BASE64 }),
  "statusPage.removeLogo": (ids) => ({ id: ids.statusPage }),
  "statusPage.setAccess": (ids) => ({ id: ids.statusPage, visibility: "PRIVATE", password: "taken over 123" }),
  "statusPage.announcements": (ids) => ({ id: ids.statusPage }),
  "statusPage.postAnnouncement": (ids) => ({ id: ids.statusPage, kind: "NOTICE", title: "taken over", message: "x" }),
  "statusPage.postAnnouncement (own page, their monitor)": (ids) => ({
    id: ids.bobPage,
    kind: "INCIDENT",
    title: "stolen",
    monitorIds: [ids.monitor],
    message: "x",
  }),
  "statusPage.updateAnnouncement": (ids) => ({
    announcementId: ids.announcement,
    status: "RESOLVED",
    message: "taken over",
  }),
  "maintenance.create": (ids) => ({
    title: "taken over",
    startsAt: new Date(),
    endsAt: new Date(Date.now() + 3_600_000),
    monitorIds: [ids.monitor],
  }),
  "maintenance.delete": (ids) => ({ id: ids.maintenance }),
  "maintenance.createRecurring": (ids) => ({
    title: "taken over",
    schedule: "0 2 * * 0",
    timeZone: "UTC",
    durationMinutes: 60,
    monitorIds: [ids.monitor],
  }),
  "maintenance.deleteRecurring": (ids) => ({ id: ids.recurring }),
  "incident.acknowledge": (ids) => ({ id: ids.incident }),
  // A link this instance did not sign reaches nothing, whoever holds the incident's id.
  "incident.acknowledgeLink": (ids) => ({ id: ids.incident, channel: ids.channel, sig: "A".repeat(43) }),
  "incident.acknowledgeByLink": (ids) => ({ id: ids.incident, channel: ids.channel, sig: "A".repeat(43) }),
};

/** Input fields that carry ids of owned things. */
const ID_FIELD = /^ids?$|Ids?$/;
/** Ids of things in another service (a Telegram chat, a Matrix room), not of anything stored here. */
const EXTERNAL_IDS = new Set(["chatId", "roomId"]);

/** The schema a pipe (`.transform(…)`) starts from. */
const beforeTransforms = (schema: unknown): unknown => {
  const start = (schema as { def?: { type?: string; in?: unknown } }).def;
  return start?.type === "pipe" ? beforeTransforms(start.in) : schema;
};

export function idTakingProcedures(): string[] {
  const procedures = (appRouter._def as unknown as { procedures: Record<string, { _def: { inputs: unknown[] } }> })
    .procedures;
  return Object.entries(procedures)
    .filter(
      ([path, procedure]) =>
        !(path in INTERNAL) &&
        procedure._def.inputs.some((input) => {
          // An object, or a union of objects (monitor.create: one per monitor type), or
          // either passed through a transform (accepting a deprecated field name).
          const options = (input as { options?: unknown[] }).options ?? [input];
          return options.some((option) => {
            const shape = (beforeTransforms(option) as Partial<ZodObject<ZodRawShape>>).shape;
            return (
              shape !== undefined && Object.keys(shape).some((key) => ID_FIELD.test(key) && !EXTERNAL_IDS.has(key))
            );
          });
        }),
    )
    .map(([path]) => path)
    .sort();
}

type User = Awaited<ReturnType<typeof createUser>>;

/** A's things (and B's own, for procedures that mix both), with the text that must never reach B. */
export interface IsolationWorld {
  alice: User;
  bob: User;
  /** Everything seeded for A, for the walker's precondition (`unseenByOwner`). */
  tenant: Tenant;
  ids: Ids;
  /** Strings of A's that no answer to B may contain. */
  secrets: string[];
  alicePushUrl: string;
}

export async function seedIsolation(db: Db): Promise<IsolationWorld> {
  const alice = await createUser(db, { name: "Alice Private" });
  const bob = await createUser(db);
  // One of everything for A (tests/support/tenant-fixture.ts), so every check has something to miss.
  const tenant = await seedTenant(db, alice, "alice");
  const bobMonitor = await callerFor(db, { user: bob }).monitor.create({ url: "http://127.0.0.1:9/bob" });
  const bobPage = await callerFor(db, { user: bob }).statusPage.create({
    name: "Bob status",
    slug: unique("bob").toLowerCase(),
  });
  return {
    alice,
    bob,
    tenant,
    ids: { ...tenant.ids, bobMonitor: bobMonitor.id, bobPage: bobPage.id },
    secrets: ["Alice Private", ...tenant.secrets],
    alicePushUrl: tenant.pushUrl,
  };
}

/** A's things as A left them, after B's attempts. */
export async function expectOwnerDataUntouched(db: Db, world: IsolationWorld): Promise<void> {
  const monitor = await callerFor(db, { user: world.alice }).monitor.byId({ id: world.ids.monitor });
  expect(monitor).toMatchObject({ name: "alice-secret-monitor", isActive: true });
  const heartbeat = await callerFor(db, { user: world.alice }).monitor.byId({ id: world.ids.heartbeat });
  expect(heartbeat).toMatchObject({ pushUrl: world.alicePushUrl, heartbeat: { periodSeconds: 3600 } });
  expect(await db.apiToken.count({ where: { id: world.ids.apiToken } })).toBe(1);
  expect(await db.account.count({ where: { id: world.ids.connection } })).toBe(1);
  expect(await db.notificationChannel.findUnique({ where: { id: world.ids.channel } })).toMatchObject({
    name: "alice-secret-channel",
  });
  const page = await callerFor(db, { user: world.alice }).statusPage.byId({ id: world.ids.statusPage });
  expect(page).toMatchObject({ name: "alice-secret-page", monitors: [{ displayName: "alice-secret-service" }] });
  expect(page.domain?.status).toBe("PENDING");
  expect(await db.incidentUpdate.count({ where: { incidentId: world.ids.incident } })).toBe(0);
  expect(await db.incident.findUnique({ where: { id: world.ids.incident } })).toMatchObject({ acknowledgedAt: null });
  expect(await db.maintenanceWindow.count({ where: { id: world.ids.maintenance } })).toBe(1);
  expect(await db.pageAnnouncement.findUnique({ where: { id: world.ids.announcement } })).toMatchObject({
    resolvedAt: null,
  });
  expect(await db.pageAnnouncementUpdate.count({ where: { announcementId: world.ids.announcement } })).toBe(1);
  expect(await db.recurringMaintenance.count({ where: { id: world.ids.recurring } })).toBe(1);
  expect(await db.statusPageMonitor.count({ where: { statusPageId: world.ids.bobPage } })).toBe(0);
}
