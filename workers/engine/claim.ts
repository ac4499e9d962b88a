/**
 * Claiming due checks. One statement per batch: pick due schedule rows of this region
 * (FOR UPDATE SKIP LOCKED, so concurrent runners take disjoint rows and never wait on
 * each other), move each to its next slot on the monitor's grid (schedule.ts,
 * slotAfterCheck), and return what the check needs.
 *
 * A claim is also a lease: `nextCheckAt` becomes the earlier of the next slot and
 * due time + timeout + grace. Writing the result moves it to the slot; a runner that dies
 * mid-check leaves the row due again when the lease ends, for another runner to take.
 */
import type pg from "pg";
import { storedHeaders } from "../../core/domain/headers.ts";
import { claimDue, type ClaimRow } from "../../core/db/queries/claims.ts";
import { sqlOfPool } from "../../core/db/sql.ts";

/** Added to a check's timeout to make its lease: time to write the result. */
export const LEASE_GRACE_MS = 30_000;

/** A claimed check, its request headers read. */
export type ClaimedCheck = Omit<ClaimRow, "requestHeaders" | "requestBody"> & {
  headers: { name: string; value: string }[];
  body: string | null;
};

/**
 * Claims checks due now or within `lookaheadMs`; the scheduler starts each at its due
 * time, so checks run on time rather than up to a poll interval late.
 */
export async function claimDueChecks(
  pool: pg.Pool,
  region: string,
  limit: number,
  lookaheadMs: number,
): Promise<ClaimedCheck[]> {
  const rows = await claimDue(sqlOfPool(pool), { region, limit, leaseGraceMs: LEASE_GRACE_MS, lookaheadMs });
  return rows.map(({ requestHeaders, requestBody, ...row }) => ({
    ...row,
    headers: storedHeaders(requestHeaders),
    body: requestBody,
  }));
}
