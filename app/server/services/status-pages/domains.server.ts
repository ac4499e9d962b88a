/**
 * Custom domains: the owner adds one (PENDING), publishes a TXT record holding our
 * token and a CNAME to this instance, then asks us to verify; we look the TXT record up
 * (through the configured resolver) and mark the domain VERIFIED or FAILED with the
 * reason. Requests whose Host is a VERIFIED domain are served that page.
 *
 * Only proof counts: a claim changes no routing until its TXT record is verified, so
 * nobody can squat a domain (or this instance's own names) by claiming it first. Any
 * page may claim a domain another page holds; its own proof moves the domain to it.
 * Verified domains are checked again every day, and lose their status when the record
 * is gone.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../../../core/db/client.ts";
import type { StatusPageDomain } from "../../../../core/db/generated/client.ts";
import type { Env } from "../../../../core/env.ts";
import { NotFoundError, ValidationError } from "../errors.server.ts";
import { PromiseCache } from "../promise-cache.server.ts";
import type { OwnerScope, Scope } from "../scope.server.ts";
import { ownedPage } from "./owned-page.server.ts";

export const TXT_PREFIX = "_better-uptime";
export const TXT_VALUE_PREFIX = "better-uptime-verification=";

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
  /** The records the owner creates at their DNS provider. */
  records: { type: "TXT" | "CNAME"; name: string; value: string }[];
  failureReason: string | null;
  lastCheckedAt: Date | null;
  verifiedAt: Date | null;
}

export function toDomainView(row: StatusPageDomain, cnameTarget?: string): DomainView {
  const records: DomainView["records"] = [
    { type: "TXT", name: `${TXT_PREFIX}.${row.domain}`, value: `${TXT_VALUE_PREFIX}${row.verificationToken}` },
  ];
  if (cnameTarget) records.push({ type: "CNAME", name: row.domain, value: cnameTarget });
  return {
    domain: row.domain,
    status: row.status,
    records,
    failureReason: row.failureReason,
    lastCheckedAt: row.lastCheckedAt,
    verifiedAt: row.verifiedAt,
  };
}

