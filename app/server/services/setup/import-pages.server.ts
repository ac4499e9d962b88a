/**
 * Importing status pages (import.server.ts runs it): the page, its monitors, who may see
 * it, its domain and logo — in one transaction, so a part refused midway (a domain that is
 * this instance's own, a logo that is no image) leaves no page half made, nor a stored one
 * half changed. Only publishing may be refused alone: the page is imported unpublished, and
 * the note says why.
 */
import { randomBytes } from "node:crypto";
import type { StatusPageEntry } from "~/lib/setup/setup-document.ts";
import { describePolicy, matchesPolicy, parsePasswordHash } from "../../../../core/domain/password-hash.ts";
import { isServiceError } from "../errors.server.ts";
import type { OwnerScope } from "../scope.server.ts";
import { removeDomain, setDomain } from "../status-pages/domains.server.ts";
import { storePageAccess } from "../status-pages/page-access.server.ts";
import { inOneTransaction } from "../transaction-scope.server.ts";
import { removeLogo, setLogo } from "../status-pages/logo.server.ts";
import { createStatusPage, setPageMonitors, setPublished, updateStatusPage } from "../status-pages/pages.server.ts";
import { PAGE_INCLUDE, statesSame, statusPageEntry } from "./entries.server.ts";
import { byKey, missingNote, notes, type Outcome, type Run } from "./import-run.server.ts";

export function importStatusPage(run: Run, entry: StatusPageEntry): Promise<Outcome> {
  return inOneTransaction(run.scope, (scope) => importPage(scope, run, entry));
}

async function importPage(scope: OwnerScope, run: Run, entry: StatusPageEntry): Promise<Outcome> {
  const listed = entry.monitors.filter((link) => run.idsByKey.monitors.has(link.monitor));
  const monitorNote = missingNote(
    "monitors",
    entry.monitors.filter((link) => !run.idsByKey.monitors.has(link.monitor)).map((link) => link.monitor),
  );
  // A password the file does not hold (null) is not stated: the stored one stays. One it
  // holds but this instance would not have made is stated as none: the page is locked.
  const wanted = { ...entry, monitors: listed, passwordHash: usableHash(entry) };
  const existing = await scope.db.statusPage.findFirst({
    where: byKey(scope.userId, entry.key),
    include: PAGE_INCLUDE,
  });
  if (existing && statesSame(statusPageEntry(existing, run.keys, run.includesSecrets), wanted)) {
    return { result: "unchanged", note: notes(refusedHashNote(entry), monitorNote) };
  }

  const pageId = existing
    ? (
        await updateStatusPage(scope, {
          id: existing.id,
          name: entry.name,
          slug: entry.slug,
          description: entry.description,
        })
      ).id
    : (
        await createStatusPage(
          scope,
          { name: entry.name, slug: entry.slug, description: entry.description },
          { importKey: entry.key },
        )
      ).id;
  await setPageMonitors(scope, {
    id: pageId,
    monitors: listed.map((link) => ({
      monitorId: run.idsByKey.monitors.get(link.monitor)!,
      displayName: link.displayName,
      section: link.section,
    })),
  });

  const accessNote = await importAccess(scope, { id: pageId, name: entry.name, slug: entry.slug }, existing, entry);
  const domainNote = await importDomain(scope, pageId, existing?.domain ?? null, entry.domain);
  const storedLogo = existing?.logo ? Buffer.from(existing.logo.bytes).toString("base64") : null;
  if (entry.logo !== storedLogo) {
    if (entry.logo) await setLogo(scope, { id: pageId, image: entry.logo });
    else await removeLogo(scope, { id: pageId });
  }
  let publishNote: string | undefined;
  if (entry.isPublished !== (existing?.isPublished ?? false)) {
    try {
      await setPublished(scope, { id: pageId, isPublished: entry.isPublished });
    } catch (error) {
      if (!isServiceError(error)) throw error;
      publishNote = `not published: ${error.message}`;
    }
  }
  return {
    result: existing ? "updated" : "created",
    note: notes(publishNote, accessNote, domainNote, monitorNote),
  };
}

/**
 * The file's password hash as it may be stored: the hash when its parameters are exactly
 * this instance's own (core/domain/password-hash.ts), null when it names others (the
 * server alone chooses what a verification costs: issue 25), undefined when there is none.
 */
function usableHash(entry: StatusPageEntry): string | null | undefined {
  if (entry.visibility !== "PRIVATE" || entry.passwordHash === null) return undefined;
  const parameters = parsePasswordHash(entry.passwordHash);
  return parameters && matchesPolicy(parameters) ? entry.passwordHash : null;
}

function refusedHashNote(entry: StatusPageEntry): string | undefined {
  return usableHash(entry) === null
    ? `private and locked: its password hash was not made with this instance's settings (${describePolicy()}), so it is not used — set a new password on the page's settings`
    : undefined;
}

/**
 * Who may see the page. A private page keeps its password (or takes the file's hash,
 * when this instance could have made it); one that has none opens for nobody until its
 * owner sets one. The access token (feeds, JSON and badges take it as ?token=) is never
 * the file's: a private page keeps its own while its password stays, and gets a new one
 * whenever the password changes or is taken away — as setting a new password on the
 * page's settings does — so links handed out under the old password stop working. Its
 * subscribers follow the same rule as there (storePageAccess): paused, and asked to
 * confirm again, when the page turns private or its password changes.
 */
async function importAccess(
  scope: OwnerScope,
  page: { id: string; name: string; slug: string },
  existing: { visibility: string; accessPasswordHash: string | null } | null,
  entry: StatusPageEntry,
): Promise<string | undefined> {
  const fromFile = usableHash(entry); // undefined for a public page
  const passwordHash =
    fromFile === undefined && entry.visibility === "PRIVATE"
      ? (existing?.accessPasswordHash ?? null)
      : (fromFile ?? null);
  const unchanged = existing?.visibility === entry.visibility && existing.accessPasswordHash === passwordHash;
  if (unchanged || (!existing && entry.visibility === "PUBLIC")) return refusedHashNote(entry);
  await storePageAccess(
    scope,
    { ...page, visibility: existing?.visibility ?? "PUBLIC", accessPasswordHash: existing?.accessPasswordHash ?? null },
    {
      visibility: entry.visibility,
      accessPasswordHash: passwordHash,
      // Here the page turns private or its password changes: either way, a new token.
      accessToken: entry.visibility === "PRIVATE" ? randomBytes(24).toString("base64url") : null,
    },
  );
  if (fromFile === null) return refusedHashNote(entry);
  return entry.visibility === "PRIVATE" && !passwordHash
    ? "private, without a password (the file holds none): set one on the page's settings"
    : undefined;
}

/**
 * The page's domain. The file names it, nothing more: a page that already has that domain
 * keeps its claim (and its TXT value); any other starts PENDING with a value the server
 * chooses, and the note says which TXT record to publish.
 */
async function importDomain(
  scope: OwnerScope,
  pageId: string,
  stored: { domain: string } | null,
  wanted: StatusPageEntry["domain"],
): Promise<string | undefined> {
  if (!wanted) {
    if (stored) await removeDomain(scope, { id: pageId });
    return undefined;
  }
  if (stored?.domain === wanted.name) return undefined;
  const domain = await setDomain(scope, { id: pageId, domain: wanted.name });
  const txt = domain.records.find((record) => record.type === "TXT")!;
  return `${domain.domain}: publish a TXT record at ${txt.name} holding "${txt.value}", then verify it on the page's settings`;
}
