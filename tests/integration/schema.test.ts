import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Prisma } from "../../core/db/client.ts";
import { CheckStatus, DomainVerificationStatus } from "../../core/db/generated/enums.ts";
import { testDb } from "../support/db.ts";
import { createStatusPage, createUser, createMonitorRow, unique } from "../support/factories.ts";
import { insertChecks } from "../support/stored-results.ts";
import { repoRoot } from "../support/test-database.ts";

const db = testDb();
afterAll(() => db.$disconnect());

/** Prisma's unique-violation error (P2002), naming the unique index that refused the row. */
function uniqueViolationOn(index: string) {
  return expect.objectContaining({
    code: "P2002",
    meta: expect.objectContaining({
      driverAdapterError: expect.objectContaining({ cause: expect.objectContaining({ constraint: { index } }) }),
    }),
  });
}

describe("the schema from the database guide", () => {
  it("has every model's table and every enum, with the guide's values", async () => {
    const tables = await db.$queryRaw<{ table_name: string }[]>`
      SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()`;
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining([
        "User",
        "CheckResult",
        "MonitorSchedule",
        "Incident",
        "CheckRollup",
        "Account",
        "Website",
        "StatusPage",
        "StatusPageMonitor",
        "StatusPageDomain",
        "EmailVerificationToken",
      ]),
    );
    const enums = await db.$queryRaw<{ name: string; values: string[] }[]>`
      SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
      FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`;
    expect(Object.fromEntries(enums.map((e) => [e.name, e.values]))).toMatchObject({
      CheckStatus: ["UP", "DOWN"],
      DomainVerificationStatus: ["PENDING", "VERIFIED", "FAILED"],
    });
    expect(Object.values(CheckStatus)).toEqual(["UP", "DOWN"]);
    expect(Object.values(DomainVerificationStatus)).toEqual(["PENDING", "VERIFIED", "FAILED"]);
  });

  it("stores a user with the guide's fields and defaults, password optional for OAuth users", async () => {
    const user = await db.user.create({ data: { email: `${unique("oauth")}@example.test` } });
    expect(user).toMatchObject({
      passwordHash: null,
      emailVerified: false,
      name: null,
      avatarUrl: null,
      isActive: true,
    });
    expect(user.id).toMatch(/^c[a-z0-9]{20,}$/); // a CUID
  });

  it("refuses a second user with the same email", async () => {
    const email = `${unique("dup")}@example.test`;
    await createUser(db, { email });
    await expect(createUser(db, { email })).rejects.toEqual(uniqueViolationOn("User_email_key"));
  });

  it("refuses a second status page with the same slug", async () => {
    const [a, b] = [await createUser(db), await createUser(db)];
    const slug = unique("slug");
    await createStatusPage(db, a.id, slug);
    await expect(createStatusPage(db, b.id, slug)).rejects.toEqual(uniqueViolationOn("StatusPage_slug_key"));
  });

  it("lets several pages claim a domain, but one holds it VERIFIED, each value proves one claim, and a page has one domain", async () => {
    const user = await createUser(db);
    const [page1, page2, page3] = [
      await createStatusPage(db, user.id),
      await createStatusPage(db, user.id),
      await createStatusPage(db, user.id),
    ];
    const domain = `${unique("status")}.example.test`;
    const created = await db.statusPageDomain.create({
      data: { statusPageId: page1.id, domain, verificationToken: unique("t1") },
    });
    expect(created.status).toBe("PENDING");
    await expect(
      db.statusPageDomain.create({ data: { statusPageId: page2.id, domain, verificationToken: unique("t2") } }),
    ).resolves.toMatchObject({ status: "PENDING" });
    await expect(
      db.statusPageDomain.create({
        data: { statusPageId: page1.id, domain: `${unique("other")}.example.test`, verificationToken: unique("t3") },
      }),
    ).rejects.toEqual(uniqueViolationOn("StatusPageDomain_statusPageId_key"));
    // Routing can only ever see one page per domain: its holder, by a unique column that a
    // CHECK ties to the status (VERIFIED without it, or it without VERIFIED, is refused).
    await db.statusPageDomain.update({
      where: { id: created.id },
      data: { status: "VERIFIED", verifiedDomain: domain },
    });
    await expect(
      db.statusPageDomain.update({
        where: { statusPageId: page2.id },
        data: { status: "VERIFIED", verifiedDomain: domain },
      }),
    ).rejects.toEqual(uniqueViolationOn("StatusPageDomain_verifiedDomain_key"));
    await expect(
      db.$executeRaw`UPDATE "StatusPageDomain" SET status = 'VERIFIED' WHERE "statusPageId" = ${page2.id}`,
    ).rejects.toThrow(/StatusPageDomain_verifiedDomain_check/);
    await expect(
      db.$executeRaw`UPDATE "StatusPageDomain" SET status = 'FAILED' WHERE id = ${created.id}`,
    ).rejects.toThrow(/StatusPageDomain_verifiedDomain_check/);
    // A value copied from another claim proves nothing: the database refuses it.
    await expect(
      db.statusPageDomain.create({
        data: {
          statusPageId: page3.id,
          domain: `${unique("third")}.example.test`,
          verificationToken: created.verificationToken,
        },
      }),
    ).rejects.toEqual(uniqueViolationOn("StatusPageDomain_verificationToken_key"));
  });

  it("refuses linking the same provider account twice", async () => {
    const [a, b] = [await createUser(db), await createUser(db)];
    const providerAccountId = unique("gh");
    await db.account.create({ data: { userId: a.id, provider: "github", providerAccountId } });
    await expect(db.account.create({ data: { userId: b.id, provider: "github", providerAccountId } })).rejects.toEqual(
      uniqueViolationOn("Account_provider_providerAccountId_key"),
    );
    // The same id at another provider is a different account.
    await expect(
      db.account.create({ data: { userId: b.id, provider: "gitlab", providerAccountId } }),
    ).resolves.toMatchObject({ userId: b.id });
  });

  it("links monitors and status pages many-to-many", async () => {
    const user = await createUser(db);
    const [site1, site2] = [await createMonitorRow(db, user.id), await createMonitorRow(db, user.id)];
    const [page1, page2] = [await createStatusPage(db, user.id), await createStatusPage(db, user.id)];
    await db.statusPageMonitor.createMany({
      data: [
        { statusPageId: page1.id, monitorId: site1.id, position: 0 },
        { statusPageId: page1.id, monitorId: site2.id, position: 1 },
        { statusPageId: page2.id, monitorId: site1.id, position: 0 },
      ],
    });
    const page = await db.statusPage.findUniqueOrThrow({
      where: { id: page1.id },
      include: { monitors: { orderBy: { position: "asc" } } },
    });
    expect(page.monitors.map((m) => m.monitorId)).toEqual([site1.id, site2.id]);
    expect(await db.statusPageMonitor.count({ where: { monitorId: site1.id } })).toBe(2);
    await expect(
      db.statusPageMonitor.create({ data: { statusPageId: page1.id, monitorId: site1.id } }),
    ).rejects.toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
  });

  it("deleting a user removes their accounts, monitors, results, status pages, domains and tokens", async () => {
    const user = await createUser(db);
    const bystander = await createUser(db);
    const bystanderSite = await createMonitorRow(db, bystander.id);
    await db.account.create({ data: { userId: user.id, provider: "github", providerAccountId: unique("gh") } });
    const site = await createMonitorRow(db, user.id);
    await insertChecks(db, site.id, [{ checkedAt: new Date(), status: "UP", statusCode: 200, responseTimeMs: 12 }]);
    const page = await createStatusPage(db, user.id);
    await db.statusPageMonitor.create({ data: { statusPageId: page.id, monitorId: site.id } });
    await db.statusPageDomain.create({
      data: { statusPageId: page.id, domain: `${unique("d")}.example.test`, verificationToken: unique("t") },
    });
    await db.emailVerificationToken.create({
      data: {
        userId: user.id,
        email: user.email,
        tokenHash: unique("hash"),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });

    await db.user.delete({ where: { id: user.id } });

    expect(await db.account.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.monitor.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.$queryRaw`SELECT 1 FROM "CheckResult" WHERE "monitorKey" = ${site.key}`).toEqual([]);
    expect(await db.statusPage.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.statusPageMonitor.count({ where: { statusPageId: page.id } })).toBe(0);
    expect(await db.statusPageDomain.count({ where: { statusPageId: page.id } })).toBe(0);
    expect(await db.emailVerificationToken.count({ where: { userId: user.id } })).toBe(0);
    // Nobody else's data goes with it.
    expect(await db.monitor.findUnique({ where: { id: bystanderSite.id } })).not.toBeNull();
  });

  it("has indexes for owner lookups, due checks and results by monitor and time", async () => {
    const indexes = await db.$queryRaw<{ indexdef: string }[]>`
      SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()`;
    const defs = indexes.map((i) => i.indexdef);
    expect(defs).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ON public\."Website" USING btree \("userId", "createdAt"\)/),
        expect.stringMatching(/ON public\."MonitorSchedule" USING btree \(region, "isActive", "nextCheckAt"\)/),
        // Results by monitor and time: the primary key of every day partition.
        expect.stringMatching(/ON ONLY public\."CheckResult" USING btree \("monitorKey", "regionKey", "scheduledAt"\)/),
        expect.stringMatching(/ON public\."StatusPage" USING btree \("userId"\)/),
        expect.stringMatching(/ON public\."Account" USING btree \("userId"\)/),
      ]),
    );
  });
});