/** Adds or replaces the page's domain; it starts PENDING with a fresh token. */
export async function setDomain(
  ctx: OwnerScope,
  { id: pageId, domain }: { id: string; domain: string },
  /** An import keeps the TXT value the owner already published. */
  imported: { verificationToken?: string } = {},
): Promise<DomainView> {
  const page = await ownedPage(ctx.db, ctx.userId, pageId);
  if (isReservedHost(domain, reservedHosts(ctx.env)))
    throw new ValidationError({ domain: ["Use a domain of your own, not this app's address"] });
  const data = {
    domain,
    status: "PENDING" as const,
    verificationToken: imported.verificationToken ?? randomBytes(16).toString("hex"),
    failureReason: null,
    lastCheckedAt: null,
    verifiedAt: null,
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
  if (replaced) ctx.caches.hosts.forget(replaced.domain); // no longer this page's address
  return toDomainView(row, ctx.env.STATUS_PAGE_CNAME);
}

/** Why a lookup did not prove control, in words the owner can act on; null: it did. */
export function verificationFailure(
  name: string,
  expected: string,
  lookup: { records: string[][] } | { error: NodeJS.ErrnoException },
): string | null {
  if ("error" in lookup) {
    const code = lookup.error.code;
    if (code === "ENOTFOUND" || code === "ENODATA")
      return `No TXT record found at ${name}. Create it, wait for DNS to update, then verify again.`;
    if (code === "ETIMEOUT" || code === "ECONNREFUSED")
      return `The DNS lookup of ${name} timed out. Try again in a minute.`;
    return `The DNS lookup of ${name} failed (${code ?? "unknown error"}). Try again in a minute.`;
  }
  const values = lookup.records.map((chunks) => chunks.join(""));
  if (values.includes(expected)) return null;
  if (values.length === 0)
    return `No TXT record found at ${name}. Create it, wait for DNS to update, then verify again.`;
  const found = values.map((value) => `"${value.slice(0, 100)}"`).join(", ");
  return `The TXT record at ${name} is ${found}, not "${expected}". Correct it, then verify again.`;
}

export async function verifyDomain(ctx: OwnerScope, { id: pageId }: { id: string }): Promise<DomainView> {
  const page = await ownedPage(ctx.db, ctx.userId, pageId);
  const row = await ctx.db.statusPageDomain.findUnique({ where: { statusPageId: page.id } });
  if (!row) throw new NotFoundError("This status page has no custom domain");
  const name = `${TXT_PREFIX}.${row.domain}`;
  const expected = `${TXT_VALUE_PREFIX}${row.verificationToken}`;
  const lookup = await ctx.dns.resolveTxt(name).then(
    (records) => ({ records }),
    (error: NodeJS.ErrnoException) => ({ error }),
  );
  const failure = verificationFailure(name, expected, lookup);
  const now = new Date();
  const updated = await ctx.db.$transaction(async (tx) => {
    // Every claim of the domain, locked: of two proofs racing, one holds it after both.
    await tx.$queryRaw`SELECT id FROM "StatusPageDomain" WHERE domain = ${row.domain} ORDER BY id FOR UPDATE`;
    if (!failure) {
      await tx.statusPageDomain.updateMany({
        where: { domain: row.domain, status: "VERIFIED", id: { not: row.id } },
        data: {
          status: "FAILED",
          verifiedAt: null,
          failureReason: `Another status page proved control of ${row.domain} on ${now.toISOString().slice(0, 10)}.`,
        },
      });
    }
    return tx.statusPageDomain.update({
      where: { id: row.id },
      data: failure
        ? { status: "FAILED", failureReason: failure, lastCheckedAt: now, verifiedAt: null }
        : { status: "VERIFIED", failureReason: null, lastCheckedAt: now, verifiedAt: now },
    });
  });
  ctx.caches.hosts.forget(row.domain);
  return toDomainView(updated, ctx.env.STATUS_PAGE_CNAME);
}

const RECHECK_EVERY_MS = 24 * 3_600_000;

/**
 * Checks again the verified domains not checked for a day. One whose record is gone (or
 * changed) turns FAILED with the reason; a lookup that fails for other reasons (a DNS
 * timeout) leaves it verified, to be tried at the next round. Returns what was done.
 */
export async function recheckVerifiedDomains(
  { db, dns, caches }: Pick<Scope, "db" | "dns" | "caches">,
  { now = Date.now(), limit = 100 }: { now?: number; limit?: number } = {},
): Promise<{ checked: number; failed: string[] }> {
  const due = await db.statusPageDomain.findMany({
    where: {
      status: "VERIFIED",
      OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(now - RECHECK_EVERY_MS) } }],
    },
    orderBy: { lastCheckedAt: "asc" },
    take: limit,
  });
  const failed: string[] = [];
  for (const row of due) {
    const name = `${TXT_PREFIX}.${row.domain}`;
    const lookup = await dns.resolveTxt(name).then(
      (records) => ({ records }),
      (error: NodeJS.ErrnoException) => ({ error }),
    );
    const gone = "records" in lookup || ["ENOTFOUND", "ENODATA"].includes(lookup.error.code ?? "");
    if (!gone) continue; // the DNS did not answer: no verdict today
    const failure = verificationFailure(name, `${TXT_VALUE_PREFIX}${row.verificationToken}`, lookup);
    await db.statusPageDomain.update({
      where: { id: row.id },
      data: failure
        ? { status: "FAILED", failureReason: failure, verifiedAt: null, lastCheckedAt: new Date(now) }
        : { lastCheckedAt: new Date(now) },
    });
    if (failure) {
      failed.push(row.domain);
      caches.hosts.forget(row.domain);
    }
  }
  return { checked: due.length, failed };
}

export async function removeDomain(ctx: OwnerScope, { id: pageId }: { id: string }): Promise<{ removed: boolean }> {
  const page = await ownedPage(ctx.db, ctx.userId, pageId);
  const row = await ctx.db.statusPageDomain.findUnique({ where: { statusPageId: page.id } });
  if (!row) return { removed: false };
  await ctx.db.statusPageDomain.delete({ where: { id: row.id } });
  ctx.caches.hosts.forget(row.domain);
  return { removed: true };
}

/**
 * What a Host header maps to: a verified domain's page slug, or null for any other host
 * (the app) — claims not verified change nothing. Kept a few seconds: every request asks.
 */
export type HostMatch = { slug: string } | null;

const HOST_CACHE_MS = 10_000;

/** Host → page, kept a few seconds (every request asks). One per process (caches.server.ts). */
export class HostCache {
  private readonly matches = new PromiseCache<string, HostMatch>(HOST_CACHE_MS);

  match(db: Db, host: string, nowMs = Date.now()): Promise<HostMatch> {
    const domain = host.toLowerCase().replace(/:\d+$/, "").replace(/\.$/, "");
    return this.matches.get(
      domain,
      () =>
        db.statusPageDomain
          .findFirst({
            where: { domain, status: "VERIFIED" },
            orderBy: { verifiedAt: "desc" },
            select: { statusPage: { select: { slug: true } } },
          })
          .then((row): HostMatch => (row ? { slug: row.statusPage.slug } : null)),
      nowMs,
    );
  }

  /** After a change to the domain's claims: the next request asks the database. */
  forget(domain: string): void {
    this.matches.delete(domain);
  }
}

/** For a reverse proxy's on-demand TLS: may it get a certificate for this domain? */
export async function isVerifiedDomain({ db }: Scope, { domain }: { domain: string }): Promise<boolean> {
  const row = await db.statusPageDomain.findFirst({
    where: { domain: domain.toLowerCase(), status: "VERIFIED" },
    select: { id: true },
  });
  return row !== null;
}
