/**
 * An import never sets what proves something (issue 25: the server alone chooses proofs).
 * A setup document may name a heartbeat's push token, a webhook's signing secret, a page's
 * access token, a domain's TXT value or status, a recipient's consent — older exports
 * wrote some of them, and anyone can write the rest. None is ever taken: an item the
 * import makes gets new ones from the server, an item it matches keeps its own, and
 * importing the same file twice still changes nothing.
 */
import { hash } from "@node-rs/argon2";
import { afterAll, describe, expect, it } from "vitest";
import type { SetupDocument } from "../../app/lib/setup/setup-document.ts";
import { ARGON2_OPTIONS, hashPassword } from "../../app/server/services/crypto.server.ts";
import { callerFor } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { memoryMailer } from "../support/mailbox.ts";

const db = testDb();
afterAll(() => db.$disconnect());

const tokenOf = (pushUrl: string | null) => pushUrl!.split("/api/push/")[1]!;
/** What newPushToken and newSigningSecret make: 24 random bytes, base64url. */
const SERVER_TOKEN = /^[A-Za-z0-9_-]{32}$/;
const SERVER_SECRET = /^whsec_[A-Za-z0-9_-]{32}$/;

async function account() {
  const mailer = memoryMailer();
  const user = await createUser(db);
  return { user, mailer, api: callerFor(db, { user, mailer }) };
}
type Account = Awaited<ReturnType<typeof account>>;

/** A document as the API takes it; fields it no longer has (older exports, or anyone's) go in as they are. */
const setup = (sections: Record<string, unknown>) =>
  ({ format: "better-uptime/setup", version: 1, includesSecrets: true, ...sections }) as unknown as SetupDocument;

const ping = (token: string) => callerFor(db, { clientIp: unique("ip") }).heartbeat.ping({ token });

async function heartbeatOf(owner: Account, name: string) {
  return (await owner.api.monitor.list()).find((monitor) => monitor.name === name)!;
}

describe("a push token in the file", () => {
  it("another account's token is not taken: its push URL still reaches its own monitor, the importer's monitor gets a new one", async () => {
    const victim = await account();
    const theirs = await victim.api.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600, name: "Nightly backup" });
    const victimToken = tokenOf(theirs.pushUrl);

    const attacker = await account();
    const key = unique("hb");
    const report = await attacker.api.account.import(
      setup({ monitors: [{ key, type: "HEARTBEAT", name: "Copycat", periodSeconds: 3600, pushToken: victimToken }] }),
    );
    const copy = await heartbeatOf(attacker, "Copycat");
    expect(report.created).toEqual([
      expect.objectContaining({
        kind: "monitor",
        note: `its push URL is new (this server chooses it; one in the file is not used): copy it from the monitor's page (/monitors/${copy.id}) and point its job at it`,
      }),
    ]);
    expect(tokenOf(copy.pushUrl)).not.toBe(victimToken);
    expect(tokenOf(copy.pushUrl)).toMatch(SERVER_TOKEN);

    // The victim's job keeps reporting to the victim's monitor, and nothing of it reaches the copy.
    await expect(ping(victimToken)).resolves.toEqual({ ok: true });
    expect(await victim.api.monitor.pings({ id: theirs.id })).toHaveLength(1);
    expect(await attacker.api.monitor.pings({ id: copy.id })).toHaveLength(0);
    await expect(ping(tokenOf(copy.pushUrl))).resolves.toEqual({ ok: true });
    expect(await attacker.api.monitor.pings({ id: copy.id })).toHaveLength(1);
    expect(await victim.api.monitor.pings({ id: theirs.id })).toHaveLength(1);

    // Stated again onto the importer's existing monitor, it changes nothing either.
    const again = await attacker.api.account.import(
      setup({ monitors: [{ key, type: "HEARTBEAT", name: "Copycat", periodSeconds: 3600, pushToken: victimToken }] }),
    );
    expect(again.unchanged).toEqual([expect.objectContaining({ key })]);
    expect((await heartbeatOf(attacker, "Copycat")).pushUrl).toBe(copy.pushUrl);
    expect(await db.monitor.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({
      userId: victim.user.id,
      pushToken: victimToken,
    });
  });

  it("a token the file chooses (free, or guessable) is never a push URL, on a new monitor or an existing one", async () => {
    const owner = await account();
    const chosen = `chosen-${unique("t").replace(/[^A-Za-z0-9_-]/g, "")}`.padEnd(24, "x");
    const key = unique("hb");
    const entry = { key, type: "HEARTBEAT", name: "Chosen", periodSeconds: 600, pushToken: chosen };
    await owner.api.account.import(setup({ monitors: [entry] }));
    const made = await heartbeatOf(owner, "Chosen");
    expect(tokenOf(made.pushUrl)).toMatch(SERVER_TOKEN);
    // A changed setting with another chosen token: the setting changes, the token does not.
    const report = await owner.api.account.import(
      setup({ monitors: [{ ...entry, periodSeconds: 900, pushToken: `${chosen}-2` }] }),
    );
    expect(report.updated).toEqual([expect.objectContaining({ key })]);
    expect(await heartbeatOf(owner, "Chosen")).toMatchObject({ pushUrl: made.pushUrl });
    for (const token of [chosen, `${chosen}-2`]) {
      await expect(ping(token)).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await db.monitor.count({ where: { pushToken: { in: [chosen, `${chosen}-2`] } } })).toBe(0);
  });
});

