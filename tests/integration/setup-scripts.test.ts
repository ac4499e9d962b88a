/**
 * The setup scripts as an operator runs them, against /api/trpc with an API token:
 * `npm run export > setup.json`, `npm run import setup.json`, and
 * `npm run import:kuma kuma-backup.json` — whose monitors then run.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApiToken } from "../../app/server/services/auth/api-tokens.server.ts";
import { handleTrpcRequest } from "../../app/trpc/http.server.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor, ownerScope, testContext } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import { repoRoot } from "../support/test-database.ts";

const run = promisify(execFile);
const db = testDb();
const scratch = mkdtempSync(path.join(tmpdir(), "bu-setup-"));
let api: http.Server;
let baseUrl: string;
let target: TargetServer;
let socket: net.Server;
let runner: Runner | undefined;

/** /api/trpc in front of the test database, as the web server serves it. */
async function serveApi(): Promise<void> {
  const context = testContext(db);
  api = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = req.method === "GET" ? undefined : Buffer.concat(chunks);
      const request = new Request(`${baseUrl}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body,
      });
      void handleTrpcRequest(request, context).then(async (response) => {
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
  });
  await new Promise<void>((done) => api.listen(0, "127.0.0.1", done));
  baseUrl = `http://127.0.0.1:${(api.address() as net.AddressInfo).port}`;
}

async function script(name: string, args: string[], token: string) {
  return run(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts/setup", name), ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, NODE_ENV: "test", BETTER_UPTIME_URL: baseUrl, BETTER_UPTIME_TOKEN: token },
  });
}

async function newAccount() {
  const user = await createUser(db);
  const { token } = await createApiToken(ownerScope(db, user.id), { name: "setup scripts" });
  return { user, token, api: callerFor(db, { user }) };
}

beforeAll(async () => {
  await serveApi();
  target = await startTargetServer();
  socket = net.createServer((connection) => connection.on("error", () => undefined));
  await new Promise<void>((done) => socket.listen(0, "127.0.0.1", done));
});
afterAll(async () => {
  await runner?.stop();
  await target.stop();
  socket.close();
  api.close();
  rmSync(scratch, { recursive: true, force: true });
  await db.$disconnect();
});

describe("npm run export / import", () => {
  it("moves a setup to another account through the API, and a second import changes nothing", async () => {
    const source = await newAccount();
    await source.api.notification.create({ type: "SLACK", name: "Slack", target: "http://127.0.0.1:9/services/x" });
    await source.api.monitor.create({ url: target.url("/ok"), name: "Site", tags: ["web"] });
    const tcp = await source.api.monitor.create({ type: "TCP", host: "127.0.0.1", port: 5432 });
    await source.api.maintenance.createRecurring({
      title: "Backups",
      schedule: "0 3 * * 0",
      timeZone: "UTC",
      durationMinutes: 30,
      monitorIds: [tcp.id],
    });

    const exported = await script("export.ts", ["--include-secrets"], source.token);
    expect(exported.stderr).toMatch(/2 monitors, 1 channels, 0 status pages/);
    // What `npm run export > setup.json` writes: npm's own lines first, then the document.
    const file = path.join(scratch, "setup.json");
    writeFileSync(file, `\n> better-uptime@0.1.0 export\n> tsx scripts/setup/export.ts\n\n${exported.stdout}`);

    const destination = await newAccount();
    const first = await script("import.ts", [file], destination.token);
    expect(first.stdout).toMatch(/^created\s+1 channels, 2 monitors, 1 recurring maintenance$/m);
    const copies = await destination.api.monitor.list();
    expect(copies.map((monitor) => monitor.type).sort()).toEqual(["HTTP", "TCP"]);
    expect(copies.find((monitor) => monitor.type === "HTTP")).toMatchObject({ name: "Site", tags: ["web"] });
    const second = await script("import.ts", [file], destination.token);
    expect(second.stdout).toMatch(/^created\s+nothing$/m);
    expect(second.stdout).toMatch(/^unchanged\s+1 channels, 2 monitors, 1 recurring maintenance$/m);
  });

  it("names the field at fault in a broken file, and imports nothing", async () => {
    const account = await newAccount();
    const file = path.join(scratch, "broken.json");
    writeFileSync(
      file,
      JSON.stringify({
        format: "better-uptime/setup",
        version: 1,
        monitors: [{ key: "a", type: "TCP", host: "127.0.0.1", port: 0 }],
      }),
    );
    const outcome = await script("import.ts", [file], account.token).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(outcome).toMatchObject({ code: 1 });
    expect((outcome as { stderr: string }).stderr).toMatch(/monitors\[0\]\.port|monitors\.0\.port/);
    expect(await account.api.monitor.list()).toHaveLength(0);
  });
});

describe("npm run import:kuma", () => {
  it("imports the Kuma fixture with a report, lists what it could not, and its monitors run", async () => {
    const account = await newAccount();
    const fixture = readFileSync(path.join(repoRoot, "tests/fixtures/kuma-backup.json"), "utf8")
      .replaceAll("127.0.0.1:65001", `127.0.0.1:${target.port}`)
      .replaceAll("65002", String((socket.address() as net.AddressInfo).port));
    const file = path.join(scratch, "kuma-backup.json");
    writeFileSync(file, fixture);

    const { stdout } = await script("import-kuma.ts", [file], account.token);
    expect(stdout).toMatch(/Uptime Kuma 1\.23\.16: 6 monitors, 4 notifications, 1 status pages to import/);
    expect(stdout).toMatch(/Not imported \(6\):/);
    expect(stdout).toMatch(/monitor "Router": ping monitors are not supported here/);
    expect(stdout).toMatch(/^created\s+4 channels, 6 monitors, 1 status pages$/m);
    // Kuma's push token stays behind: the push monitor's URL is this server's, and the report says where it is.
    const nightly = (await account.api.monitor.list()).find((monitor) => monitor.name === "Nightly backup")!;
    expect(nightly.pushUrl).not.toContain("kumaPushTokenNightly0123");
    expect(stdout).toContain(
      `created monitor "Nightly backup" (kuma-monitor-5): its push URL is new (this server chooses it; one in the file is not used): copy it from the monitor's page (/monitors/${nightly.id}) and point its job at it`,
    );

    const again = await script("import-kuma.ts", [file], account.token);
    expect(again.stdout).toMatch(/^unchanged\s+4 channels, 6 monitors, 1 status pages$/m);
    expect(again.stdout).toMatch(/^created\s+nothing$/m);

    // The imported monitors, checked by a runner of their own region.
    const region = uniqueRegion();
    const ids = (await account.api.monitor.list()).map((monitor) => monitor.id);
    await db.monitor.updateMany({ where: { id: { in: ids } }, data: { regions: [region] } });
    await db.monitorSchedule.updateMany({
      where: { monitorId: { in: ids } },
      data: { region, nextCheckAt: new Date() },
    });
    runner = startTestRunner(inject("databaseUrl"), { region });
    const up = ["Website", "Login page", "API health", "Database"];
    await eventually(
      "the imported HTTP, keyword, JSON and TCP monitors UP",
      async () => {
        const list = await account.api.monitor.list();
        return up.every((name) => list.find((monitor) => monitor.name === name)?.status === "UP");
      },
      30_000,
    );
    expect(target.hits("/echo")).toBeGreaterThan(0);
  });
});
