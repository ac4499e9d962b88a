import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { automaticTimeoutMs, MASKED_VALUE } from "../../core/monitor-types/settings.ts";
import { MONITOR_DEFAULTS } from "../../core/domain/monitor-defaults.ts";
import { callerFor, fakeResolver } from "../support/caller.ts";
import { testDb } from "../support/db.ts";
import { createUser } from "../support/factories.ts";
import type { SessionUser } from "../../app/server/services/auth/session-user.server.ts";

const db = testDb();
afterAll(() => db.$disconnect());

const resolve = fakeResolver({ "internal.example.test": ["10.0.0.1"], "site.example.test": ["127.0.0.1"] });
let alice: SessionUser;
beforeAll(async () => {
  alice = await createUser(db);
});
const asAlice = () => callerFor(db, { user: alice, resolve });

/** The error a caller sees, as the API would send it. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    const trpcError = error as TRPCError;
    const shape = { code: trpcError.code, message: trpcError.message, cause: trpcError.cause };
    return shape;
  }
  throw new Error("expected the call to fail");
}

/** Field errors as the error formatter reports them to clients. */
function fieldErrorsOf(error: { cause: unknown }): Record<string, string[]> {
  const cause = error.cause as {
    fieldErrors?: Record<string, string[]>;
    issues?: { path: string[]; message: string }[];
  };
  if (cause.fieldErrors) return cause.fieldErrors;
  const fields: Record<string, string[]> = {};
  for (const issue of cause.issues ?? []) (fields[String(issue.path[0])] ??= []).push(issue.message);
  return fields;
}

