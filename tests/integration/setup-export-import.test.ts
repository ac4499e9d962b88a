/**
 * Export and import (issue 17, part 3): a whole setup leaves as one document and comes
 * back field for field; secrets only with the flag; importing twice changes nothing;
 * what cannot be imported is skipped with its reason, and nothing of another account's
 * is ever touched.
 */
import { hash } from "@node-rs/argon2";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ImportReport, SetupDocument } from "../../app/lib/setup/setup-document.ts";
import { ARGON2_OPTIONS, hashPassword } from "../../app/server/services/crypto.server.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { memoryMailer } from "../support/mailbox.ts";

const db = testDb();
const mailer = memoryMailer();
afterAll(() => db.$disconnect());

/** A 1×1 transparent PNG. */
const PNG_BASE64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
const SECRETS = {
  header: "Bearer header-secret-1f2e",
  webhook: "http://127.0.0.1:9/hooks/webhook-secret-9a8b",
  slack: "http://127.0.0.1:9/services/T000/B000/slack-secret-7c6d",
  discord: "http://127.0.0.1:9/api/webhooks/1/discord-secret-5e4f",
};

type User = Awaited<ReturnType<typeof createUser>>;
let owner: User;
let api: ReturnType<typeof callerFor>;
let slug: string;

async function buildSetup(): Promise<void> {
  const own = await api.notification.create({ type: "EMAIL", name: "Me", target: owner.email, isDefault: true });
  const oncall = await api.notification.create({ type: "EMAIL", name: "On call", target: "oncall@example.test" });
  const webhook = await api.notification.create({
    type: "WEBHOOK",
    name: "Hook",
    target: SECRETS.webhook,
    reminderMinutes: 30,
  });
  const slack = await api.notification.create({ type: "SLACK", name: "Slack", target: SECRETS.slack });
  await api.notification.create({ type: "DISCORD", name: "Discord", target: SECRETS.discord });

  const http = await api.monitor.create({
    url: "http://127.0.0.1:9/health",
    name: "API",
    method: "POST",
    headers: [
      { name: "Authorization", value: SECRETS.header },
      { name: "Accept", value: "application/json" },
    ],
    body: '{"ping":true}',
    expectedStatusCodes: "200-299,301",
    keyword: "ok",
    keywordIgnoreCase: true,
    assertions: [{ source: "json", path: "$.status", operator: "equals", value: "ok" }],
    maxResponseMs: 2_000,
    intervalSeconds: 30,
    timeoutMs: 5_000,
    failureThreshold: 2,
    tags: ["production", "eu"],
    channelIds: [own.id, webhook.id, slack.id],
  });
  const tcp = await api.monitor.create({ type: "TCP", host: "127.0.0.1", port: 5432, tls: true, name: "Database" });
  const heartbeat = await api.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600, graceSeconds: 300 });
  await api.monitor.create({
    type: "DNS",
    hostname: "example.test",
    recordType: "TXT",
    expectedValue: "v=spf1 -all",
    resolver: "127.0.0.1:5353",
    channelIds: [oncall.id],
  });
  const tls = await api.monitor.create({ type: "TLS", host: "localhost", port: 8443, expiryDays: 21 });
  await api.monitor.pause({ id: tls.id });

  const page = await api.statusPage.create({ name: "Acme status", slug, description: "All of Acme" });
  await api.statusPage.setMonitors({
    id: page.id,
    monitors: [
      { monitorId: http.id, displayName: "Public API", section: "Core" },
      { monitorId: tcp.id, displayName: "Storage", section: "Core" },
      { monitorId: heartbeat.id, displayName: "Nightly jobs", section: null },
    ],
  });
  await api.statusPage.setDomain({ id: page.id, domain: `${slug}.example.test` });
  await api.statusPage.setLogo({ id: page.id, image: PNG_BASE64 });
  await api.statusPage.setPublished({ id: page.id, isPublished: true });
  const internal = await api.statusPage.create({ name: "Acme internal", slug: `${slug}-internal` });
  await api.statusPage.setAccess({ id: internal.id, visibility: "PRIVATE", password: "internal only 1" });

  await api.maintenance.createRecurring({
    title: "Weekly backups",
    schedule: "0 3 * * 0",
    timeZone: "Europe/Berlin",
    durationMinutes: 45,
    monitorIds: [tcp.id],
  });
  await api.maintenance.create({
    title: "Database upgrade",
    description: "Ten minutes of read-only",
    startsAt: new Date(Date.now() + 86_400_000),
    endsAt: new Date(Date.now() + 86_400_000 + 3_600_000),
    monitorIds: [http.id, tcp.id],
  });
}

