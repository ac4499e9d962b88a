/**
 * Who holds a custom domain, as a pure decision over its claims and one TXT lookup.
 *
 * Each claim (a page's StatusPageDomain) has its own value, chosen by the server; the
 * owner proves control by publishing it at `_better-uptime.<domain>`. The rules:
 *   - A domain has at most one VERIFIED claim, the holder. It keeps the domain until its
 *     own value is no longer published or its owner lets go (removes the domain, deletes
 *     the page). A later proof by another claim does not move it: that claim WAITS
 *     (PENDING, `waitingSince` set, the reason shown to its owner).
 *   - The holder is judged when its owner verifies, at the daily re-check, and when a
 *     waiting claim proves its value (one lookup answers for every value at that name).
 *     When its value is gone it turns FAILED and the longest-waiting claim whose value is
 *     still published takes over by itself.
 *   - Only an answer counts: a lookup that timed out changes no claim; the owner who
 *     asked is told why (a claim that was not verified fails, as before).
 *   - A claim whose value is not published fails, with what was found instead; a
 *     waiting claim whose value is gone stops waiting.
 */

export const TXT_PREFIX = "_better-uptime";
export const TXT_VALUE_PREFIX = "better-uptime-verification=";

/** Where the owner publishes the TXT record, and what it holds. */
export const txtName = (domain: string): string => `${TXT_PREFIX}.${domain}`;
export const txtValue = (verificationToken: string): string => `${TXT_VALUE_PREFIX}${verificationToken}`;

export type ClaimStatus = "PENDING" | "VERIFIED" | "FAILED";

export interface Claim {
  id: string;
  status: ClaimStatus;
  verificationToken: string;
  waitingSince: Date | null;
  createdAt: Date;
}

/** A TXT lookup's outcome: the records (each a list of chunks), or the resolver's error. */
export type TxtLookup = { records: string[][] } | { error: { code?: string } };

export interface ClaimUpdate {
  id: string;
  status: ClaimStatus;
  failureReason: string | null;
  waitingSince: Date | null;
  /** Left out: unchanged. */
  verifiedAt?: Date | null;
  lastCheckedAt?: Date;
}

/** Who asked: the owner of one claim (Verify), or the daily re-check. */
export type Asker = { claimId: string } | "recheck";

/** The resolver's answers that mean "no such record" (a verdict), unlike a timeout. */
const NO_RECORD = ["ENOTFOUND", "ENODATA"];

export const isWaiting = (claim: Pick<Claim, "status" | "waitingSince">): boolean =>
  claim.status === "PENDING" && claim.waitingSince !== null;

export function waitingReason(domain: string): string {
  return (
    `${domain} is verified for another status page. Your TXT record is in place: this claim takes over ` +
    `when that page's TXT record is gone or its owner removes the domain (checked daily, and whenever you verify again).`
  );
}

/** Why a lookup did not prove control, in words the owner can act on; null: it did. */
export function verificationFailure(name: string, expected: string, lookup: TxtLookup): string | null {
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

/**
 * What one lookup of `_better-uptime.<domain>` changes among the domain's claims. Updates
 * that leave VERIFIED come first, so a store applying them in order never holds two
 * VERIFIED claims of one domain at once (the database refuses that).
 */
export function settleClaims(
  domain: string,
  claims: readonly Claim[],
  lookup: TxtLookup,
  asker: Asker,
  now: Date,
): ClaimUpdate[] {
  const name = txtName(domain);
  const answered = "records" in lookup || NO_RECORD.includes(lookup.error.code ?? "");
  const published = new Set("records" in lookup ? lookup.records.map((chunks) => chunks.join("")) : []);
  const proven = (claim: Claim) => answered && published.has(txtValue(claim.verificationToken));
  const failed = (claim: Claim): ClaimUpdate => ({
    id: claim.id,
    status: "FAILED",
    failureReason: verificationFailure(name, txtValue(claim.verificationToken), lookup),
    waitingSince: null,
    verifiedAt: null,
    lastCheckedAt: now,
  });
  const asking = asker === "recheck" ? undefined : claims.find((claim) => claim.id === asker.claimId);
  const holder = claims.find((claim) => claim.status === "VERIFIED");

  if (!answered) {
    if (!asking) return []; // the re-check: no verdict today
    if (asking.status !== "VERIFIED") return [failed(asking)];
    // A holder keeps the domain through a DNS outage; its owner sees why nothing was proven.
    return [
      {
        id: asking.id,
        status: "VERIFIED",
        failureReason: verificationFailure(name, txtValue(asking.verificationToken), lookup),
        waitingSince: null,
      },
    ];
  }
  // A claim without its own proof judges nobody else: it cannot make the holder fail.
  if (asking && asking !== holder && !proven(asking)) return [failed(asking)];

  const updates: ClaimUpdate[] = [];
  let holds = holder && proven(holder) ? holder : undefined;
  if (holder) {
    updates.push(
      holds
        ? { id: holder.id, status: "VERIFIED", failureReason: null, waitingSince: null, lastCheckedAt: now }
        : failed(holder),
    );
  }
  // The asking claim and the waiting ones, first come first served.
  const since = (claim: Claim) => (claim.waitingSince ?? now).getTime();
  const contenders = claims
    .filter((claim) => claim !== holder && (claim === asking || isWaiting(claim)))
    .sort((a, b) => since(a) - since(b) || a.createdAt.getTime() - b.createdAt.getTime());
  for (const claim of contenders) {
    if (!proven(claim)) {
      updates.push(failed(claim));
    } else if (!holds) {
      holds = claim;
      updates.push({
        id: claim.id,
        status: "VERIFIED",
        failureReason: null,
        waitingSince: null,
        verifiedAt: now,
        lastCheckedAt: now,
      });
    } else {
      updates.push({
        id: claim.id,
        status: "PENDING",
        failureReason: waitingReason(domain),
        waitingSince: claim.waitingSince ?? now,
        verifiedAt: null,
        lastCheckedAt: now,
      });
    }
  }
  const rank = (update: ClaimUpdate) => (update.status === "VERIFIED" ? 1 : 0);
  return updates.sort((a, b) => rank(a) - rank(b));
}
