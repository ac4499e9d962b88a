/**
 * The domain claims migration (20261207010000_domain_claims) on a database of the shape
 * before it, holding what the old rules let in: a claim that copied another claim's TXT
 * value through an import, two VERIFIED claims of one domain, a value shared by claims
 * of different domains.
 */
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { HostCache } from "../../app/server/services/process/host-cache.server.ts";
import { createDb, type Db } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { migrateUpTo } from "../support/migrate-up-to.ts";
import { createDatabaseBeside, type TestDatabase } from "../support/test-database.ts";

const MIGRATION = "20261207010000_domain_claims";

let database: TestDatabase;
let client: pg.Client;
let db: Db;

const day = (n: number) => new Date(Date.UTC(2026, 10, n));

/** [claim id, domain, status, value, created, verified] — one page each. */
type OldClaim = [string, string, "PENDING" | "VERIFIED" | "FAILED", string, Date, Date | null];
const OLD: OldClaim[] = [
  // The attack, half done: B imported A's page with A's domain and A's value, not yet verified.
  ["victim-a", "status.victim.example", "VERIFIED", "aaaa1111aaaa1111", day(1), day(2)],
  ["victim-b", "status.victim.example", "PENDING", "aaaa1111aaaa1111", day(10), null],
  // Two VERIFIED claims of one domain (a race under the old rules): routing served the later.
  ["dup-older", "status.dup.example", "VERIFIED", "bbbb2222bbbb2222", day(1), day(3)],
  ["dup-newer", "status.dup.example", "VERIFIED", "cccc3333cccc3333", day(2), day(4)],
  // One value, no verified claim: the oldest keeps it.
  ["none-old", "status.none.example", "PENDING", "dddd4444dddd4444", day(1), null],
  ["none-new", "status.other.example", "FAILED", "dddd4444dddd4444", day(2), null],
  // One value verified for two domains: the oldest verified keeps it; the other must prove again.
  ["two-old", "status.one.example", "VERIFIED", "eeee5555eeee5555", day(1), day(2)],
  ["two-new", "status.two.example", "VERIFIED", "eeee5555eeee5555", day(3), day(4)],
  // Nothing shared: untouched.
  ["alone", "status.alone.example", "VERIFIED", "ffff6666ffff6666", day(1), day(2)],
];

beforeAll(async () => {
  database = await createDatabaseBeside(inject("databaseUrl"), "bu_domain_migration");
  await migrateUpTo(database.url, MIGRATION);
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`INSERT INTO "User" (id, email, "updatedAt") VALUES ('u1', 'old@example.test', now())`);
  for (const [id, domain, status, token, createdAt, verifiedAt] of OLD) {
    await client.query(
      `INSERT INTO "StatusPage" (id, "userId", name, slug, "updatedAt") VALUES ($1, 'u1', $1, $1, now())`,
      [`page-${id}`],
    );
    await client.query(
      `INSERT INTO "StatusPageDomain" (id, "statusPageId", domain, status, "verificationToken", "createdAt", "updatedAt", "verifiedAt", "lastCheckedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $7)`,
      [id, `page-${id}`, domain, status, token, createdAt, verifiedAt],
    );
  }
  expect(await applyMigrations(database.url)).toContain(MIGRATION);
  db = createDb(database.url);
});

afterAll(async () => {
  await client?.end();
  await db?.$disconnect();
  await database?.drop();
});

async function claims() {
  const rows = await db.statusPageDomain.findMany();
  return Object.fromEntries(rows.map((row) => [row.id, row]));
}
const oldValue = (id: string) => OLD.find(([claim]) => claim === id)![3];

describe("the domain claims migration", () => {
  it("gives the claim that copied another claim's value a new one; the verified owner keeps its value and its domain", async () => {
    const { "victim-a": owner, "victim-b": copier } = await claims();
    expect(owner).toMatchObject({ status: "VERIFIED", verificationToken: oldValue("victim-a"), verifiedAt: day(2) });
    expect(copier!.verificationToken).not.toBe(oldValue("victim-a"));
    expect(copier!.verificationToken).toMatch(/^[0-9a-f]{32}$/);
    expect(copier).toMatchObject({
      status: "PENDING",
      waitingSince: null,
      failureReason: expect.stringMatching(/has a new one: publish the record shown here/) as unknown,
    });
    expect(await new HostCache().match(db, "status.victim.example")).toEqual({ slug: "page-victim-a" });
  });

  it("leaves one VERIFIED claim per domain, the most recently verified (the one routing served)", async () => {
    const { "dup-older": older, "dup-newer": newer } = await claims();
    expect(newer).toMatchObject({ status: "VERIFIED", verificationToken: oldValue("dup-newer") });
    expect(older).toMatchObject({
      status: "FAILED",
      verifiedAt: null,
      verificationToken: oldValue("dup-older"),
      failureReason: expect.stringMatching(/^Another status page holds status\.dup\.example/) as unknown,
    });
    expect(await new HostCache().match(db, "status.dup.example")).toEqual({ slug: "page-dup-newer" });
  });

  it("a value shared without a verified claim stays with the oldest claim; shared by two verified, with the oldest", async () => {
    const rows = await claims();
    expect(rows["none-old"]).toMatchObject({ status: "PENDING", verificationToken: oldValue("none-old") });
    expect(rows["none-new"]!.verificationToken).not.toBe(oldValue("none-new"));
    expect(rows["two-old"]).toMatchObject({ status: "VERIFIED", verificationToken: oldValue("two-old") });
    expect(rows["two-new"]).toMatchObject({ status: "PENDING", verifiedAt: null });
    expect(rows["two-new"]!.verificationToken).not.toBe(oldValue("two-new"));
    expect(rows.alone).toMatchObject({ status: "VERIFIED", verificationToken: oldValue("alone") });
    // Every value now proves one claim.
    const values = Object.values(rows).map((row) => row.verificationToken);
    expect(new Set(values).size).toBe(values.length);
  });

  it("marks each domain's holder, then the database refuses a second VERIFIED claim of a domain and a copied value", async () => {
    const rows = Object.values(await claims());
    expect(rows.filter((row) => row.verifiedDomain !== null).map((row) => [row.id, row.verifiedDomain])).toEqual(
      expect.arrayContaining([
        ["victim-a", "status.victim.example"],
        ["dup-newer", "status.dup.example"],
        ["two-old", "status.one.example"],
        ["alone", "status.alone.example"],
      ]),
    );
    expect(rows.filter((row) => row.verifiedDomain !== null)).toHaveLength(4);
    await expect(
      client.query(
        `UPDATE "StatusPageDomain" SET status = 'VERIFIED', "verifiedDomain" = domain WHERE id = 'dup-older'`,
      ),
    ).rejects.toMatchObject({ code: "23505", constraint: "StatusPageDomain_verifiedDomain_key" });
    await expect(
      client.query(`UPDATE "StatusPageDomain" SET status = 'VERIFIED' WHERE id = 'dup-older'`),
    ).rejects.toMatchObject({ code: "23514", constraint: "StatusPageDomain_verifiedDomain_check" });
    await expect(
      client.query(`UPDATE "StatusPageDomain" SET "verificationToken" = $1 WHERE id = 'victim-b'`, [
        oldValue("victim-a"),
      ]),
    ).rejects.toMatchObject({ code: "23505", constraint: "StatusPageDomain_verificationToken_key" });
  });
});
