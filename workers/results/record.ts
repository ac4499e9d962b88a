/**
 * A check result on its way to the store, and its hygiene: text from the outside world
 * made storable (see core/text/storable.ts), and the last-resort form of a record
 * PostgreSQL still refused.
 */
import { storableOptionalText, storableRecord, storableText } from "../../core/text/storable.ts";
import type { CheckVerdict } from "../engine/check-task.ts";

export interface CheckResultRecord {
  monitorId: string;
  region: string;
  scheduledAt: Date;
  checkedAt: Date;
  /** The claim's lease; null for checks run while the database was unreachable. */
  leaseUntil: Date | null;
  verdict: CheckVerdict;
}

const MAX_ERROR_LENGTH = 500;
const MAX_HEADER_LENGTH = 1_000;

/** The record with its outside-world text made storable (see core/text/storable.ts). */
export function storableCheckRecord(record: CheckResultRecord): CheckResultRecord {
  const verdict = record.verdict;
  if (verdict.status === null)
    return { ...record, verdict: { ...verdict, error: storableText(verdict.error, MAX_ERROR_LENGTH) } };
  return {
    ...record,
    verdict: {
      ...verdict,
      error: storableOptionalText(verdict.error, MAX_ERROR_LENGTH),
      snapshot: verdict.snapshot && {
        statusCode: verdict.snapshot.statusCode,
        headers: storableRecord(verdict.snapshot.headers, MAX_HEADER_LENGTH),
        body: storableText(verdict.snapshot.body),
      },
    },
  };
}

/** Last resort for a record PostgreSQL still refused: keep the verdict and timings only. */
export function strippedCheckRecord(record: CheckResultRecord): CheckResultRecord {
  const note = "(the error text could not be stored)";
  const verdict = record.verdict;
  if (verdict.status === null) return { ...record, verdict: { ...verdict, error: note } };
  return { ...record, verdict: { ...verdict, error: verdict.error && note, snapshot: null, tlsExpiresAt: null } };
}
