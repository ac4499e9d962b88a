/**
 * Backup file names and which to keep (pure). A backup is
 * `better-uptime-YYYYMMDDTHHMMSSZ.<kind>`: `embedded.tar.gz` (a physical copy of the
 * embedded cluster) or `dump` (pg_dump's custom format, from DATABASE_URL's server).
 * Names sort by time, so the newest are the last.
 */
export type BackupKind = "embedded" | "dump";

const EXTENSIONS: Record<BackupKind, string> = { embedded: "embedded.tar.gz", dump: "dump" };
const NAME = /^better-uptime-(\d{8}T\d{6}Z)\.(embedded\.tar\.gz|dump)$/;

export function backupFileName(kind: BackupKind, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
  return `better-uptime-${stamp}.${EXTENSIONS[kind]}`;
}

/** The kind and time of a backup by its name, or null for any other file. */
export function parseBackupFileName(name: string): { kind: BackupKind; at: Date } | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const [, stamp, extension] = match as unknown as [string, string, string];
  const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`;
  return { kind: extension === "dump" ? "dump" : "embedded", at: new Date(iso) };
}

/** The backups to delete so that the newest `keep` remain; other files are never touched. */
export function backupsToPrune(names: readonly string[], keep: number): string[] {
  const backups = names.filter((name) => parseBackupFileName(name) !== null).sort();
  return backups.slice(0, Math.max(0, backups.length - keep));
}