async function deleteEverything(): Promise<void> {
  for (const monitor of await api.monitor.list()) await api.monitor.delete({ id: monitor.id });
  for (const channel of await api.notification.list()) await api.notification.delete({ id: channel.id });
  for (const page of await api.statusPage.list()) await api.statusPage.delete({ id: page.id });
  for (const window of await api.maintenance.list()) await api.maintenance.delete({ id: window.id });
  for (const series of await api.maintenance.recurring()) await api.maintenance.deleteRecurring({ id: series.id });
}

/** The document without the moment it was written, for comparing two exports. */
const comparable = ({ exportedAt: _at, ...rest }: SetupDocument) => rest;

const counts = (report: ImportReport) =>
  Object.fromEntries(Object.entries(report).map(([outcome, items]) => [outcome, (items as unknown[]).length]));

beforeAll(async () => {
  owner = await createUser(db);
  api = callerFor(db, { user: owner, mailer });
  slug = unique("acme");
  await buildSetup();
});

describe("export", () => {
  it("holds every monitor type, channel, page and window, and secrets only when asked", async () => {
    const withSecrets = await api.account.export({ includeSecrets: true });
    expect(withSecrets.monitors.map((monitor) => monitor.type)).toEqual(["HTTP", "TCP", "HEARTBEAT", "DNS", "TLS"]);
    expect(withSecrets.channels.map((channel) => channel.type)).toEqual([
      "EMAIL",
      "EMAIL",
      "WEBHOOK",
      "SLACK",
      "DISCORD",
    ]);
    // The logo as stored: decoded and encoded again at upload (logo-images.test.ts).
    const storedLogo = await db.statusPageLogo.findFirstOrThrow({ where: { statusPage: { slug } } });
    expect(withSecrets.statusPages[0]).toMatchObject({
      slug,
      isPublished: true,
      domain: { name: `${slug}.example.test` },
      logo: Buffer.from(storedLogo.bytes).toString("base64"),
      monitors: [
        { displayName: "Public API", section: "Core" },
        { displayName: "Storage", section: "Core" },
        { displayName: "Nightly jobs", section: null },
      ],
    });
    // The one-off window; the recurring maintenance travels as itself, not as its occurrences.
    expect(withSecrets.maintenance).toHaveLength(1);
    expect(withSecrets.recurringMaintenance).toEqual([
      expect.objectContaining({ title: "Weekly backups", schedule: "0 3 * * 0", timeZone: "Europe/Berlin" }),
    ]);
    expect(withSecrets.statusPages[1]).toMatchObject({
      visibility: "PRIVATE",
      passwordHash: expect.stringMatching(/^\$argon2id\$/) as unknown,
    });
    const text = JSON.stringify(withSecrets);
    for (const secret of Object.values(SECRETS)) expect(text).toContain(secret);

    // What this server chose to prove something is never in a file, secrets or not.
    const pushToken = (await api.monitor.list()).find((monitor) => monitor.type === "HEARTBEAT")!.pushUrl!;
    expect(text).not.toContain(pushToken.split("/api/push/")[1]);
    expect(text).not.toContain("whsec_");
    expect(withSecrets.monitors.find((monitor) => monitor.type === "HEARTBEAT")).not.toHaveProperty("pushToken");
    expect(withSecrets.channels.find((channel) => channel.type === "WEBHOOK")).not.toHaveProperty("signingSecret");

    const without = await api.account.export({ includeSecrets: false });
    const plain = JSON.stringify(without);
    for (const secret of Object.values(SECRETS)) expect(plain).not.toContain(secret);
    expect(plain).not.toContain("whsec_");
    expect(without.monitors[0]).toMatchObject({
      headers: [
        { name: "Authorization", value: "••••••••" },
        { name: "Accept", value: "••••••••" },
      ],
    });
  });
});

