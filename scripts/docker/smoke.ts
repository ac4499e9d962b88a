/**
 * `npm run docker:smoke`: builds the Docker image from the Dockerfile and tries it, with
 * buildah (no Docker engine or image registry needed: the base image is made from
 * Debian's archive and npm by base-image.sh).
 *
 *  1. The image is built with this machine's npm configuration as a build secret (never
 *     stored in a layer), and its size is checked.
 *  2. It runs without DATABASE_URL (the embedded PostgreSQL in the /data volume) and with
 *     one (a scratch PostgreSQL cluster): each time as the image's non-root user, until
 *     /healthz answers 200 and a monitor made through the API on a loopback target is UP.
 *
 * Containers share this host's network (buildah's chroot isolation), and everything
 * listens on 127.0.0.1 only. Needs root, buildah and debootstrap (`.ci/run` installs
 * them).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { closedPort as freePort } from "../../tests/support/ports.ts";
import { removeScratch, scratchDir, startPrimary } from "../../tests/support/postgres-cluster.ts";
import { startTargetServer } from "../../tests/support/target-server.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const IMAGE = "localhost/better-uptime:smoke";
/** The official node:22-bookworm-slim plus our production dependencies comes to about this; far more means something slipped in. */
const MAX_IMAGE_MB = 900;
const NODE_UID = 1000;
const env = { ...process.env, STORAGE_DRIVER: process.env.STORAGE_DRIVER ?? "vfs" };

const say = (line: string) => process.stdout.write(`docker:smoke: ${line}\n`);
const buildah = (args: string[]) => execFileSync("buildah", args, { env, encoding: "utf8" }).trim();

function fail(message: string): never {
  process.stderr.write(`docker:smoke: FAILED: ${message}\n`);
  process.exit(1);
}

/**
 * This machine's npm configuration for the build: the user's and the global npmrc, with
 * a `cafile` (a proxy's certificate authority) passed along as a second secret, and
 * host-only settings left out.
 */
function buildSecrets(dir: string): string[] {
  const files = [path.join(process.env.HOME ?? "/root", ".npmrc")];
  try {
    files.push(execFileSync("npm", ["config", "get", "globalconfig"], { encoding: "utf8" }).trim());
  } catch {
    // no global configuration
  }
  let cafile: string | undefined;
  const lines: string[] = [];
  for (const file of files.filter((candidate) => existsSync(candidate))) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const key = line.split("=")[0]?.trim();
      if (key === "cafile")
        cafile = line
          .slice(line.indexOf("=") + 1)
          .trim()
          .replace(/^"|"$/g, "");
      else if (key !== "nodedir" && key !== "globalconfig") lines.push(line);
    }
  }
  const secrets: string[] = [];
  if (cafile && existsSync(cafile)) {
    lines.push("cafile=/run/secrets/npm_ca");
    secrets.push("--secret", `id=npm_ca,src=${cafile}`);
  }
  const npmrc = path.join(dir, "npmrc");
  writeFileSync(npmrc, `${lines.join("\n")}\n`, { mode: 0o600 });
  secrets.push("--secret", `id=npmrc,src=${npmrc}`);
  return secrets;
}

function build(): void {
  execFileSync(path.join(repoRoot, "scripts/docker/base-image.sh"), { env, stdio: "inherit" });
  const secretsDir = mkdtempSync(path.join(tmpdir(), "bu-secrets-"));
  try {
    const started = Date.now();
    say("building the image (buildah bud)");
    execFileSync(
      "buildah",
      [
        "bud",
        "--isolation",
        "chroot",
        "--format",
        "docker",
        "--layers",
        ...buildSecrets(secretsDir),
        "-t",
        IMAGE,
        repoRoot,
      ],
      { env, stdio: ["ignore", "inherit", "inherit"] },
    );
    say(`built ${IMAGE} in ${Math.round((Date.now() - started) / 1000)} s`);
  } finally {
    rmSync(secretsDir, { recursive: true, force: true });
  }
}

/** buildah reports the size as text ("669 MB"). */
function imageSizeMb(): number {
  const images = JSON.parse(buildah(["images", "--json", IMAGE])) as { size: string }[];
  const match = /^([\d.]+)\s*(kB|MB|GB)$/.exec(images[0]?.size ?? "");
  if (!match) fail(`cannot read the image size from "${images[0]?.size}"`);
  return Math.round(Number(match[1]) * { kB: 1 / 1000, MB: 1, GB: 1000 }[match[2] as "kB" | "MB" | "GB"]);
}

function layersHoldNoSecret(): void {
  // The build's history (each step's command) and configuration: a secret passed as a
  // build argument or copied into a layer's command would show here.
  const inspected = buildah(["inspect", "--type", "image", IMAGE]);
  if (/_authToken|BEGIN CERTIFICATE|_password/.test(inspected)) fail("the image's history holds npm configuration");
}

