/**
 * TCP port monitors (issue 16, first type): the probe against local sockets, the policy
 * before any socket, the API's shape and field errors, and the engine end to end.
 */
import net from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { runTcpCheck } from "../../workers/engine/probes/tcp.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { eventually, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { closedPort } from "../support/ports.ts";
import { countChecks } from "../support/stored-results.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";

const db = testDb();
const policy = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") };
const resolve = fakeResolver({ "db.internal.test": ["10.0.0.5"], "db.local.test": ["127.0.0.1"] });
const sockets: net.Server[] = [];
const runners: Runner[] = [];
let user: SessionUser;

/** A listening socket on 127.0.0.1; `silent` accepts and never says a word (a TLS handshake then hangs). */
async function listening(): Promise<{ port: number; server: net.Server }> {
  const server = net.createServer((socket) => socket.on("error", () => undefined));
  sockets.push(server);
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { port: (server.address() as net.AddressInfo).port, server };
}

beforeAll(async () => {
  user = await createUser(db);
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  for (const server of sockets) server.close();
  await db.$disconnect();
});

describe("TCP probe", () => {
  it("is UP against a listening socket, with its connect time", async () => {
    const { port } = await listening();
    const outcome = await runTcpCheck(
      { kind: "tcp", host: "db.local.test", port, tls: false, timeoutMs: 2_000 },
      {
        policy,
        resolve,
      },
    );
    expect(outcome).toMatchObject({ status: "UP", statusCode: null, errorClass: null });
    expect(outcome.timings.connectMs).toEqual(expect.any(Number));
  });

  it("is DOWN, refused, against a closed port", async () => {
    const port = await closedPort();
    const outcome = await runTcpCheck(
      { kind: "tcp", host: "127.0.0.1", port, tls: false, timeoutMs: 2_000 },
      {
        policy,
        resolve,
      },
    );
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "refused",
      error: `port ${port} refused the connection`,
    });
  });

  it("is DOWN, timed out, when the TLS handshake never comes", async () => {
    const { port } = await listening();
    const outcome = await runTcpCheck(
      { kind: "tcp", host: "127.0.0.1", port, tls: true, timeoutMs: 300 },
      {
        policy,
        resolve,
      },
    );
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "timeout",
      error: `port ${port} gave no TLS handshake within 300 ms`,
    });
  });

  it("is DOWN, timed out, against a black-holed port (the connection never completes)", async () => {
    // A socket that is never connected stands in for a port whose SYNs are dropped: no
    // packet leaves, and the check must give up at its own deadline.
    const outcome = await runTcpCheck(
      { kind: "tcp", host: "127.0.0.1", port: 5432, tls: false, timeoutMs: 300 },
      { policy, resolve, openSocket: () => new net.Socket() },
    );
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "timeout",
      error: "port 5432 gave no connection within 300 ms",
    });
  });

  it("refuses a host resolving to a private address before any socket opens", async () => {
    let opened = 0;
    const outcome = await runTcpCheck(
      { kind: "tcp", host: "db.internal.test", port: 5432, tls: false, timeoutMs: 2_000 },
      {
        policy,
        resolve,
        openSocket: () => {
          opened += 1;
          throw new Error("no socket may open");
        },
      },
    );
    expect(outcome).toMatchObject({ status: "DOWN", errorClass: "blocked" });
    expect(opened).toBe(0);
  });
});

describe("TCP monitors through the API and the engine", () => {
  it("creates one from host and port, and names the field at fault", async () => {
    const api = callerFor(db, { user, resolve });
    const monitor = await api.monitor.create({ type: "TCP", host: "127.0.0.1", port: 5432, name: "Database" });
    expect(monitor).toMatchObject({
      type: "TCP",
      url: "tcp://127.0.0.1:5432",
      tcp: { host: "127.0.0.1", port: 5432, tls: false },
      status: "PENDING",
    });
    expect((await api.monitor.update({ id: monitor.id, port: 6432 })).url).toBe("tcp://127.0.0.1:6432");
    await expect(api.monitor.create({ type: "TCP", host: "127.0.0.1", port: 0 })).rejects.toThrow(
      /Port must be between 1 and 65535/,
    );
    await expect(api.monitor.create({ type: "TCP", host: "db.internal.test", port: 5432 })).rejects.toMatchObject({
      cause: { fieldErrors: { host: [expect.stringContaining("10.0.0.5")] } },
    });
    const http = await api.monitor.create({ url: "http://127.0.0.1:9/" });
    await expect(api.monitor.update({ id: http.id, port: 80 })).rejects.toMatchObject({
      cause: {
        fieldErrors: { port: ["Only TCP port and TLS certificate monitors have this setting (this one is HTTP)"] },
      },
    });
    // Neither a host name nor an IP address (each was once stored, "." as an empty host).
    for (const host of [".", "..", ":", ":::::::::", "1.2.3.4.5", "127.0.0.1:443"]) {
      await expect(api.monitor.create({ type: "TCP", host, port: 5432 }), host).rejects.toThrow(
        /"path": \[\s*"host"\s*\],\s*"message": "Enter a host name or an IP address/,
      );
    }
    expect(await api.monitor.create({ type: "TCP", host: "[::1]", port: 5432 })).toMatchObject({
      tcp: { host: "::1", port: 5432 },
    });
  });

  it("checks a port: UP while it listens, DOWN with the cause when it refuses", async () => {
    const region = uniqueRegion();
    const { port, server } = await listening();
    const api = callerFor(db, { user, resolve });
    const monitor = await api.monitor.create({
      type: "TCP",
      host: "127.0.0.1",
      port,
      regions: [region],
      intervalSeconds: 10,
    });
    runners.push(startTestRunner(inject("databaseUrl"), { region }));
    await eventually("UP", async () =>
      (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === "UP" ? true : null,
    );
    await new Promise<void>((done) => server.close(() => done()));
    await api.monitor.checkNow({ id: monitor.id });
    await eventually("DOWN", async () =>
      (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === "DOWN" ? true : null,
    );
    const incident = await db.incident.findFirstOrThrow({ where: { monitorId: monitor.id } });
    expect(incident.cause).toBe("refused");
    expect(await countChecks(db, monitor.id, { status: "UP" })).toBeGreaterThan(0);
  }, 30_000);
});