describe("every other field the server chooses", () => {
  it("a signing secret, consent, an access token, a TXT value, a VERIFIED status, subscribers and tokens in the file set nothing", async () => {
    const owner = await account();
    const slug = unique("proofs");
    const domain = `${slug}.example.test`;
    const stranger = `${unique("oncall")}@example.test`;
    const chosen = {
      signingSecret: "whsec_chosenByTheFile000000000000",
      accessToken: "chosen-access-token-0000000000",
      verificationToken: "0123456789abcdef0123456789abcdef",
      unsubscribeToken: "chosen-unsubscribe-token-000000",
    };
    const report = await owner.api.account.import(
      setup({
        user: { email: owner.user.email, emailVerified: true },
        apiTokens: [{ name: "from the file", token: "bu_chosenByTheFile" }],
        channels: [
          {
            key: "hook",
            type: "WEBHOOK",
            name: "Hook",
            target: "http://127.0.0.1:9/hook",
            signingSecret: chosen.signingSecret,
          },
          {
            key: "oncall",
            type: "EMAIL",
            name: "On call",
            target: stranger,
            confirmedAt: "2026-01-01T00:00:00Z",
            awaitingConfirmation: false,
          },
        ],
        statusPages: [
          {
            key: "page",
            name: "Proofs",
            slug,
            visibility: "PRIVATE",
            accessToken: chosen.accessToken,
            domain: {
              name: domain,
              verificationToken: chosen.verificationToken,
              status: "VERIFIED",
              verifiedAt: "2026-01-01T00:00:00Z",
            },
            subscribers: [{ email: `${unique("sub")}@example.test`, confirmedAt: "2026-01-01T00:00:00Z", ...chosen }],
          },
        ],
      }),
    );
    expect(report.created.map((item) => item.key)).toEqual(["hook", "oncall", "page"]);

    const hook = await db.notificationChannel.findFirstOrThrow({ where: { userId: owner.user.id, importKey: "hook" } });
    expect(hook.signingSecret).toMatch(SERVER_SECRET);
    expect(hook.signingSecret).not.toBe(chosen.signingSecret);
    expect(report.created[0]!.note).toMatch(/signs with a new secret/);

    // Consent is the recipient's: asked by mail, never read from the file.
    const oncall = await db.notificationChannel.findFirstOrThrow({
      where: { userId: owner.user.id, importKey: "oncall" },
    });
    expect(oncall.confirmedAt).toBeNull();
    expect(owner.mailer.sent.filter((mail) => mail.to === stranger)).toHaveLength(1);

    const page = await db.statusPage.findFirstOrThrow({
      where: { userId: owner.user.id, importKey: "page" },
      include: { domain: true, subscribers: true },
    });
    expect(page.accessToken).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(page.accessToken).not.toBe(chosen.accessToken);
    expect(page.domain).toMatchObject({ domain, status: "PENDING", verifiedAt: null, verifiedDomain: null });
    expect(page.domain!.verificationToken).not.toBe(chosen.verificationToken);
    expect(page.subscribers).toEqual([]);

    // Nothing the file says about the account, its tokens or anyone's subscriptions.
    expect(await db.apiToken.count({ where: { userId: owner.user.id } })).toBe(0);
    expect(await db.statusPage.count({ where: { accessToken: chosen.accessToken } })).toBe(0);
    expect(await db.statusPageDomain.count({ where: { verificationToken: chosen.verificationToken } })).toBe(0);
  });

  it("onto an existing webhook channel, a signing secret in the file changes nothing", async () => {
    const owner = await account();
    const entry = { key: "hook", type: "WEBHOOK", name: "Hook", target: "http://127.0.0.1:9/hook" };
    await owner.api.account.import(setup({ channels: [entry] }));
    const before = await db.notificationChannel.findFirstOrThrow({
      where: { userId: owner.user.id, importKey: "hook" },
    });
    const report = await owner.api.account.import(
      setup({ channels: [{ ...entry, signingSecret: "whsec_chosenByTheFile000000000000" }] }),
    );
    expect(report.unchanged).toEqual([expect.objectContaining({ key: "hook" })]);
    expect(await db.notificationChannel.findUniqueOrThrow({ where: { id: before.id } })).toEqual(before);
  });
});

