/**
 * Custom domain claims through the procedures, from source, against a DNS server on
 * 127.0.0.1 (issue 25): the server alone chooses a claim's TXT value — an import never
 * sets it — and a domain verified for one page stays with it until its own record is
 * gone or its owner lets go; a later proof waits, then takes over by itself.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { SetupDocumentInput } from "../../app/lib/setup/setup-document.ts";
import { recheckVerifiedDomains } from "../../app/server/services/status-pages/domains.server.ts";
import { HostCache } from "../../app/server/services/process/host-cache.server.ts";
import { createDb, type Db } from "../../core/db/client.ts";
import { applyMigrations } from "../../core/ops/migrate.ts";
import { createDomainResolver } from "../../core/net/domain-resolver.ts";
import { callerFor, sharedCaches } from "../support/caller.ts";
import { createUser, unique } from "../support/factories.ts";
import { startFakeDns, type FakeDns } from "../support/fakes.ts";
import { createDatabaseBeside, type TestDatabase } from "../support/test-database.ts";

// A database of its own: the re-check rounds here take every due domain in the database,
// and must neither judge other files' domains against this DNS server nor be judged by theirs.
let database: TestDatabase;
let db: Db;
let dns: FakeDns;

beforeAll(async () => {
  database = await createDatabaseBeside(inject("databaseUrl"), "bu_domain_claims");
  await applyMigrations(database.url);
  db = createDb(database.url);
  dns = await startFakeDns();
});
afterAll(async () => {
  await dns?.stop();
  await db?.$disconnect();
  await database?.drop();
});

/** Which page a Host is served, from the database (a fresh cache every time). */
const pageForHost = (host: string) => new HostCache().match(db, host);
const claimOf = (statusPageId: string) => db.statusPageDomain.findUniqueOrThrow({ where: { statusPageId } });
const DAY = 86_400_000;

/** An account with a page, its callers asking the test DNS server. */
async function account() {
  const user = await createUser(db);
  const api = callerFor(db, { user, dns: createDomainResolver([dns.server]) });
  const page = await api.statusPage.create({ name: "Status", slug: unique("page") });
  return { user, api, page };
}

/** A holds `domain`, verified with its own value published. */
async function holderOf(domain: string) {
  const a = await account();
  const txt = (await a.api.statusPage.setDomain({ id: a.page.id, domain })).records[0]!;
  dns.setTxt(txt.name, [txt.value]);
  expect((await a.api.statusPage.verifyDomain({ id: a.page.id })).status).toBe("VERIFIED");
  return { ...a, txt };
}

/** A document written by an older export: the page's domain carries a TXT value. */
function documentWith(domain: string, verificationToken: string): SetupDocumentInput {
  const page = {
    key: unique("imported"),
    name: "Imported",
    slug: unique("imported"),
    domain: { name: domain, verificationToken },
  };
  return { format: "better-uptime/setup", version: 1, statusPages: [page] };
}

describe("an import never sets a TXT value", () => {
  it("an imported page's domain starts PENDING with a new value, and the note says which record to publish", async () => {
    const domain = `${unique("status")}.victim.example`;
    const a = await holderOf(domain);
    const aToken = (await claimOf(a.page.id)).verificationToken;

    const b = await account();
    // An older document's field, holding A's value (public: it is in A's TXT record).
    const report = await b.api.account.import(documentWith(domain, aToken));
    expect(report.created).toHaveLength(1);
    const imported = await db.statusPage.findFirstOrThrow({
      where: { userId: b.user.id },
      include: { domain: true },
    });
    expect(imported.domain).toMatchObject({ domain, status: "PENDING", waitingSince: null });
    expect(imported.domain!.verificationToken).not.toBe(aToken);
    expect(imported.domain!.verificationToken).toMatch(/^[0-9a-f]{32}$/);
    expect(report.created[0]!.note).toContain(
      `${domain}: publish a TXT record at _better-uptime.${domain} holding "better-uptime-verification=${imported.domain!.verificationToken}"`,
    );

    // B's verify with only A's record published proves nothing for B, and A keeps the domain.
    expect((await b.api.statusPage.verifyDomain({ id: imported.id })).status).toBe("FAILED");
    expect(await claimOf(a.page.id)).toMatchObject({ status: "VERIFIED", verificationToken: aToken });
    expect(await pageForHost(domain)).toEqual({ slug: a.page.slug });
  });

  it("an export carries no TXT value, and importing it again keeps the page's claim as it is", async () => {
    const domain = `${unique("status")}.mine.example`;
    const a = await holderOf(domain);
    const exported = await a.api.account.export({ includeSecrets: true });
    expect(exported.statusPages[0]!.domain).toEqual({ name: domain });
    const before = await claimOf(a.page.id);
    const report = await a.api.account.import(exported);
    expect(report.unchanged).toHaveLength(1);
    expect(await claimOf(a.page.id)).toEqual(before);
  });
});

