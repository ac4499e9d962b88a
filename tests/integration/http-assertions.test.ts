/**
 * HTTP assertions against a local server: JSON body assertions (JSONPath and JSON
 * Pointer) with each operator, a malformed JSON body, header assertions, body patterns —
 * among them one that backtracks catastrophically on a backtracking engine and returns
 * here at once — the case-insensitive keyword, and the response-time limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowedNetworks } from "../../core/net/target-policy.ts";
import type { Assertion } from "../../core/domain/assertions.ts";
import { runCheck } from "../../workers/engine/probes/http.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { httpCheckRequest } from "../support/check-request.ts";
import { testDb } from "../support/db.ts";
import { createUser } from "../support/factories.ts";
import { startTargetServer, type TargetServer } from "../support/target-server.ts";

const deps = { policy: { allowedNetworks: parseAllowedNetworks("127.0.0.0/8") }, resolve: fakeResolver() };
const db = testDb();
let target: TargetServer;

const DOCUMENT = {
  status: "ok",
  version: "2.4.1",
  queue: { depth: 42, workers: ["a", "b"] },
  "odd key": true,
  nothing: null,
};

function respond(body: string, headers: string[] = [], type = "application/json"): string {
  const search = new URLSearchParams({ body, type });
  for (const header of headers) search.append("header", header);
  return target.url(`/respond?${search.toString()}`);
}

const assert = (assertions: Assertion[], url = respond(JSON.stringify(DOCUMENT))) =>
  runCheck(httpCheckRequest(url, { assertions }), deps);

beforeAll(async () => {
  target = await startTargetServer();
});
afterAll(async () => {
  await target.stop();
  await db.$disconnect();
});

describe("JSON body assertions", () => {
  const json = (path: string, operator: Extract<Assertion, { source: "json" }>["operator"], value = "") =>
    ({ source: "json", path, operator, value }) as const;

  it("hold for each operator, by JSONPath and by JSON Pointer", async () => {
    const outcome = await assert([
      json("$.status", "equals", "ok"),
      json("/status", "equals", "ok"),
      json("$.queue.depth", "equals", "42"),
      json("$.queue.depth", "lt", "100"),
      json("/queue/depth", "gt", "41.5"),
      json("$.version", "contains", "2.4"),
      json("$.queue.workers", "contains", "b"),
      json("$.queue.workers[1]", "equals", "b"),
      json("$['odd key']", "equals", "true"),
      json("$.nothing", "exists"),
      json("$.nothing", "equals", "null"),
    ]);
    expect(outcome).toMatchObject({ status: "UP", errorClass: null });
  });

  it("fail with what was found and what was expected", async () => {
    const cases: [Assertion, string][] = [
      [json("$.status", "equals", "degraded"), 'JSON $.status is "ok", expected "degraded"'],
      [json("$.queue.depth", "lt", "10"), "JSON $.queue.depth is 42, expected is less than 10"],
      [json("/queue/depth", "gt", "100"), "JSON /queue/depth is 42, expected is greater than 100"],
      [json("$.queue.workers", "contains", "c"), 'JSON $.queue.workers is ["a","b"], expected it to contain "c"'],
      [json("$.missing", "exists"), "JSON $.missing is missing"],
      [json("$.status", "gt", "1"), 'JSON $.status is "ok", not a number'],
    ];
    for (const [assertion, cause] of cases) {
      expect(await assert([assertion])).toMatchObject({ status: "DOWN", errorClass: "assertion", error: cause });
    }
  });

  it("fail on a malformed JSON body, with its start", async () => {
    const outcome = await assert([json("$.status", "exists")], respond("<html>oops</html>", [], "text/html"));
    expect(outcome).toMatchObject({
      status: "DOWN",
      errorClass: "assertion",
      error: 'the response is not valid JSON ("<html>oops</html>")',
    });
  });
});

describe("header and body assertions", () => {
  it("check headers by equals, contains, matches and exists", async () => {
    const url = respond("{}", ["x-version:2.4.1", "cache-control:no-store"]);
    const up = await assert(
      [
        { source: "header", name: "X-Version", operator: "equals", value: "2.4.1" },
        { source: "header", name: "content-type", operator: "contains", value: "json" },
        { source: "header", name: "x-version", operator: "matches", value: "^2\\.\\d+\\.\\d+$" },
        { source: "header", name: "cache-control", operator: "exists", value: "" },
      ],
      url,
    );
    expect(up).toMatchObject({ status: "UP" });
    expect(
      await assert([{ source: "header", name: "x-request-id", operator: "exists", value: "" }], url),
    ).toMatchObject({ status: "DOWN", error: "header x-request-id is missing" });
  });

  it("match the body by pattern, and a catastrophic-backtracking pattern returns at once", async () => {
    const url = target.url("/big/50000?tail=!"); // 50,000 × "a", then "!"
    expect(await assert([{ source: "body", operator: "matches", value: "^a+!$" }], url)).toMatchObject({
      status: "UP",
    });
    // (a+)+$ against "aaa…a!" takes exponential time on a backtracking engine (it never
    // matches); RE2 answers in linear time: the verdict is the pattern's, not the timeout's.
    const evil = await runCheck(
      httpCheckRequest(url, {
        assertions: [{ source: "body", operator: "matches", value: "(a+)+$" }],
        timeoutMs: 2_000,
      }),
      deps,
    );
    expect(evil).toMatchObject({
      status: "DOWN",
      errorClass: "assertion",
      error: "the response does not match /(a+)+$/",
    });
    expect(
      await assert(
        [{ source: "body", operator: "not_matches", value: "(?i)ERROR" }],
        respond("all fine", [], "text/plain"),
      ),
    ).toMatchObject({ status: "UP" });
    expect(
      await assert(
        [{ source: "body", operator: "not_matches", value: "(?i)ERROR" }],
        respond("an Error", [], "text/plain"),
      ),
    ).toMatchObject({ status: "DOWN", errorClass: "assertion", error: "the response matches /(?i)ERROR/" });
  });
});

describe("keyword and response time", () => {
  it("finds a keyword ignoring case only when asked", async () => {
    const url = respond("Service is HEALTHY", [], "text/plain");
    expect(await runCheck(httpCheckRequest(url, { keyword: "healthy" }), deps)).toMatchObject({
      status: "DOWN",
      errorClass: "keyword",
    });
    expect(await runCheck(httpCheckRequest(url, { keyword: "healthy", keywordIgnoreCase: true }), deps)).toMatchObject({
      status: "UP",
    });
  });

  it("is DOWN (slow) when the response is slower than the limit", async () => {
    const outcome = await runCheck(httpCheckRequest(target.url("/slow/300"), { maxResponseMs: 100 }), deps);
    expect(outcome).toMatchObject({ status: "DOWN", errorClass: "slow" });
    expect(outcome.error).toMatch(/^responded in \d+ ms, slower than 100 ms$/);
  });
});

describe("assertions through the API", () => {
  it("are stored and read back, and a bad path or pattern names the assertion at fault", async () => {
    const api = callerFor(db, { user: await createUser(db) });
    const monitor = await api.monitor.create({
      url: "http://127.0.0.1:9/health",
      assertions: [{ source: "json", path: "$.status", operator: "equals", value: "ok" }],
      keywordIgnoreCase: true,
      maxResponseMs: 800,
      ignoreTlsErrors: true,
    });
    expect(monitor).toMatchObject({
      assertions: [{ source: "json", path: "$.status", operator: "equals", value: "ok" }],
      keywordIgnoreCase: true,
      maxResponseMs: 800,
      ignoreTlsErrors: true,
    });
    await expect(
      api.monitor.update({ id: monitor.id, assertions: [{ source: "body", operator: "matches", value: "(a" }] }),
    ).rejects.toThrow(/Not a valid pattern: missing closing \)/);
    await expect(
      api.monitor.update({ id: monitor.id, assertions: [{ source: "body", operator: "matches", value: "(a)\\1" }] }),
    ).rejects.toThrow(/Not a valid pattern/);
    await expect(
      api.monitor.update({ id: monitor.id, assertions: [{ source: "json", path: "status", operator: "exists" }] }),
    ).rejects.toThrow(/Use a JSON Pointer \(\/data\/status\) or a JSONPath/);
    await expect(
      api.monitor.update({ id: monitor.id, assertions: [{ source: "json", path: "$.n", operator: "lt", value: "x" }] }),
    ).rejects.toThrow(/Compare with a number/);
  });
});