describe("the README's index table", () => {
  it("lists exactly the database's indexes (besides single-column primary keys)", async () => {
    const readme = readFileSync(path.join(repoRoot, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Indexes"), readme.indexOf("### Backup and restore"));
    const listed = [...section.matchAll(/`(\w+)\(([^)]*)\)`( unique| primary key| GIN)?/g)].map(
      ([, table, columns, kind]) => `${table}(${columns}) ${kind?.trim() ?? ""}`.trim(),
    );
    const indexes = await db.$queryRaw<
      { table: string; definition: string; primary: boolean; unique: boolean; columns: number }[]
    >`
      SELECT c.relname::text AS table, pg_get_indexdef(i.indexrelid) AS definition, i.indisprimary AS primary,
             i.indisunique AS unique, i.indnatts::int AS columns
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND NOT c.relispartition AND c.relname <> '_prisma_migrations'`;
    const actual = indexes
      .filter((index) => !(index.primary && index.columns === 1))
      .map((index) => {
        const columns = /\((.*)\)$/.exec(index.definition)![1]!.replace(/"/g, "");
        const kind = index.primary
          ? "primary key"
          : index.unique
            ? "unique"
            : index.definition.includes("USING gin")
              ? "GIN"
              : "";
        return `${index.table}(${columns}) ${kind}`.trim();
      });
    expect([...listed].sort()).toEqual(actual.sort());
  });
});