describe("import", () => {
  it("reproduces everything field by field after deleting it all, and changes nothing the second time", async () => {
    const before = await api.account.export({ includeSecrets: true });
    const pushUrl = (await api.monitor.list()).find((monitor) => monitor.type === "HEARTBEAT")!.pushUrl;
    await deleteEverything();
    expect(await api.monitor.list()).toHaveLength(0);

    const first = await api.account.import(before);
    expect(counts(first)).toEqual({ created: 5 + 5 + 2 + 1 + 1, updated: 0, unchanged: 0, skipped: 0 });
    expect(comparable(await api.account.export({ includeSecrets: true }))).toEqual(comparable(before));
    // A monitor made anew gets a push URL this server chooses, and the report says where it is.
    const heartbeat = (await api.monitor.list()).find((monitor) => monitor.type === "HEARTBEAT")!;
    expect(heartbeat.pushUrl).not.toBe(pushUrl);
    expect(first.created.find((item) => item.name === "Heartbeat")?.note).toBe(
      `its push URL is new (this server chooses it; one in the file is not used): copy it from the monitor's page (/monitors/${heartbeat.id}) and point its job at it`,
    );
    // A webhook channel made anew signs with a new secret; the report says how to see it.
    expect(first.created.find((item) => item.name === "Hook")?.note).toMatch(
      /new secret.*"New secret" on the Alerts page/,
    );
    // The other person's address is asked for consent again: consent is not something a file can carry.
    const oncall = first.created.find((item) => item.name === "On call");
    expect(oncall?.note).toMatch(/confirmation mail/);
    expect(mailer.sent.filter((mail) => mail.to === "oncall@example.test")).toHaveLength(2);

    const rows = async () =>
      JSON.stringify(
        await Promise.all([
          db.monitor.findMany({ where: { userId: owner.id }, orderBy: { id: "asc" } }),
          db.notificationChannel.findMany({ where: { userId: owner.id }, orderBy: { id: "asc" } }),
          db.statusPage.findMany({ where: { userId: owner.id }, include: { monitors: true, domain: true } }),
          db.maintenanceWindow.findMany({ where: { userId: owner.id }, include: { monitors: true } }),
          db.recurringMaintenance.findMany({ where: { userId: owner.id }, include: { monitors: true } }),
        ]),
      );
    const stored = await rows();
    const second = await api.account.import(before);
    expect(counts(second)).toEqual({ created: 0, updated: 0, unchanged: 14, skipped: 0 });
    expect(await rows()).toBe(stored);
  });

  it("updates what changed, by key, and leaves the rest", async () => {
    const document = await api.account.export({ includeSecrets: false });
    const [first, ...others] = document.monitors;
    const renamed = { ...document, monitors: [{ ...first!, name: "API (renamed)" }, ...others] };
    const report = await api.account.import(renamed);
    expect(report.updated).toEqual([expect.objectContaining({ kind: "monitor", name: "API (renamed)" })]);
    expect(report.unchanged).toHaveLength(13);
    const monitor = (await api.monitor.list()).find((m) => m.name === "API (renamed)");
    // Masked header values in a file without secrets keep the stored ones.
    expect(
      (await db.monitor.findUniqueOrThrow({ where: { id: monitor!.id } })).requestHeaders as { value: string }[],
    ).toContainEqual({ name: "Authorization", value: SECRETS.header });
  });

  it("without secrets: skips channels whose URL is the secret, pauses monitors missing header values, gives heartbeats a new push URL", async () => {
    const document = await api.account.export({ includeSecrets: false });
    const pushUrl = (await api.monitor.list()).find((monitor) => monitor.type === "HEARTBEAT")!.pushUrl;
    await deleteEverything();
    const report = await api.account.import(document);
    expect(report.skipped.map((item) => [item.kind, item.name])).toEqual([
      ["channel", "Hook"],
      ["channel", "Slack"],
      ["channel", "Discord"],
    ]);
    expect(report.skipped[0]!.note).toMatch(/--include-secrets/);
    const api_ = report.created.find((item) => item.kind === "monitor" && item.name === "API (renamed)");
    expect(api_?.note).toMatch(/paused: the values of Authorization, Accept are not in the file/);
    expect(api_?.note).toMatch(/channels not in this account, left out/);
    const heartbeat = (await api.monitor.list()).find((monitor) => monitor.type === "HEARTBEAT")!;
    expect(heartbeat.pushUrl).not.toBe(pushUrl);
    expect(report.created.find((item) => item.name === "Heartbeat")?.note).toMatch(/its push URL is new/);
    const monitor = (await api.monitor.list()).find((m) => m.name === "API (renamed)")!;
    expect(monitor).toMatchObject({ isActive: false, headers: [] });
    // A private page comes back private, closed to everyone until its owner sets a password.
    expect(report.created.find((item) => item.name === "Acme internal")?.note).toMatch(/without a password/);
  });

  it("skips what another account holds (a slug) and never touches another account's things", async () => {
    const other = await createUser(db);
    const otherApi = callerFor(db, { user: other, mailer });
    // The owner's export names the owner's ids as keys: in the other account they are new keys.
    const document = await api.account.export({ includeSecrets: true });
    const report = await otherApi.account.import(document);
    expect(report.skipped).toEqual([
      expect.objectContaining({ kind: "statusPage", note: expect.stringMatching(/taken/) as unknown }),
      expect.objectContaining({ kind: "statusPage", note: expect.stringMatching(/taken/) as unknown }),
    ]);
    expect(report.created.filter((item) => item.kind === "monitor")).toHaveLength(5);
    // The owner's things are as they were.
    expect(comparable(await api.account.export({ includeSecrets: true }))).toEqual(comparable(document));
    // A push token is the server's to choose: the copy gets its own.
    const [mine, theirs] = await Promise.all([api.monitor.list(), otherApi.monitor.list()]);
    const push = (list: typeof mine) => list.find((monitor) => monitor.type === "HEARTBEAT")!.pushUrl;
    expect(push(theirs)).not.toBe(push(mine));
  });

  it("refuses a malformed document naming the field, and imports nothing", async () => {
    const document = await api.account.export({ includeSecrets: false });
    const broken = {
      ...document,
      monitors: [...document.monitors, { type: "TCP", key: "bad-port", host: "127.0.0.1", port: 70_000 }],
    };
    const before = await db.monitor.count({ where: { userId: owner.id } });
    const error = await api.account.import(broken as SetupDocument).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(/monitors.*5.*port|port/);
    expect(await db.monitor.count({ where: { userId: owner.id } })).toBe(before);
    const wrongFormat = await api.account
      .import({ ...document, format: "uptime-kuma" } as unknown as SetupDocument)
      .catch((caught: unknown) => caught);
    expect((wrongFormat as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("needs a verified email address, as creating channels does", async () => {
    const unverified = await createUser(db, { emailVerified: false });
    const error = await callerFor(db, { user: unverified })
      .account.import({ format: "better-uptime/setup", version: 1 })
      .catch((caught: unknown) => caught);
    expect((error as TRPCError).code).toBe("FORBIDDEN");
  });
});

describe("a private page's password hash in the file (issue 25)", () => {
  /** One published private page with `passwordHash`, as an export with secrets holds it. */
  const pageDocument = (key: string, pageSlug: string, passwordHash: string) => ({
    format: "better-uptime/setup" as const,
    version: 1 as const,
    includesSecrets: true,
    statusPages: [
      {
        key,
        name: "Imported private",
        slug: pageSlug,
        isPublished: true,
        visibility: "PRIVATE" as const,
        passwordHash,
      },
    ],
  });
  const unlock = (pageSlug: string, password: string) =>
    callerFor(db, { clientIp: unique("ip") }).statusPage.unlock({ slug: pageSlug, password });

  it("a hash made with other parameters (m=65536,t=3) is never stored: the page arrives private and locked, saying to set a new password", async () => {
    const costly = await hash("imported secret 1", { ...ARGON2_OPTIONS, memoryCost: 65_536, timeCost: 3 });
    const pageSlug = unique("costly");
    const document = pageDocument(unique("key"), pageSlug, costly);
    const report = await api.account.import(document);
    expect(report.created).toEqual([
      expect.objectContaining({
        kind: "statusPage",
        note: expect.stringMatching(/locked.*set a new password/) as unknown,
      }),
    ]);
    const stored = await db.statusPage.findFirstOrThrow({ where: { slug: pageSlug } });
    expect(stored).toMatchObject({ visibility: "PRIVATE", accessPasswordHash: null, isPublished: true });
    // The file's password opens nothing: its hash is never verified.
    await expect(unlock(pageSlug, "imported secret 1")).rejects.toThrow("That is not the password of this page.");
    // Importing it again changes nothing, and says so again.
    const again = await api.account.import(document);
    expect(again.unchanged).toEqual([
      expect.objectContaining({ note: expect.stringMatching(/set a new password/) as unknown }),
    ]);
    // The owner's new password opens it.
    await api.statusPage.setAccess({ id: stored.id, visibility: "PRIVATE", password: "owner's new one" });
    await expect(unlock(pageSlug, "owner's new one")).resolves.toMatchObject({
      cookieName: expect.any(String) as unknown,
    });
  });

  it("a hash with this instance's own parameters is taken, and its password opens the page", async () => {
    const pageSlug = unique("own");
    const report = await api.account.import(
      pageDocument(unique("key"), pageSlug, await hashPassword("imported secret 2")),
    );
    expect(report.created[0]?.note).toBeUndefined();
    await expect(unlock(pageSlug, "imported secret 2")).resolves.toMatchObject({ maxAgeSeconds: 2_592_000 });
  });

  it("a page with a working password, imported again with a costlier hash, is locked rather than given it", async () => {
    const pageSlug = unique("relock");
    const key = unique("key");
    await api.account.import(pageDocument(key, pageSlug, await hashPassword("first secret")));
    await expect(unlock(pageSlug, "first secret")).resolves.toBeDefined();
    const costly = await hash("second secret", { ...ARGON2_OPTIONS, parallelism: 2 });
    const report = await api.account.import(pageDocument(key, pageSlug, costly));
    expect(report.updated[0]?.note).toMatch(/set a new password/);
    await expect(unlock(pageSlug, "first secret")).rejects.toThrow("That is not the password of this page.");
    await expect(unlock(pageSlug, "second secret")).rejects.toThrow("That is not the password of this page.");
  });
});
