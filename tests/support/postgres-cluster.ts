/**
 * PostgreSQL clusters a test makes and throws away, with the server binaries of Debian's
 * `postgresql` package (`.ci/run` installs it when missing): a primary, and streaming
 * replicas made from it with `pg_basebackup -R`. Listening on 127.0.0.1 only. As root,
 * the servers run as the `postgres` user (PostgreSQL refuses to run as root).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { closedPort as freePort } from "./ports.ts";

export interface Cluster {
  url: string;
  port: number;
  dataDir: string;
  /** Stops it: "fast" (clean) or "immediate" (as a crash). */
  stop(mode?: "fast" | "immediate"): void;
}

/** The newest installed server's bin directory, or a clear error saying how to get one. */
export function postgresBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((name) => existsSync(path.join(root, name, "bin", "pg_basebackup")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      "PostgreSQL server binaries not found under /usr/lib/postgresql: install Debian's postgresql package",
    );
  }
  return path.join(root, versions[0]!, "bin");
}

const asRoot = process.getuid?.() === 0;

function run(command: string, args: string[]): void {
  const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const result = spawnSync(file, argv, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed: ${result.stderr || result.stdout}`);
}

/** A scratch directory the server user may write in. */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `bu-${label}-`));
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

function start(bin: string, dataDir: string, port: number): Cluster {
  run(path.join(bin, "pg_ctl"), ["-D", dataDir, "-l", path.join(dataDir, "server.log"), "-w", "-t", "60", "start"]);
  let stopped = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop(mode = "fast") {
      if (stopped) return;
      stopped = true;
      run(path.join(bin, "pg_ctl"), ["-D", dataDir, "-m", mode, "-w", "stop"]);
    },
  };
}

/** A new primary cluster (trust auth, replication allowed from 127.0.0.1). */
export async function startPrimary(root: string): Promise<Cluster> {
  const bin = postgresBin();
  const dataDir = path.join(root, "primary");
  const socketDir = path.join(root, "sockets");
  run("mkdir", [socketDir]);
  run(path.join(bin, "initdb"), ["-D", dataDir, "-U", "postgres", "--auth=trust", "--no-sync"]);
  const port = await freePort();
  appendFileSync(
    path.join(dataDir, "postgresql.conf"),
    `\nlisten_addresses = '127.0.0.1'\nport = ${port}\nunix_socket_directories = '${socketDir}'\n` +
      `wal_level = replica\nmax_wal_senders = 5\nfsync = off\n`,
  );
  return start(bin, dataDir, port);
}

/** A hot standby streaming from `primary`, made with pg_basebackup -R. */
export async function startReplica(root: string, primary: Cluster): Promise<Cluster> {
  const bin = postgresBin();
  const dataDir = path.join(root, "replica");
  run(path.join(bin, "pg_basebackup"), [
    "-h",
    "127.0.0.1",
    "-p",
    String(primary.port),
    "-U",
    "postgres",
    "-D",
    dataDir,
    "-R",
    "-X",
    "stream",
  ]);
  const port = await freePort();
  appendFileSync(path.join(dataDir, "postgresql.auto.conf"), `\nport = ${port}\nhot_standby = on\n`);
  return start(bin, dataDir, port);
}

export function removeScratch(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