describe("monitor router", () => {
  it("creates a monitor with sensible defaults, due for a check in its region now", async () => {
    const monitor = await asAlice().monitor.create({ url: "http://127.0.0.1:9/health", name: "API" });
    expect(monitor).toMatchObject({
      url: "http://127.0.0.1:9/health",
      name: "API",
      method: MONITOR_DEFAULTS.method,
      expectedStatusCodes: MONITOR_DEFAULTS.expectedStatusCodes,
      intervalSeconds: MONITOR_DEFAULTS.intervalSeconds,
      timeoutMs: automaticTimeoutMs(MONITOR_DEFAULTS.intervalSeconds),
      regions: MONITOR_DEFAULTS.regions,
      maxRedirects: MONITOR_DEFAULTS.maxRedirects,
      failureThreshold: MONITOR_DEFAULTS.failureThreshold,
      status: "PENDING",
      isActive: true,
    });
    const schedules = await db.monitorSchedule.findMany({ where: { monitorId: monitor.id } });
    expect(schedules).toHaveLength(1);
    expect(schedules[0]!.nextCheckAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("gives the smallest interval a timeout that fits, and lets an automatic timeout follow the interval", async () => {
    const fast = await asAlice().monitor.create({ url: "http://127.0.0.1:9/fast", intervalSeconds: 10 });
    expect(fast).toMatchObject({ intervalSeconds: 10, timeoutMs: 5_000 });
    // Automatic: follows the interval both ways.
    const slower = await asAlice().monitor.update({ id: fast.id, intervalSeconds: 300 });
    expect(slower.timeoutMs).toBe(10_000);
    // The user's own timeout stays when it still fits, and gives way when it no longer does.
    await asAlice().monitor.update({ id: fast.id, timeoutMs: 12_000 });
    expect((await asAlice().monitor.update({ id: fast.id, intervalSeconds: 30 })).timeoutMs).toBe(12_000);
    expect((await asAlice().monitor.update({ id: fast.id, intervalSeconds: 10 })).timeoutMs).toBe(5_000);
    // Null asks for the automatic one again.
    await asAlice().monitor.update({ id: fast.id, intervalSeconds: 60, timeoutMs: 3_000 });
    expect((await asAlice().monitor.update({ id: fast.id, timeoutMs: null })).timeoutMs).toBe(10_000);
  });

  it("stores header values but never returns them", async () => {
    const monitor = await asAlice().monitor.create({
      url: "http://127.0.0.1:9/",
      headers: [{ name: "Authorization", value: "Bearer top-secret" }],
    });
    expect(monitor.headers).toEqual([{ name: "Authorization", value: MASKED_VALUE }]);
    expect(JSON.stringify(await asAlice().monitor.byId({ id: monitor.id }))).not.toContain("top-secret");
    expect(JSON.stringify(await asAlice().monitor.list())).not.toContain("top-secret");
    // Sending the mask back keeps the stored value; a new value replaces it.
    await asAlice().monitor.update({ id: monitor.id, headers: [{ name: "Authorization", value: MASKED_VALUE }] });
    expect((await db.monitor.findUniqueOrThrow({ where: { id: monitor.id } })).requestHeaders).toEqual([
      { name: "Authorization", value: "Bearer top-secret" },
    ]);
  });

  it("updates settings, re-syncs regions and makes an edited monitor due now", async () => {
    const monitor = await asAlice().monitor.create({ url: "http://127.0.0.1:9/" });
    await db.monitorSchedule.updateMany({
      where: { monitorId: monitor.id },
      data: { nextCheckAt: new Date(Date.now() + 3_600_000) },
    });
    const updated = await asAlice().monitor.update({
      id: monitor.id,
      intervalSeconds: 30,
      regions: ["eu", "us"],
      downQuorum: 2,
      keyword: "ok",
    });
    expect(updated).toMatchObject({ intervalSeconds: 30, regions: ["eu", "us"], downQuorum: 2, keyword: "ok" });
    const schedules = await db.monitorSchedule.findMany({
      where: { monitorId: monitor.id },
      orderBy: { region: "asc" },
    });
    expect(schedules.map((s) => s.region)).toEqual(["eu", "us"]);
    for (const schedule of schedules) expect(schedule.nextCheckAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("pauses (no longer due anywhere) and resumes (due now)", async () => {
    const monitor = await asAlice().monitor.create({ url: "http://127.0.0.1:9/" });
    expect((await asAlice().monitor.pause({ id: monitor.id })).status).toBe("PAUSED");
    expect(await db.monitorSchedule.count({ where: { monitorId: monitor.id, isActive: true } })).toBe(0);
    expect(await failure(asAlice().monitor.checkNow({ id: monitor.id }))).toMatchObject({ code: "BAD_REQUEST" });
    expect((await asAlice().monitor.resume({ id: monitor.id })).status).toBe("PENDING");
    expect(await db.monitorSchedule.count({ where: { monitorId: monitor.id, isActive: true } })).toBe(1);
  });

  it("check now makes it due at once", async () => {
    const monitor = await asAlice().monitor.create({ url: "http://127.0.0.1:9/" });
    await db.monitorSchedule.updateMany({
      where: { monitorId: monitor.id },
      data: { nextCheckAt: new Date(Date.now() + 3_600_000) },
    });
    await asAlice().monitor.checkNow({ id: monitor.id });
    const [schedule] = await db.monitorSchedule.findMany({ where: { monitorId: monitor.id } });
    expect(schedule!.nextCheckAt.getTime()).toBeLessThanOrEqual(Date.now());
  });

  it("deletes, then answers NOT_FOUND", async () => {
    const monitor = await asAlice().monitor.create({ url: "http://127.0.0.1:9/" });
    expect(await asAlice().monitor.delete({ id: monitor.id })).toEqual({ id: monitor.id });
    expect(await failure(asAlice().monitor.byId({ id: monitor.id }))).toMatchObject({ code: "NOT_FOUND" });
    expect(await failure(asAlice().monitor.delete({ id: monitor.id }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("requires a signed-in user", async () => {
    expect(await failure(callerFor(db).monitor.list())).toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("monitor router: bad input gets a field error, never a 500", () => {
  const headers = (count: number, size = 10) =>
    Array.from({ length: count }, (_, i) => ({ name: `X-H${i}`, value: "v".repeat(size) }));

  it.each([
    ["an invalid URL", { url: "not a url" }, "url", /full URL/],
    ["a non-HTTP URL", { url: "ftp://127.0.0.1/" }, "url", /Only http/],
    ["credentials in the URL", { url: "http://user:pw@127.0.0.1/" }, "url", /header/],
    [
      "an interval below 10 s",
      { url: "http://127.0.0.1/", intervalSeconds: 5 },
      "intervalSeconds",
      /between 10 and 86400/,
    ],
    [
      "an interval above 24 h",
      { url: "http://127.0.0.1/", intervalSeconds: 86_401 },
      "intervalSeconds",
      /between 10 and 86400/,
    ],
    ["a fractional interval", { url: "http://127.0.0.1/", intervalSeconds: 30.5 }, "intervalSeconds", /whole number/],
    [
      "malformed status ranges",
      { url: "http://127.0.0.1/", expectedStatusCodes: "2oo-299" },
      "expectedStatusCodes",
      /not a status code/,
    ],
    [
      "a reversed status range",
      { url: "http://127.0.0.1/", expectedStatusCodes: "299-200" },
      "expectedStatusCodes",
      /starts after/,
    ],
    ["too many headers", { url: "http://127.0.0.1/", headers: headers(21) }, "headers", /At most 20 headers/],
    ["oversized headers", { url: "http://127.0.0.1/", headers: headers(3, 4000) }, "headers", /at most 8 KiB/],
    [
      "a header with a line break",
      { url: "http://127.0.0.1/", headers: [{ name: "X-A", value: "a\r\nHost: evil" }] },
      "headers",
      /line breaks/,
    ],
    [
      "a reserved header",
      { url: "http://127.0.0.1/", headers: [{ name: "Host", value: "x" }] },
      "headers",
      /set by Better Uptime/,
    ],
    [
      "a timeout not below the interval",
      { url: "http://127.0.0.1/", intervalSeconds: 10, timeoutMs: 10_000 },
      "timeoutMs",
      /shorter than the interval/,
    ],
    [
      "a quorum above the region count",
      { url: "http://127.0.0.1/", regions: ["eu"], downQuorum: 2 },
      "downQuorum",
      /number of regions/,
    ],
    ["a body on GET", { url: "http://127.0.0.1/", body: "{}" }, "body", /cannot carry a body/],
    ["an unknown method", { url: "http://127.0.0.1/", method: "BREW" }, "method", /one of GET/],
    ["a bad region name", { url: "http://127.0.0.1/", regions: ["EU West"] }, "regions", /lowercase/],
  ])("%s", async (_label, input, field, message) => {
    const error = await failure(asAlice().monitor.create(input as never));
    expect(error.code).toBe("BAD_REQUEST");
    const fields = fieldErrorsOf(error);
    expect(Object.keys(fields)).toContain(field);
    expect(fields[field]!.join(" ")).toMatch(message);
  });

  it("refuses targets that are or resolve to refused addresses, naming why", async () => {
    for (const [url, reason] of [
      ["http://internal.example.test/", "10.0.0.1 is a private address"],
      ["http://10.0.0.1/", "10.0.0.1 is a private address"],
      ["http://169.254.169.254/latest/meta-data/", "cloud metadata"],
      ["http://[::ffff:10.0.0.1]/", "10.0.0.1 is a private address"],
      ["http://0xa000001/", "10.0.0.1 is a private address"],
      // Issue 25, item 11: IPv6 forms carrying an IPv4 address are judged by it.
      ["http://[2002:a00:1::]/", "10.0.0.1 (inside 2002:a00:1::) is a private address"],
      ["http://[64:ff9b::a9fe:a9fe]/", "is a cloud metadata address"],
      // Loopback is allowed here, but ::127.0.0.1 is not loopback on the wire (::7f00:1).
      ["http://[::127.0.0.1]/", "::7f00:1 is an IPv4-compatible IPv6 (deprecated) address"],
    ] as const) {
      const error = await failure(asAlice().monitor.create({ url }));
      expect(error.code, url).toBe("BAD_REQUEST");
      expect(fieldErrorsOf(error).url?.join(" "), url).toContain(reason);
    }
    const monitor = await asAlice().monitor.create({ url: "http://site.example.test/" });
    const error = await failure(asAlice().monitor.update({ id: monitor.id, url: "http://internal.example.test/" }));
    expect(fieldErrorsOf(error).url?.join(" ")).toContain("private address");
  });

  it("refuses http://[::127.0.0.1]/ as loopback when no network is allowed (production's default)", async () => {
    const production = callerFor(db, { user: alice, resolve, env: { ALLOWED_TARGET_NETWORKS: "" } });
    const error = await failure(production.monitor.create({ url: "http://[::127.0.0.1]/" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(error).url?.join(" ")).toContain("127.0.0.1 (inside ::7f00:1) is a loopback address");
  });

  it("applies the same rules to updates, naming the field", async () => {
    const monitor = await asAlice().monitor.create({ url: "http://127.0.0.1:9/" });
    for (const [input, field] of [
      [{ url: "javascript:alert(1)" }, "url"],
      [{ intervalSeconds: 0 }, "intervalSeconds"],
      [{ expectedStatusCodes: "200-" }, "expectedStatusCodes"],
      [{ headers: headers(21) }, "headers"],
      [{ timeoutMs: 120_000 }, "timeoutMs"],
      [{ failureThreshold: 0 }, "failureThreshold"],
      [{ regions: [] }, "regions"],
    ] as const) {
      const error = await failure(asAlice().monitor.update({ id: monitor.id, ...input } as never));
      expect(error.code, field).toBe("BAD_REQUEST");
      expect(Object.keys(fieldErrorsOf(error)), field).toContain(field);
    }
    expect(await asAlice().monitor.byId({ id: monitor.id })).toMatchObject({
      url: "http://127.0.0.1:9/",
      intervalSeconds: 60,
    });
  });

  it("refuses ids of the wrong type on every procedure that takes one", async () => {
    const api = asAlice().monitor;
    for (const call of [api.byId, api.pause, api.resume, api.checkNow, api.delete]) {
      expect(await failure(call({ id: 42 } as never))).toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("answers NOT_FOUND for ids that are not ids", async () => {
    for (const id of ["nope", "x".repeat(64), "' OR 1=1 --"]) {
      expect(await failure(asAlice().monitor.byId({ id }))).toMatchObject({ code: "NOT_FOUND" });
    }
    expect(await failure(asAlice().monitor.byId({ id: "x".repeat(65) }))).toMatchObject({ code: "BAD_REQUEST" });
  });
});