interface Running {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** The image's command, as `docker run --user node -v <dir>:/data -e …` would run it. */
function runImage(name: string, vars: Record<string, string>, dataDir: string): Running {
  const container = buildah(["from", "--name", `bu-smoke-${name}-${randomBytes(3).toString("hex")}`, IMAGE]);
  // `buildah run` gives each volume the image declares a scratch directory of its own,
  // which hides a bind mount at the same path (`docker run -v` does not): drop the
  // declaration on this working container so /data is the directory we hand it.
  buildah(["config", "--volume", "/data-", container]);
  const envArgs = Object.entries(vars).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  const child = spawn(
    "buildah",
    [
      "run",
      "--isolation",
      "chroot",
      "--user",
      "node",
      "--volume",
      `${dataDir}:/data`,
      ...envArgs,
      container,
      "--",
      "node",
      "build/server/main.js",
    ],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  child.stderr.on("data", (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      // The app's own processes (node, PostgreSQL) run in the container's chroot: stop any left.
      try {
        execFileSync("pkill", ["-f", `${container}`], { stdio: "ignore" });
      } catch {
        // none left
      }
      buildah(["rm", container]);
    },
  };
}

async function until<T>(
  what: string,
  running: Running,
  check: () => Promise<T | null>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (running.child.exitCode !== null) fail(`${what}: the container exited:\n${running.output()}`);
    const value = await check().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) fail(`${what}: timed out:\n${running.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** An operator's first user and API token, written straight into the database. */
async function seedApiToken(databaseUrl: string): Promise<string> {
  const token = `bu_smoke${randomBytes(16).toString("hex")}`;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const userId = `smoke${randomBytes(6).toString("hex")}`;
    await client.query(
      `INSERT INTO "User" (id, email, name, "emailVerified", "updatedAt") VALUES ($1, $2, 'Smoke test', true, now())`,
      [userId, `${userId}@example.test`],
    );
    await client.query(
      `INSERT INTO "ApiToken" (id, "userId", name, "tokenHash", prefix) VALUES ($1, $2, 'docker smoke', $3, $4)`,
      [`tok${userId}`, userId, createHash("sha256").update(token).digest("hex"), token.slice(0, 9)],
    );
  } finally {
    await client.end();
  }
  return token;
}

async function trpc(baseUrl: string, token: string, procedure: string, input: unknown, kind: "query" | "mutation") {
  const url = `${baseUrl}/api/trpc/${procedure}${kind === "query" ? `?input=${encodeURIComponent(JSON.stringify(input))}` : ""}`;
  const response = await fetch(url, {
    method: kind === "query" ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: kind === "mutation" ? JSON.stringify(input) : undefined,
  });
  const body = (await response.json()) as { result?: { data: Record<string, unknown> }; error?: { message: string } };
  if (!body.result) throw new Error(`${procedure}: ${body.error?.message ?? response.status}`);
  return body.result.data;
}

/** Runs the image once: healthy, then a monitor on a loopback target goes UP. */
async function tryImage(
  mode: string,
  vars: Record<string, string>,
  databaseUrl: (dataDir: string) => string,
): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `bu-smoke-data-`));
  chownSync(dataDir, NODE_UID, NODE_UID); // the /data volume, as an operator prepares it
  const port = await freePort();
  const target = await startTargetServer();
  const baseUrl = `http://127.0.0.1:${port}`;
  const running = runImage(
    mode,
    {
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_URL: baseUrl,
      SESSION_SECRET: randomBytes(32).toString("hex"),
      ALLOWED_TARGET_NETWORKS: "127.0.0.0/8",
      LOG_LEVEL: "warn",
      ...vars,
    },
    dataDir,
  );
  try {
    const started = Date.now();
    await until(`${mode}: /healthz 200`, running, async () =>
      (await fetch(`${baseUrl}/healthz`)).status === 200 ? true : null,
    );
    say(`${mode}: /healthz 200 after ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const token = await seedApiToken(databaseUrl(dataDir));
    const monitor = await trpc(
      baseUrl,
      token,
      "monitor.create",
      { url: target.url("/ok/smoke"), name: "Smoke", intervalSeconds: 10 },
      "mutation",
    );
    const upAt = Date.now();
    await until(`${mode}: the monitor UP`, running, async () => {
      const current = await trpc(baseUrl, token, "monitor.byId", { id: monitor.id }, "query");
      return current.status === "UP" ? true : null;
    });
    say(
      `${mode}: a monitor on a loopback target is UP after ${((Date.now() - upAt) / 1000).toFixed(1)} s (${target.hits("/ok/smoke")} checks)`,
    );
    if (mode === "embedded") {
      const owner = statSync(path.join(dataDir, "postgres")).uid;
      if (owner !== NODE_UID)
        fail(`the embedded cluster in /data belongs to uid ${owner}, not the image's user (${NODE_UID})`);
      say("embedded: the cluster in /data belongs to the non-root user (uid 1000)");
    }
  } finally {
    await running.stop();
    await target.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.getuid?.() !== 0) fail("run as root (buildah's chroot isolation)");
try {
  execFileSync("buildah", ["--version"], { stdio: "ignore" });
} catch {
  fail("buildah is not installed: apt-get install buildah debootstrap");
}

const began = Date.now();
build();
layersHoldNoSecret();
const sizeMb = imageSizeMb();
say(`image size ${sizeMb} MB (limit ${MAX_IMAGE_MB} MB)`);
if (sizeMb > MAX_IMAGE_MB) fail(`the image is ${sizeMb} MB, over ${MAX_IMAGE_MB} MB`);

const embeddedPort = await freePort();
await tryImage("embedded", { EMBEDDED_POSTGRES_PORT: String(embeddedPort) }, (dataDir) => {
  const password = readFileSync(path.join(dataDir, "postgres-password"), "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${embeddedPort}/better_uptime`;
});

const root = scratchDir("docker-smoke");
const cluster = await startPrimary(root);
try {
  const external = cluster.url.replace(/\/postgres$/, "/better_uptime");
  await tryImage("external", { DATABASE_URL: external }, () => external);
} finally {
  cluster.stop();
  removeScratch(root);
}
say(
  `OK in ${Math.round((Date.now() - began) / 1000)} s: built, ${sizeMb} MB, healthy and checking in both database modes`,
);
