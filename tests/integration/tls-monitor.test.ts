/**
 * TLS certificate monitors, against local HTTPS servers with certificates made here by
 * a private CA: expiry within the monitor's threshold (an alert, once), expired, another
 * hostname, self-signed and an untrusted chain as distinct causes; and HTTP monitors'
 * "ignore TLS errors" for internal services.
 */
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { runTlsCheck } from "../../workers/engine/probes/tls.ts";
import { runCheck } from "../../workers/engine/probes/http.ts";
import type { Runner } from "../../workers/engine/runner.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { makeCa, makeServerCertificate, type Pem } from "../support/certificates.ts";
import { httpCheckRequest } from "../support/check-request.ts";
import { testDb } from "../support/db.ts";
import { eventually, sleep, startTestRunner, uniqueRegion } from "../support/engine.ts";
import { createUser } from "../support/factories.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";

const db = testDb();
const resolve = fakeResolver({ localhost: ["127.0.0.1"] });
const policy = { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") };
const servers: TargetServer[] = [];
const runners: Runner[] = [];
let ca: Pem;
let receiver: Receiver;
let user: SessionUser;
let deps: Parameters<typeof runTlsCheck>[1];

async function httpsServer(certificate: Pem): Promise<TargetServer> {
  const server = await startTargetServer({ tls: certificate });
  servers.push(server);
  return server;
}
const portOf = (server: TargetServer) => Number(new URL(server.url("/")).port);
const certificateCheck = (server: TargetServer, expiryDays = 14) =>
  runTlsCheck({ kind: "tls", host: "localhost", port: portOf(server), expiryDays, timeoutMs: 2_000 }, deps);

beforeAll(async () => {
  [ca, receiver, user] = await Promise.all([makeCa(), startReceiver(), createUser(db)]);
  deps = { policy, resolve, trustedCa: [...tls.rootCertificates, ca.cert] };
});
afterAll(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  await Promise.all(servers.map((server) => server.stop()));
  await receiver.stop();
  await db.$disconnect();
});

describe("TLS certificate probe", () => {
  it("is UP for a trusted certificate far from expiry, DOWN within the monitor's own threshold", async () => {
    const server = await httpsServer(await makeServerCertificate({ names: ["localhost"], toDays: 10.5, ca }));
    expect(await certificateCheck(server, 7)).toMatchObject({ status: "UP", errorClass: null });
    const near = await certificateCheck(server, 14);
    expect(near).toMatchObject({ status: "DOWN", errorClass: "certificate" });
    expect(near.error).toMatch(/^certificate expires in 10 days \(on \d{4}-\d\d-\d\d; threshold 14 days\)$/);
    expect(near.tlsExpiresAt).not.toBeNull();
  });

  it("names expired, another hostname, self-signed and an untrusted chain apart", async () => {
    const expired = await httpsServer(
      await makeServerCertificate({ names: ["localhost"], fromDays: -30, toDays: -2, ca }),
    );
    const otherName = await httpsServer(await makeServerCertificate({ names: ["other.example.test"], toDays: 90, ca }));
    const selfSigned = await httpsServer(await makeServerCertificate({ names: ["localhost"], toDays: 90 }));
    const strangerCa = await makeCa("Somebody Else's CA");
    const untrusted = await httpsServer(
      await makeServerCertificate({ names: ["localhost"], toDays: 90, ca: strangerCa }),
    );
    const outcomes = await Promise.all([expired, otherName, selfSigned, untrusted].map((s) => certificateCheck(s)));
    expect(outcomes.map((o) => [o.status, o.errorClass])).toEqual(Array(4).fill(["DOWN", "tls"]));
    expect(outcomes[0]!.error).toMatch(/^certificate expired on \d{4}-\d\d-\d\d$/);
    expect(outcomes[1]!.error).toBe("certificate is for another hostname");
    expect(outcomes[2]!.error).toBe("certificate is self-signed");
    expect(outcomes[3]!.error).toMatch(
      /^certificate chain is not trusted \(UNABLE_TO_(VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)\)$/,
    );
  });
});

describe("HTTP monitors: ignore TLS errors", () => {
  it("makes a check of a self-signed internal service UP, which is DOWN (tls) otherwise", async () => {
    const server = await httpsServer(await makeServerCertificate({ names: ["localhost"], toDays: 90 }));
    const url = server.url("/ok").replace("127.0.0.1", "localhost");
    const strict = await runCheck(httpCheckRequest(url), { policy, resolve });
    expect(strict).toMatchObject({ status: "DOWN", errorClass: "tls" });
    const lenient = await runCheck(httpCheckRequest(url, { ignoreTlsErrors: true }), { policy, resolve });
    expect(lenient).toMatchObject({ status: "UP", statusCode: 200 });
  });
});

describe("TLS monitors in the engine", () => {
  it("alert once when the certificate enters the threshold, however often it is checked", async () => {
    const region = uniqueRegion();
    const server = await httpsServer(await makeServerCertificate({ names: ["127.0.0.1"], toDays: 5.5, ca }));
    const api = callerFor(db, { user });
    const channel = await api.notification.create({
      type: "WEBHOOK",
      name: "Hook",
      target: receiver.url(`/tls/${region}`),
    });
    const monitor = await api.monitor.create({
      type: "TLS",
      host: "127.0.0.1",
      port: portOf(server),
      expiryDays: 21,
      name: "Shop certificate",
      regions: [region],
      channelIds: [channel.id],
    });
    expect(monitor).toMatchObject({ type: "TLS", certificate: { host: "127.0.0.1", expiryDays: 21 } });
    runners.push(startTestRunner(inject("databaseUrl"), { region, extraCaCerts: ca.cert }));
    await eventually("DOWN", async () =>
      (await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).status === "DOWN" ? true : null,
    );
    for (let i = 0; i < 2; i++) {
      await api.monitor.checkNow({ id: monitor.id });
      await sleep(1_000);
    }
    await eventually("the alert", () =>
      Promise.resolve(receiver.received.some((r) => r.path === `/tls/${region}`) || null),
    );
    await sleep(1_000);
    const alerts = receiver.received.filter((r) => r.path === `/tls/${region}`);
    expect(alerts).toHaveLength(1);
    expect(JSON.parse(alerts[0]!.body)).toMatchObject({ event: "incident.opened", incident: { cause: "certificate" } });
    expect(alerts[0]!.body).toMatch(/certificate expires in 5 days/);
  }, 30_000);
});