describe("a private page's access token", () => {
  it("is never the file's, stays while the password stays, and is new whenever an import changes or refuses the password", async () => {
    const owner = await account();
    const slug = unique("private");
    const key = unique("page");
    const pageWith = (passwordHash: string) =>
      setup({
        statusPages: [
          {
            key,
            name: "Private",
            slug,
            isPublished: true,
            visibility: "PRIVATE",
            passwordHash,
            accessToken: "chosen-access-token-0000000000",
          },
        ],
      });
    const tokenNow = async () =>
      (await db.statusPage.findFirstOrThrow({ where: { userId: owner.user.id, importKey: key } })).accessToken!;
    const read = (token: string) => callerFor(db).statusPage.public({ slug, access: { token } });

    const first = await hashPassword("first password");
    await owner.api.account.import(pageWith(first));
    const t1 = await tokenNow();
    expect(t1).toMatch(SERVER_TOKEN);
    await expect(read(t1)).resolves.toMatchObject({ slug });
    await expect(read("chosen-access-token-0000000000")).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    // The same file again: nothing changes, the token handed out keeps working.
    expect((await owner.api.account.import(pageWith(first))).unchanged).toHaveLength(1);
    expect(await tokenNow()).toBe(t1);

    // A new password (made with this instance's settings): links given out under the old one stop working.
    await owner.api.account.import(pageWith(await hashPassword("second password")));
    const t2 = await tokenNow();
    expect(t2).not.toBe(t1);
    await expect(read(t1)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(read(t2)).resolves.toMatchObject({ slug });

    // A hash this instance would not make: the page is locked, and the old token opens it no more either.
    const report = await owner.api.account.import(
      pageWith(await hash("third password", { ...ARGON2_OPTIONS, parallelism: 2 })),
    );
    expect(report.updated[0]?.note).toMatch(/set a new password/);
    await expect(read(t2)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("arrives locked, with the rest of the file imported, when its hash is another argon2 variant (argon2i, argon2d)", async () => {
    const owner = await account();
    const slug = unique("argon2i");
    const argon2i = (await hashPassword("some password")).replace(/^\$argon2id\$/, "$argon2i$");
    const report = await owner.api.account.import(
      setup({
        monitors: [{ key: unique("monitor"), type: "HTTP", url: "http://127.0.0.1:9/argon2i" }],
        statusPages: [
          {
            key: unique("page"),
            name: "Old hash",
            slug,
            isPublished: true,
            visibility: "PRIVATE",
            passwordHash: argon2i,
          },
        ],
      }),
    );
    expect(report.created).toHaveLength(2);
    expect(report.created.find((item) => item.kind === "statusPage")?.note).toMatch(/set a new password/);
    const page = await db.statusPage.findFirstOrThrow({ where: { userId: owner.user.id, slug } });
    expect(page).toMatchObject({ visibility: "PRIVATE", accessPasswordHash: null });
  });
});

describe("a page's subscribers when an import changes who may see it", () => {
  it("are paused and asked to confirm again when it turns private or its password changes, and resumed when it opens", async () => {
    const owner = await account();
    const slug = unique("subscribed");
    const key = unique("page");
    const pageAs = (visibility: string, passwordHash?: string) =>
      setup({ statusPages: [{ key, name: "Subscribed", slug, isPublished: true, visibility, passwordHash }] });
    await owner.api.account.import(pageAs("PUBLIC"));
    const page = await db.statusPage.findFirstOrThrow({ where: { userId: owner.user.id, importKey: key } });
    const subscriber = await db.subscriber.create({
      data: {
        statusPageId: page.id,
        email: `${unique("reader")}@example.test`,
        confirmTokenHash: unique("confirm"),
        confirmedAt: new Date(),
      },
    });
    const state = async () => ({
      pausedAt: (await db.subscriber.findUniqueOrThrow({ where: { id: subscriber.id } })).pausedAt,
      reconfirmMails: await db.notificationDelivery.count({
        where: { subscriberId: subscriber.id, event: "subscription.reconfirm" },
      }),
    });

    await owner.api.account.import(pageAs("PRIVATE", await hashPassword("first password")));
    const turnedPrivate = await state();
    expect(turnedPrivate).toMatchObject({ pausedAt: expect.any(Date) as unknown, reconfirmMails: 1 });
    // The same file again: no new pause, no new mail.
    await owner.api.account.import(
      pageAs("PRIVATE", (await db.statusPage.findUniqueOrThrow({ where: { id: page.id } })).accessPasswordHash!),
    );
    expect(await state()).toEqual(turnedPrivate);

    await owner.api.account.import(pageAs("PRIVATE", await hashPassword("second password")));
    const newPassword = await state();
    expect(newPassword.pausedAt!.getTime()).toBeGreaterThan(turnedPrivate.pausedAt!.getTime());

    await owner.api.account.import(pageAs("UNLISTED"));
    expect((await state()).pausedAt).toBeNull();
  });
});

describe("re-importing an export of the same instance", () => {
  it("onto the same items keeps their push URLs and signing secrets, and changes nothing", async () => {
    const owner = await account();
    const heartbeat = await owner.api.monitor.create({ type: "HEARTBEAT", periodSeconds: 3600, name: "Cron" });
    const hook = await owner.api.notification.create({ type: "WEBHOOK", name: "Hook", target: "http://127.0.0.1:9/h" });
    const exported = await owner.api.account.export({ includeSecrets: true });
    const rows = async () =>
      JSON.stringify(
        await Promise.all([
          db.monitor.findMany({ where: { userId: owner.user.id }, orderBy: { id: "asc" } }),
          db.notificationChannel.findMany({ where: { userId: owner.user.id }, orderBy: { id: "asc" } }),
        ]),
      );
    const stored = await rows();
    for (let round = 0; round < 2; round += 1) {
      const report = await owner.api.account.import(exported);
      expect(report.unchanged.map((item) => item.kind).sort()).toEqual(["channel", "monitor"]);
      expect(await rows()).toBe(stored);
    }
    expect((await heartbeatOf(owner, "Cron")).pushUrl).toBe(heartbeat.pushUrl);
    expect((await db.notificationChannel.findUniqueOrThrow({ where: { id: hook.id } })).signingSecret).toBe(
      hook.signingSecret,
    );
  });
});

describe("older documents", () => {
  /** What `npm run export -- --include-secrets` wrote before: push tokens, signing secrets, TXT values. */
  const olderExport = (slug: string, pushToken: string) =>
    setup({
      exportedAt: "2026-12-01T10:00:00.000Z",
      channels: [
        {
          key: "old-hook",
          type: "WEBHOOK",
          name: "Old hook",
          isDefault: false,
          reminderMinutes: null,
          target: "http://127.0.0.1:9/old",
          signingSecret: "whsec_fromAnOlderExport0000000000",
        },
      ],
      monitors: [
        {
          key: "old-heartbeat",
          type: "HEARTBEAT",
          name: "Old heartbeat",
          isActive: true,
          periodSeconds: 3600,
          graceSeconds: 60,
          channels: ["old-hook"],
          pushToken,
        },
        { key: "old-http", type: "HTTP", url: "http://127.0.0.1:9/old", name: "Old API", channels: ["old-hook"] },
      ],
      statusPages: [
        {
          key: "old-page",
          name: "Old page",
          slug,
          isPublished: false,
          domain: { name: `${slug}.example.test`, verificationToken: "fedcba9876543210fedcba9876543210" },
          monitors: [{ monitor: "old-http", displayName: "API", section: null }],
        },
      ],
    });

  it("still import: every item made, the proofs in them left unread, and the second import changes nothing", async () => {
    const owner = await account();
    const oldToken = `older${unique("push").replace(/[^A-Za-z0-9]/g, "")}`.padEnd(24, "0");
    const document = olderExport(unique("old"), oldToken);
    const first = await owner.api.account.import(document);
    expect(first.created.map((item) => item.key)).toEqual(["old-hook", "old-heartbeat", "old-http", "old-page"]);
    expect(first.skipped).toEqual([]);
    const heartbeat = await heartbeatOf(owner, "Old heartbeat");
    expect(tokenOf(heartbeat.pushUrl)).toMatch(SERVER_TOKEN);
    await expect(ping(oldToken)).rejects.toMatchObject({ code: "NOT_FOUND" });
    const hook = await db.notificationChannel.findFirstOrThrow({
      where: { userId: owner.user.id, importKey: "old-hook" },
    });
    expect(hook.signingSecret).toMatch(SERVER_SECRET);
    expect(hook.signingSecret).not.toBe("whsec_fromAnOlderExport0000000000");

    const second = await owner.api.account.import(document);
    expect(second.unchanged.map((item) => item.key)).toEqual(["old-hook", "old-heartbeat", "old-http", "old-page"]);
    expect((await heartbeatOf(owner, "Old heartbeat")).pushUrl).toBe(heartbeat.pushUrl);
  });
});
