/**
 * Subscribers' links (issue 25, item 12): no unsubscribe token is stored in a usable
 * form — new mails carry one derived from the instance's key and the subscriber, and
 * the tokens of mails sent before are hashed in place by a migration, so those links keep
 * working; confirmation links expire after 7 days, and an expired one says so.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, describe, expect, inject, it } from "vitest";
import * as confirmRoute from "../../app/routes/status.$slug_.confirm.tsx";
import { createDb } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { subscriberLinkKey, unsubscribeToken } from "../../core/outbox/subscriber-links.ts";
import { sqlOfPrisma } from "../../core/db/sql.ts";
import { callerFor, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser, unique } from "../support/factories.ts";
import { memoryMailer } from "../support/mailbox.ts";
import { createDatabaseBeside, repoRoot, type TestDatabase } from "../support/test-database.ts";

const db = testDb();
const scratch: TestDatabase[] = [];
afterEach(async () => {
  await Promise.all(scratch.splice(0).map((database) => database.drop()));
});
afterAll(() => db.$disconnect());

const HASHING_MIGRATION = "20261207021000_subscriber_tokens";

async function publishedPage(name = "Acme") {
  const owner = await createUser(db);
  const api = callerFor(db, { user: owner });
  const page = await api.statusPage.create({ name, slug: unique("tokens") });
  await api.statusPage.setPublished({ id: page.id, isPublished: true });
  return page;
}

describe("unsubscribe tokens", () => {
  it("a link from a mail sent before the migration still unsubscribes; the database keeps only its hash", async () => {
    const database = await createDatabaseBeside(inject("databaseUrl"), "bu_tokens");
    scratch.push(database);
    // The database as it was before: every migration up to the hashing one.
    const before = mkdtempSync(path.join(tmpdir(), "bu-migrations-"));
    const source = path.join(repoRoot, "prisma/migrations");
    cpSync(path.join(source, "migration_lock.toml"), path.join(before, "migration_lock.toml"));
    for (const entry of readdirSync(source, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name < HASHING_MIGRATION) {
        cpSync(path.join(source, entry.name), path.join(before, entry.name), { recursive: true });
      }
    }
    await applyMigrations(database.url, before);
    rmSync(before, { recursive: true, force: true });

    const legacyToken = "unsub_S3ntInAMailLastMonth-0123456789abcdefghijklmnopq";
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('u1', 'owner@example.test', now())`);
      await client.query(
        `INSERT INTO "StatusPage" (id, "userId", name, slug, "isPublished", "updatedAt")
         VALUES ('p1', 'u1', 'Legacy', 'legacy', true, now())`,
      );
      await client.query(
        `INSERT INTO "Subscriber" (id, "statusPageId", email, "confirmTokenHash", "unsubscribeToken", "confirmedAt")
         VALUES ('s1', 'p1', 'reader@example.test', 'h1', $1, now()),
                ('s2', 'p1', 'other@example.test', 'h2', 'unsub_another-readers-token', now())`,
        [legacyToken],
      );
    } finally {
      await client.end();
    }

    expect(await applyMigrations(database.url)).toContain(HASHING_MIGRATION);
    const migrated = createDb(database.url);
    try {
      const stored = await migrated.subscriber.findUniqueOrThrow({ where: { id: "s1" } });
      expect(JSON.stringify(stored)).not.toContain(legacyToken);
      expect(stored.unsubscribeTokenHash).toMatch(/^[0-9a-f]{64}$/);
      // What the stored value is worth to someone who reads the database: nothing.
      const visitor = callerFor(migrated);
      expect(await visitor.statusPage.unsubscribe({ token: stored.unsubscribeTokenHash! })).toEqual({ pageName: null });
      // The link in the old mail: unsubscribes that reader, and nobody else.
      expect(await visitor.statusPage.unsubscribe({ token: legacyToken })).toEqual({ pageName: "Legacy" });
      expect((await migrated.subscriber.findMany()).map((subscriber) => subscriber.id)).toEqual(["s2"]);
    } finally {
      await migrated.$disconnect();
    }
  });

  it("new ones are derived from the instance's key and the subscriber: nothing usable is stored, a forged one fails", async () => {
    const page = await publishedPage();
    const mailer = memoryMailer();
    const visitor = callerFor(db, { mailer });
    const email = `${unique("reader")}@example.test`;
    await visitor.statusPage.subscribe({ slug: page.slug, email });
    const confirm = new URL(mailer.linkTo(email, "/confirm"));
    await visitor.statusPage.confirmSubscription({ token: confirm.searchParams.get("token")! });
    const subscriber = await db.subscriber.findFirstOrThrow({ where: { email } });
    expect(subscriber.unsubscribeTokenHash).toBeNull();

    const key = await subscriberLinkKey(sqlOfPrisma(db));
    const token = unsubscribeToken(key, subscriber.id);
    expect(JSON.stringify(subscriber)).not.toContain(token.split(".")[1]);
    // The id with a signature made with another key (or none) unsubscribes nobody.
    const forged = unsubscribeToken(Buffer.alloc(32, 1), subscriber.id);
    expect(await visitor.statusPage.unsubscribe({ token: forged })).toEqual({ pageName: null });
    expect(await visitor.statusPage.unsubscribe({ token: subscriber.id })).toEqual({ pageName: null });
    expect(await db.subscriber.count({ where: { id: subscriber.id } })).toBe(1);
    expect(await visitor.statusPage.unsubscribe({ token })).toEqual({ pageName: "Acme" });
    expect(await db.subscriber.count({ where: { id: subscriber.id } })).toBe(0);
  });
});

describe("confirmation links", () => {
  it("say in the mail that they work for 7 days, and an expired one says it has expired", async () => {
    const page = await publishedPage("Expiring");
    const mailer = memoryMailer();
    const visitor = callerFor(db, { mailer });
    const email = `${unique("slow")}@example.test`;
    await visitor.statusPage.subscribe({ slug: page.slug, email });
    expect(mailer.sent.at(-1)!.text).toContain("The link works for 7 days.");
    const link = mailer.linkTo(email, "/confirm");
    await db.subscriber.updateMany({
      where: { email },
      data: { confirmSentAt: new Date(Date.now() - 8 * 86_400_000) },
    });

    const result = (await confirmRoute.action({
      request: new Request(link, {
        method: "POST",
        headers: { origin: "http://127.0.0.1:3000" },
        body: new URLSearchParams(),
      }),
      params: { slug: page.slug },
      context: testContext(db),
    })) as unknown as { data: { ok: boolean; title: string; text: string }; init: ResponseInit };
    expect(result.init.status).toBe(410);
    expect(result.data).toEqual({
      ok: false,
      title: "This link has expired",
      text: "This confirmation link has expired: links work for 7 days. Subscribe again on the status page to get a new one.",
    });
    expect((await db.subscriber.findFirstOrThrow({ where: { email } })).confirmedAt).toBeNull();

    // Subscribing again mails a new link, which works.
    await visitor.statusPage.subscribe({ slug: page.slug, email });
    const fresh = new URL(mailer.linkTo(email, "/confirm"));
    await expect(visitor.statusPage.confirmSubscription({ token: fresh.searchParams.get("token")! })).resolves.toEqual({
      pageName: "Expiring",
      slug: page.slug,
    });
  });
});
