import net from "node:net";
import tls from "node:tls";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseStatusCodes } from "../../core/domain/status-codes.ts";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import { createTargetResolver } from "../../core/net/target-resolver.ts";
import { httpCheckRequest } from "../support/check-request.ts";
import { runCheck, type SocketOpener } from "../../workers/engine/probes/http.ts";
import { closedPort } from "../support/ports.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const deps = {
  policy: { allowedNetworks: parseAllowedNetworks("127.0.0.0/8,::1/128") },
  resolve: createTargetResolver(),
};

const request = httpCheckRequest;

let target: TargetServer;
beforeAll(async () => {
  target = await startTargetServer();
});
afterAll(() => target.stop());

describe("runCheck against a local target", () => {
  it("is UP on 200 with the response time and its phases", async () => {
    const outcome = await runCheck(request(target.url("/ok")), deps);
    expect(outcome).toMatchObject({ status: "UP", statusCode: 200, errorClass: null, error: null, snapshot: null });
    expect(outcome.timings).toEqual({
      dnsMs: expect.any(Number),
      connectMs: expect.any(Number),
      tlsMs: null,
      ttfbMs: expect.any(Number),
      downloadMs: expect.any(Number),
    });
    expect(outcome.responseTimeMs).toBeGreaterThanOrEqual(0);
  });

  it("opens a fresh connection for every check", async () => {
    const before = target.hits("/ok");
    await Promise.all([1, 2, 3].map(() => runCheck(request(target.url("/ok")), deps)));
    expect(target.hits("/ok") - before).toBe(3);
  });

  it("is DOWN with class 'status' when the code is not expected, keeping a snapshot", async () => {
    const outcome = await runCheck(request(target.url("/status/503")), deps);
    expect(outcome).toMatchObject({
      status: "DOWN",
      statusCode: 503,
      errorClass: "status",
      error: "HTTP 503, expected 200-299",
    });
    expect(outcome.snapshot).toMatchObject({ statusCode: 503, body: "status 503" });
  });

  it("accepts any listed code or range", async () => {
    const ranges = parseStatusCodes("200-299,503");
    if (!ranges.ok) throw new Error(ranges.error);
    expect((await runCheck(request(target.url("/status/503"), { expectedStatus: ranges.ranges }), deps)).status).toBe(
      "UP",
    );
  });

  it("applies keyword present / absent rules", async () => {
    const present = (keyword: string) => runCheck(request(target.url("/ok"), { keyword }), deps);
    expect((await present("hello")).status).toBe("UP");
    expect(await present("goodbye")).toMatchObject({
      status: "DOWN",
      errorClass: "keyword",
      error: 'keyword "goodbye" not found in the response',
    });
    const absent = await runCheck(request(target.url("/ok"), { keyword: "hello", keywordMode: "ABSENT" }), deps);
    expect(absent).toMatchObject({ status: "DOWN", errorClass: "keyword" });
  });

  it("follows redirects up to the limit, then fails with class 'redirect'", async () => {
    expect(await runCheck(request(target.url("/redirect/3"), { maxRedirects: 3 }), deps)).toMatchObject({
      status: "UP",
      statusCode: 200,
    });
    expect(await runCheck(request(target.url("/redirect/4"), { maxRedirects: 3 }), deps)).toMatchObject({
      status: "DOWN",
      errorClass: "redirect",
      error: expect.stringContaining("more than 3 redirects"),
    });
  });

  it("does not follow redirects when told not to: a 302 is then judged as it is", async () => {
    const outcome = await runCheck(request(target.url("/redirect/1"), { followRedirects: false }), deps);
    expect(outcome).toMatchObject({ status: "DOWN", statusCode: 302, errorClass: "status" });
  });

  it("times out a hung target at its deadline with class 'timeout'", async () => {
    const outcome = await runCheck(request(target.url("/hang"), { timeoutMs: 300 }), deps);
    expect(outcome).toMatchObject({ status: "DOWN", errorClass: "timeout", error: "no response within 300 ms" });
  });

  it("is DOWN with class 'refused' on a closed port", async () => {
    const outcome = await runCheck(request(`http://127.0.0.1:${await closedPort()}/`), deps);
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "refused",
      error: "connection refused",
      statusCode: null,
    });
  });

  it("reads at most maxBodyBytes of the body: a keyword past the cap is not seen", async () => {
    const within = await runCheck(request(target.url("/big/1000?tail=needle"), { keyword: "needle" }), deps);
    expect(within.status).toBe("UP");
    const beyond = await runCheck(
      request(target.url("/big/2000000?tail=needle"), { maxBodyBytes: 1024 * 1024, keyword: "needle" }),
      deps,
    );
    expect(beyond).toMatchObject({ status: "DOWN", errorClass: "keyword" });
  });

  it("sends the configured method, headers and body", async () => {
    const outcome = await runCheck(
      request(target.url("/echo"), {
        method: "POST",
        headers: [{ name: "Authorization", value: "Bearer s3cret" }],
        body: '{"ping":true}',
        keyword: '"authorization":"Bearer s3cret"',
      }),
      deps,
    );
    expect(outcome.status).toBe("UP");
  });
});

describe("runCheck over TLS", () => {
  let tlsTarget: TargetServer;
  let cert: string;
  const notAfter = new Date(Date.UTC(2030, 0, 15));
  beforeAll(async () => {
    const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
      notAfterDate: notAfter,
      extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
    });
    cert = pems.cert;
    tlsTarget = await startTargetServer({ tls: { key: pems.private, cert: pems.cert } });
  });
  afterAll(() => tlsTarget.stop());

  it("records the certificate's expiry and the TLS phase when the certificate is trusted", async () => {
    const trustingOpener: SocketOpener = ({ ip, port, tls: options }) =>
      options
        ? tls.connect({ host: ip, port, servername: options.servername, ca: cert })
        : net.connect({ host: ip, port });
    const outcome = await runCheck(request(tlsTarget.url("/ok")), { ...deps, openSocket: trustingOpener });
    expect(outcome).toMatchObject({ status: "UP", tlsExpiresAt: notAfter.toISOString() });
    expect(outcome.timings.tlsMs).toEqual(expect.any(Number));
  });

  it("is DOWN with class 'tls' when the certificate is not trusted", async () => {
    const outcome = await runCheck(request(tlsTarget.url("/ok")), deps);
    expect(outcome).toMatchObject({ status: "DOWN", errorClass: "tls" });
  });
});