describe("a verified domain stays with its page", () => {
  it("another page's proof waits while the holder's record is published, and takes over at its next verify once it is gone", async () => {
    const domain = `${unique("status")}.victim.example`;
    const a = await holderOf(domain);
    const b = await account();
    const bTxt = (await b.api.statusPage.setDomain({ id: b.page.id, domain })).records[0]!;

    dns.setTxt(bTxt.name, [a.txt.value, bTxt.value]);
    const waiting = await b.api.statusPage.verifyDomain({ id: b.page.id });
    expect(waiting).toMatchObject({
      status: "PENDING",
      waiting: true,
      failureReason: `${domain} is verified for another status page. Your TXT record is in place: this claim takes over when that page's TXT record is gone or its owner removes the domain (checked daily, and whenever you verify again).`,
    });
    expect(await claimOf(a.page.id)).toMatchObject({ status: "VERIFIED" });
    expect(await pageForHost(domain)).toEqual({ slug: a.page.slug });
    // The owner's page editor is given the same state and reason.
    expect((await b.api.statusPage.byId({ id: b.page.id })).domain).toMatchObject({ waiting: true, status: "PENDING" });

    dns.setTxt(bTxt.name, [bTxt.value]); // A's record is gone
    expect(await b.api.statusPage.verifyDomain({ id: b.page.id })).toMatchObject({
      status: "VERIFIED",
      waiting: false,
      failureReason: null,
    });
    expect(await claimOf(a.page.id)).toMatchObject({
      status: "FAILED",
      verifiedAt: null,
      failureReason: `The TXT record at ${a.txt.name} is "${bTxt.value}", not "${a.txt.value}". Correct it, then verify again.`,
    });
    expect(await pageForHost(domain)).toEqual({ slug: b.page.slug });
    expect(await callerFor(db).statusPage.isVerifiedDomain({ domain })).toBe(true);
  });

  it("the daily re-check hands the domain to the waiting claim once the holder's record is gone", async () => {
    const domain = `${unique("status")}.victim.example`;
    const a = await holderOf(domain);
    const b = await account();
    const bTxt = (await b.api.statusPage.setDomain({ id: b.page.id, domain })).records[0]!;
    dns.setTxt(bTxt.name, [a.txt.value, bTxt.value]);
    expect((await b.api.statusPage.verifyDomain({ id: b.page.id })).waiting).toBe(true);

    const scope = { db, dns: createDomainResolver([dns.server]), caches: sharedCaches };
    // A day later, both records still there: nothing moves.
    await recheckVerifiedDomains(scope, { now: Date.now() + DAY + 60_000 });
    expect(await claimOf(a.page.id)).toMatchObject({ status: "VERIFIED" });
    expect(await claimOf(b.page.id)).toMatchObject({ status: "PENDING", waitingSince: expect.any(Date) as unknown });

    dns.setTxt(bTxt.name, [bTxt.value]);
    const { failed } = await recheckVerifiedDomains(scope, { now: Date.now() + 2 * DAY + 60_000 });
    expect(failed).toContain(domain);
    expect(await claimOf(a.page.id)).toMatchObject({ status: "FAILED" });
    expect(await claimOf(b.page.id)).toMatchObject({ status: "VERIFIED", waitingSince: null });
    expect(await pageForHost(domain)).toEqual({ slug: b.page.slug });
  });

  it("the holder's own verify, once its record is gone, fails it and the waiting claim takes over at once", async () => {
    const domain = `${unique("status")}.victim.example`;
    const a = await holderOf(domain);
    const b = await account();
    const bTxt = (await b.api.statusPage.setDomain({ id: b.page.id, domain })).records[0]!;
    dns.setTxt(bTxt.name, [a.txt.value, bTxt.value]);
    await b.api.statusPage.verifyDomain({ id: b.page.id });

    dns.setTxt(bTxt.name, [bTxt.value]);
    expect((await a.api.statusPage.verifyDomain({ id: a.page.id })).status).toBe("FAILED");
    expect(await claimOf(b.page.id)).toMatchObject({ status: "VERIFIED" });
    expect(await pageForHost(domain)).toEqual({ slug: b.page.slug });
  });

  it("when the holder lets go (removes the domain, or deletes the page), the next re-check round hands it to the waiting claim", async () => {
    for (const letGo of ["removeDomain", "delete"] as const) {
      const domain = `${unique("status")}.released.example`;
      const a = await holderOf(domain);
      const b = await account();
      const bTxt = (await b.api.statusPage.setDomain({ id: b.page.id, domain })).records[0]!;
      dns.setTxt(bTxt.name, [a.txt.value, bTxt.value]);
      await b.api.statusPage.verifyDomain({ id: b.page.id });

      await a.api.statusPage[letGo]({ id: a.page.id });
      expect(await pageForHost(domain)).toBeNull();
      // Due at once, not a day after its last check.
      await recheckVerifiedDomains({ db, dns: createDomainResolver([dns.server]), caches: sharedCaches });
      expect(await claimOf(b.page.id)).toMatchObject({ status: "VERIFIED" });
      expect(await pageForHost(domain)).toEqual({ slug: b.page.slug });
    }
  });

  it("two proofs racing for a free domain leave exactly one VERIFIED claim", async () => {
    const domain = `${unique("status")}.race.example`;
    const [a, b] = [await account(), await account()];
    const aTxt = (await a.api.statusPage.setDomain({ id: a.page.id, domain })).records[0]!;
    const bTxt = (await b.api.statusPage.setDomain({ id: b.page.id, domain })).records[0]!;
    dns.setTxt(aTxt.name, [aTxt.value, bTxt.value]);
    const results = await Promise.all([
      a.api.statusPage.verifyDomain({ id: a.page.id }),
      b.api.statusPage.verifyDomain({ id: b.page.id }),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(["PENDING", "VERIFIED"]);
    expect(await db.statusPageDomain.count({ where: { domain, status: "VERIFIED" } })).toBe(1);
  });
});
