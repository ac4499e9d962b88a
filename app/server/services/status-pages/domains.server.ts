/**
 * Custom domains: the owner adds one (PENDING), publishes a TXT record holding the claim's
 * value and a CNAME to this instance, then asks us to verify; we look the TXT record up
 * (through the configured resolver) and settle the domain's claims
 * (`core/domain/domain-claims.ts`). Requests whose Host is a VERIFIED domain are served
 * that page.
 *
 * Only proof counts, and the server alone chooses what proves: each claim's value is
 * random, made here, never taken from input (an import included) and never shared by two
 * claims (a unique index). A claim changes no routing until its value is seen published,
 * so nobody can squat a domain (or this instance's own names) by claiming it first. A
 * domain VERIFIED for one page stays with it until its own record is gone or its owner
 * lets go; another page's later proof waits, and takes over by itself once the holder's
 * record is gone. The database holds at most one VERIFIED claim per domain (the unique
 * `verifiedDomain`, which a CHECK ties to status and domain).
 */
import { randomBytes } from "node:crypto";
import type { StatusPageDomain } from "../../../../core/db/generated/client.ts";
import {
  settleClaims,
  txtName,
  txtValue,
  type Asker,
  type Claim,
  type ClaimUpdate,
  type TxtLookup,
} from "../../../../core/domain/domain-claims.ts";
import type { Env } from "../../../../core/env.ts";
import type { DomainResolver } from "../../../../core/net/domain-resolver.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { lockDomainClaims } from "../../../../core/db/queries/status-pages.ts";
import { sqlOfPrisma } from "../../../../core/db/sql.ts";

/** This instance's own host names (APP_URL's, HOST, the CNAME target, RESERVED_HOSTNAMES): never a custom domain. */
export function reservedHosts(env: Env): string[] {
  return [new URL(env.APP_URL).hostname, env.HOST, env.STATUS_PAGE_CNAME, ...env.RESERVED_HOSTNAMES];
}

/** Whether `domain` is one of this instance's own names (or a loopback name). */
export function isReservedHost(domain: string, reservedHosts: readonly string[]): boolean {
  const name = domain.toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    reservedHosts.some((reserved) => reserved.toLowerCase().replace(/\.$/, "") === name)
  );
}

export interface DomainView {
  domain: string;
  status: StatusPageDomain["status"];
  /** PENDING with its value published, while another page holds the domain (failureReason says so). */
  waiting: boolean;
  /** The records the owner creates at their DNS provider. */
  records: { type: "TXT" | "CNAME"; name: string; value: string }[];
  failureReason: string | null;
  lastCheckedAt: Date | null;
  verifiedAt: Date | null;
}

export function toDomainView(row: StatusPageDomain, cnameTarget?: string): DomainView {
  const records: DomainView["records"] = [
    { type: "TXT", name: txtName(row.domain), value: txtValue(row.verificationToken) },
  ];
  if (cnameTarget) records.push({ type: "CNAME", name: row.domain, value: cnameTarget });
  return {
    domain: row.domain,
    status: row.status,
    waiting: row.status === "PENDING" && row.waitingSince !== null,
    records,
    failureReason: row.failureReason,
    lastCheckedAt: row.lastCheckedAt,
    verifiedAt: row.verifiedAt,
  };
}

/** A new claim's TXT value: random, and the server's alone (no input ever sets it). */
const newVerificationToken = () => randomBytes(16).toString("hex");

/** Adds or replaces the page's domain; it starts PENDING with a new value of our choosing. */
export async function setDomain(
  ctx: OwnerScope,
  { id: pageId, domain }: { id: string; domain: string },
): Promise<DomainView> {
  const page = await ctx.own.page(pageId);
  if (isReservedHost(domain, reservedHosts(ctx.env)))
    throw new ValidationError({ domain: ["Use a domain of your own, not this app's address"] });
  const data = {
    domain,
    status: "PENDING" as const,
    verificationToken: newVerificationToken(),
    failureReason: null,
    lastCheckedAt: null,
    verifiedAt: null,
    waitingSince: null,
    verifiedDomain: null,
  };
  const replaced = await ctx.db.statusPageDomain.findUnique({
    where: { statusPageId: page.id },
    select: { domain: true },
  });
  const row = await ctx.db.statusPageDomain.upsert({
    where: { statusPageId: page.id },
    create: { statusPageId: page.id, ...data },
    update: data,
  });
  if (replaced) await domainReleased(ctx, replaced.domain); // no longer this page's address
  return toDomainView(row, ctx.env.STATUS_PAGE_CNAME);
}

/**
 * After a page lets a domain go (replaced, removed, the page deleted): routing forgets it,
 * and the claims waiting for it are due at the next re-check round, which hands the
 * domain to the first of them whose value is still published.
 */
export async function domainReleased({ db, caches }: Pick<Scope, "db" | "caches">, domain: string): Promise<void> {
  caches.hosts.forget(domain);
  await db.statusPageDomain.updateMany({
    where: { domain, status: "PENDING", waitingSince: { not: null } },
    data: { lastCheckedAt: null },
  });
}

