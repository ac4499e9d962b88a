/** What a backup says of itself (`better-uptime-backup.json` inside a physical backup). */
import { z } from "zod";

export const MANIFEST_FILE = "better-uptime-backup.json";

export const BackupManifest = z.object({
  format: z.literal(1),
  kind: z.enum(["embedded", "dump"]),
  createdAt: z.iso.datetime(),
  postgresVersion: z.string(),
  /** WAL positions at the backup's start and stop: a restore replays from one to the other at least. */
  startLsn: z.string(),
  stopLsn: z.string(),
  files: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
});
export type BackupManifest = z.infer<typeof BackupManifest>;

/** Rows per table, as a verification or a restore found them. */
export type TableCounts = Record<string, number>;