async function lookUpTxt(dns: DomainResolver, domain: string): Promise<TxtLookup> {
  return dns.resolveTxt(txtName(domain)).then(
    (records) => ({ records }),
    (error: NodeJS.ErrnoException) => ({ error }),
  );
}

/**
 * Applies one lookup to every claim of the domain, in one transaction that locks them all
 * first: of two verifications racing, the second sees what the first decided. The lookup
 * itself runs before, so no lock is held while DNS answers. Returns the claims as they
 * were and what changed.
 */
async function settleDomain(
  { db, caches }: Pick<Scope, "db" | "caches">,
  domain: string,
  lookup: TxtLookup,
  asker: Asker,
  now: Date,
): Promise<{ before: Claim[]; updates: ClaimUpdate[] }> {
  const settled = await db.$transaction(async (tx) => {
    await lockDomainClaims(sqlOfPrisma(tx), domain);
    const before = await tx.statusPageDomain.findMany({
      where: { domain },
      select: { id: true, status: true, verificationToken: true, waitingSince: true, createdAt: true },
    });
    const updates = settleClaims(domain, before, lookup, asker, now);
    for (const { id, ...data } of updates) {
      // The holder's column (unique): in order, a claim leaves it before another takes it.
      const verifiedDomain = data.status === "VERIFIED" ? domain : null;
      await tx.statusPageDomain.update({ where: { id }, data: { ...data, verifiedDomain } });
    }
    return { before, updates };
  });
  if (settled.updates.length > 0) caches.hosts.forget(domain);
  return settled;
}

export async function verifyDomain(ctx: OwnerScope, { id: pageId }: { id: string }): Promise<DomainView> {
  const page = await ctx.own.page(pageId);
  const row = await ctx.db.statusPageDomain.findUnique({ where: { statusPageId: page.id } });
  if (!row) throw new NotFoundError("This status page has no custom domain");
  // One lookup answers for every claim's value: this one's, the holder's, those waiting.
  const lookup = await lookUpTxt(ctx.dns, row.domain);
  await settleDomain(ctx, row.domain, lookup, { claimId: row.id }, new Date());
  const updated = await ctx.db.statusPageDomain.findUnique({ where: { id: row.id } });
  if (!updated) throw new NotFoundError("This status page has no custom domain"); // removed meanwhile
  return toDomainView(updated, ctx.env.STATUS_PAGE_CNAME);
}

const RECHECK_EVERY_MS = 24 * 3_600_000;

/**
 * The daily re-check: every domain with a verified or waiting claim not checked for a day
 * (or whose holder let go) is looked up once and its claims settled. A holder whose record
 * is gone turns FAILED and the longest-waiting claim still published takes over; a lookup
 * that fails for other reasons (a DNS timeout) changes nothing, to be tried at the next
 * round. Returns how many domains were looked up, and those whose holder lost them.
 */
export async function recheckVerifiedDomains(
  { db, dns, caches }: Pick<Scope, "db" | "dns" | "caches">,
  { now = Date.now(), limit = 100 }: { now?: number; limit?: number } = {},
): Promise<{ checked: number; failed: string[] }> {
  const due = await db.statusPageDomain.findMany({
    where: {
      OR: [{ status: "VERIFIED" }, { status: "PENDING", waitingSince: { not: null } }],
      AND: [{ OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(now - RECHECK_EVERY_MS) } }] }],
    },
    orderBy: { lastCheckedAt: { sort: "asc", nulls: "first" } },
    select: { domain: true },
    take: limit,
  });
  const domains = [...new Set(due.map((row) => row.domain))];
  const failed: string[] = [];
  for (const domain of domains) {
    const { before, updates } = await settleDomain(
      { db, caches },
      domain,
      await lookUpTxt(dns, domain),
      "recheck",
      new Date(now),
    );
    const holder = before.find((claim) => claim.status === "VERIFIED");
    if (holder && updates.some((update) => update.id === holder.id && update.status === "FAILED")) failed.push(domain);
  }
  return { checked: domains.length, failed };
}

export async function removeDomain(ctx: OwnerScope, { id: pageId }: { id: string }): Promise<{ removed: boolean }> {
  const page = await ctx.own.page(pageId);
  const row = await ctx.db.statusPageDomain.findUnique({ where: { statusPageId: page.id } });
  if (!row) return { removed: false };
  await ctx.db.statusPageDomain.delete({ where: { id: row.id } });
  await domainReleased(ctx, row.domain);
  return { removed: true };
}

/** For a reverse proxy's on-demand TLS: may it get a certificate for this domain? */
export async function isVerifiedDomain({ db }: Scope, { domain }: { domain: string }): Promise<boolean> {
  const row = await db.statusPageDomain.findUnique({
    where: { verifiedDomain: domain.toLowerCase() },
    select: { id: true },
  });
  return row !== null;
}
